/**
 * The field-maintenance pages in a real browser against the real daemon:
 * 邮件推送 checks its fields, saves, and sends the test mail to a real SMTP
 * server; 系统日志 saves, downloads and deletes a log; 处理信息 shows the
 * link counters; 系统调试 refuses a bad address and shows a ping's lines;
 * screenshots in both languages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { apiGet as apiGetAs, buildWebUi, dismissToast, firstSignIn, navigateTo, openBrowser, screenshot, type Browser } from '../support/browser.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';


let box: SimBox;
let sink: SmtpSink;
let browser: Browser;
let page: Page;

test.before(async () => {
  buildWebUi();
  sink = await startSmtpSink({ security: 'starttls', login: { user: 'box@example.com', pass: 'CODE-4321' } });
  box = await startSimBox({ sources: [], web: true });
  browser = await openBrowser();
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
  await box?.stop();
  await sink?.close();
});

const shot = (name: string) => screenshot(page, name, { fullPage: true });

const nav = (label: string) => navigateTo(page, label);
const apiGet = (pathname: string) => apiGetAs(page, pathname);

const logIn = () => firstSignIn(page, `http://127.0.0.1:${box.port}`);

test('邮件推送 checks the fields, saves them and sends the test mail with the text typed', async () => {
  await logIn();
  await nav('邮件推送');
  const f = '#mail-settings';
  await page.waitForSelector(f);
  await page.selectOption(`${f} select[name=enabled]`, '1');
  await page.fill(`${f} input[name=server]`, '127.0.0.1');
  await page.fill(`${f} input[name=port]`, String(sink.port));
  await page.selectOption(`${f} select[name=security]`, 'starttls');
  await page.check(`${f} input[name=allowUntrustedCertificate]`);
  await page.fill(`${f} input[name=sender]`, 'box@example.com');
  await page.fill(`${f} input[name=authCode]`, 'CODE-4321');
  await page.fill(`${f} input[name=recipient0]`, 'not-an-address');
  await page.click(`${f} button[type=submit]`);
  await page.waitForSelector('.errors li:text("not-an-address")');
  assert.is((await apiGet('/settings/mail')).enabled, false, 'nothing sent');
  await page.fill(`${f} input[name=recipient0]`, 'ops@example.com');
  await dismissToast(page);
  await page.click(`${f} button[type=submit]`);
  await page.waitForSelector('.toast.ok');
  const s = await apiGet('/settings/mail');
  assert.equal([s.enabled, s.server, s.port, s.security, s.recipients, s.authCodeSet], [true, '127.0.0.1', sink.port, 'starttls', ['ops@example.com'], true]);
  assert.is(await page.inputValue(`${f} input[name=authCode]`), '', 'the code is not shown back');
  assert.is(await page.textContent('[data-testid=auth-code-state]'), '已设置');
  await dismissToast(page);
  await page.fill('#mail-test textarea[name=testText]', '现场测试: 线路 3 已修好');
  await page.click('#mail-test button[type=submit]');
  await page.waitForSelector('#mail-test-result li.ok');
  assert.match(await page.textContent('#mail-test-result') ?? '', '1 个成功, 0 个失败');
  const [m] = await sink.waitFor(1);
  assert.match(m!.text, '现场测试: 线路 3 已修好');
  assert.ok(m!.secure);
  await page.waitForSelector('[data-testid=recipient-status-0]:text("成功")');
  await shot('mail-push-zh');
});

test('系统日志 saves a log, downloads it and deletes it after the typed confirmation', async () => {
  await nav('系统日志');
  await page.waitForSelector('#save-log');
  await page.click('#save-log');
  await page.waitForSelector('#saved-logs tbody tr');
  const name = await page.getAttribute('#saved-logs tbody tr', 'data-name');
  assert.match(name ?? '', /^\d{14}_manual\.zip$/);
  assert.match(await page.textContent('#saved-logs tbody tr td:nth-child(5)') ?? '', '手动保存');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#saved-logs tbody tr button:text("下载")')]);
  assert.is(download.suggestedFilename(), name);
  const file = await download.path();
  assert.ok(file && execFileSync('unzip', ['-l', file]).toString().includes('status.json'));
  await shot('system-log-zh');
  await page.click('#saved-logs tbody tr button:text("删除")');
  await page.fill('.modal input[name=confirm]', '确认');
  await page.click('.modal button[type=submit]');
  await page.waitForSelector('#saved-logs tbody tr', { state: 'detached' });
  assert.equal((await apiGet('/system-logs')).items, []);
});

test('处理信息 shows the line-card link counters and the daemon queues', async () => {
  await box.run(2000);
  await nav('处理信息');
  await page.waitForSelector('#processing-link tr[data-field=frames] td');
  const frames = Number(await page.textContent('#processing-link tr[data-field=frames] td'));
  assert.ok(frames > 0, `${frames} frames`);
  assert.match(await page.textContent('#processing-link') ?? '', '正常');
  assert.ok(await page.isVisible('#processing-queues tr[data-field=recordingsWaitingToIndex]'));
  await shot('processing-zh');
});

test('系统调试 refuses an address that is not one and shows a ping line by line', async () => {
  await nav('系统调试');
  await page.waitForSelector('#ping-form');
  await page.fill('#ping-form input[name=target]', '-f 127.0.0.1');
  await page.click('#ping-form button[type=submit]');
  await page.waitForSelector('.errors li:text("Ping IP地址须为 IP 地址或域名")');
  await page.fill('#ping-form input[name=target]', '127.0.0.1');
  await page.fill('#ping-form input[name=count]', '2');
  await page.fill('#ping-form input[name=size]', '100');
  await page.click('#ping-form button[type=submit]');
  await page.waitForSelector('#ping-output:text("108 bytes from 127.0.0.1")');
  await page.waitForSelector('#ping-summary:text("发送 2, 接收 2")');
  assert.match(await page.textContent('#ping-output') ?? '', /^\$ ping /);
  await shot('debug-ping-zh');
});

test('every page again in English', async () => {
  await dismissToast(page);
  await page.click('header.top .lang');
  for (const [label, name] of [['Email push', 'mail-push'], ['Processing info', 'processing'], ['System log', 'system-log'], ['Diagnostics', 'debug-ping']]) {
    await nav(label!);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await page.waitForSelector('main .panel');
    await shot(`${name}-en`);
  }
  assert.ok(await page.isVisible('nav.side a:text-is("Email push")'));
  await page.click('header.top .lang');
});

test.run();
