/**
 * 系统设置, IP设置 and 时间设置 in a real browser against the real daemon on a
 * simulated board: each page checks its fields, applies a change the API
 * then answers; an IP change confirmed from the page, one left unconfirmed
 * returning to the previous address, one confirmed at the new address's
 * confirmation page; screenshots in both languages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startSimBox, T0, type SimBox } from '../support/sim-box.ts';
import { apiGet as apiGetAs, buildWebUi, dismissToast as dismissToastOn, firstSignIn, navigateTo, openBrowser, screenshot, SHOTS, type Browser } from '../support/browser.ts';


let box: SimBox;
let browser: Browser;
let page: Page;

test.before(async () => {
  buildWebUi();
  box = await startSimBox({ sources: [], web: true });
  browser = await openBrowser();
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
  await box?.stop();
});

const shot = (name: string) => screenshot(page, name, { fullPage: true });

const nav = (label: string) => navigateTo(page, label);
const apiGet = (pathname: string) => apiGetAs(page, pathname);
const dismissToast = () => dismissToastOn(page);

test('sign in', () => firstSignIn(page, `http://127.0.0.1:${box.port}`));

test('系统设置 checks its fields and applies SSH, FTP, watchdog time, CPU alarm and the access settings', async () => {
  await nav('系统设置');
  await page.waitForSelector('#system-settings');
  assert.match((await page.textContent('[data-testid=watchdog-state]')) ?? '', /运行中/);
  await page.fill('#system-settings input[name=watchdogTimeoutS]', '10');
  await page.click('#system-settings button[type=submit]');
  await page.waitForSelector('.errors li:text("看门狗时间")');
  assert.is((await apiGet('/system/settings')).watchdogTimeoutS, 200, 'nothing sent');
  await page.fill('#system-settings input[name=watchdogTimeoutS]', '60');
  await page.selectOption('#system-settings select[name=ssh]', '0');
  await page.selectOption('#system-settings select[name=ftp]', '0');
  await page.fill('#system-settings input[name=cpuAlarmPercent]', '85');
  await page.selectOption('#system-settings select[name=multiUser]', '1');
  await page.fill('#system-settings input[name=idleLogoutMinutes]', '45');
  await page.click('#system-settings button[type=submit]');
  await page.waitForSelector('.toast.ok:text("系统设置已保存并生效")');
  const s = await apiGet('/system/settings');
  assert.equal({ t: s.watchdogTimeoutS, ssh: s.ssh, ftp: s.ftp, cpu: s.cpuAlarmPercent }, { t: 60, ssh: false, ftp: false, cpu: 85 });
  assert.equal(box.system.daemons.running, { ssh: false, ftp: false });
  const a = await apiGet('/settings/access');
  assert.equal({ multiUser: a.multiUser, idle: a.idleLogoutMinutes }, { multiUser: true, idle: 45 });
  await dismissToast();
  await shot('system-settings-zh');
});

test('IP设置: a wrong address refused in the page, a change confirmed here', async () => {
  await nav('IP设置');
  await page.waitForSelector('#net-settings');
  assert.is(await page.textContent('[data-testid=mac]'), '8c:1f:64:08:b0:16');
  assert.is(await page.inputValue('#net-settings input[name=address]'), '192.168.123.100');
  await page.fill('#net-settings input[name=address]', '192.168.123.300');
  await page.click('#net-settings button[type=submit]');
  await page.waitForSelector('.errors li:text("IP地址: 请输入正确的 IPv4 地址")');
  assert.is(box.system.network.applied.length, 0, 'nothing applied');
  await page.fill('#net-settings input[name=address]', '192.168.123.0');
  await page.click('#net-settings button[type=submit]');
  await page.waitForSelector('.errors li:text("network address")');
  assert.is(box.system.network.applied.length, 0, 'the box refused it');
  await page.fill('#net-settings input[name=address]', '192.168.123.88');
  await page.fill('#net-settings input[name=dns2]', '114.114.114.114');
  await page.selectOption('#net-extra select[name="extra1.enabled"]', '1');
  await page.fill('#net-extra input[name="extra1.address"]', '10.20.0.2');
  await page.fill('#net-extra input[name="extra1.netmask"]', '255.255.0.0');
  await page.click('#net-settings button[type=submit]');
  await page.waitForSelector('[data-testid=net-pending]');
  assert.match((await page.textContent('[data-testid=net-pending]')) ?? '', /http:\/\/192\.168\.123\.88:\d+/);
  await dismissToast();
  const interfaces = fs.readFileSync(path.join(box.root, 'etc/network/interfaces'), 'utf8');
  assert.ok(interfaces.includes('address 192.168.123.88') && interfaces.includes('auto eth0:1'), interfaces);
  await shot('ip-settings-pending-zh');
  await page.click('[data-testid=confirm-here]');
  await page.waitForSelector('.toast.ok:text("IP 设置已确认并保存")');
  const n = await apiGet('/system/network');
  assert.is(n.pending, null);
  assert.is(n.address, '192.168.123.88');
  assert.equal(n.dns, ['192.168.123.254', '114.114.114.114']);
  await dismissToast();
  await shot('ip-settings-zh');
});

test('IP设置: a change left unconfirmed returns to the previous address', async () => {
  await page.fill('#net-settings input[name=address]', '192.168.123.99');
  await page.click('#net-settings button[type=submit]');
  await page.waitForSelector('[data-testid=net-pending]');
  await box.run(121_000);
  await page.waitForSelector('.toast.error:text("已恢复原来的 IP 设置")', { timeout: 15_000 });
  assert.is(await page.inputValue('#net-settings input[name=address]'), '192.168.123.88');
  assert.ok(fs.readFileSync(path.join(box.root, 'etc/network/interfaces'), 'utf8').includes('address 192.168.123.88'));
  await dismissToast();
});

test('IP设置: the confirmation page at the new address confirms with the change\'s token', async () => {
  await page.fill('#net-settings input[name=address]', '192.168.123.77');
  const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/system/network') && r.request().method() === 'PUT'), page.click('#net-settings button[type=submit]')]);
  const { confirmToken } = await res.json();
  const other = await browser.context.newPage();
  try {
    // Another browser tab standing in for the box's new address.
    await other.goto(`http://127.0.0.1:${box.port}/network-confirm#token=${confirmToken}`);
    await other.waitForSelector('[data-testid=net-confirm] p:text("IP 设置已确认并保存")');
    await other.screenshot({ path: path.join(SHOTS, 'ip-confirm-zh.png') });
  } finally {
    await other.close();
  }
  assert.is((await apiGet('/system/network')).address, '192.168.123.77');
  await page.waitForSelector('[data-testid=net-pending]', { state: 'detached', timeout: 15_000 }).catch(() => undefined);
});

test('时间设置: NTP off and the date and time set by hand; the zone changed', async () => {
  await nav('时间设置');
  await page.waitForSelector('#time-settings');
  assert.match((await page.textContent('[data-testid=box-time]')) ?? '', /^2026-11-20 09:\d\d:\d\d \(GMT\+08:00\)$/);
  await page.fill('#time-settings input[name=primaryPort]', '0');
  await page.click('#time-settings button[type=submit]');
  await page.waitForSelector('.errors li:text("主NTP服务器端口")');
  await page.fill('#time-settings input[name=primaryPort]', '123');
  await page.selectOption('#time-settings select[name=ntp]', '0');
  await page.fill('#time-settings input[name=date]', '2026-12-01');
  await page.fill('#time-settings input[name=time]', '08:30:00');
  await page.selectOption('#time-settings select[name=zone]', 'GMT+07:00');
  await page.click('#time-settings button[type=submit]');
  await page.waitForSelector('.toast.ok:text("时间设置已保存并生效")');
  assert.is(box.system.time.steps.at(-1), Date.parse('2026-12-01T08:30:00+07:00'));
  assert.not.ok(box.system.time.ntpRunning);
  const s = await apiGet('/system/time');
  assert.equal({ ntp: s.ntp, zone: s.zone }, { ntp: false, zone: 'GMT+07:00' });
  assert.ok(box.clock.now() > T0 + 10 * 86_400_000, 'the box clock moved on');
  await page.waitForSelector('[data-testid=box-time]:text("2026-12-01 08:30")');
  await page.waitForSelector('[data-testid=clock]:text("2026-12-01 08:3")');
  await dismissToast();
  await shot('time-settings-zh');
});

test('the three pages in English', async () => {
  await page.click('header.top .lang');
  for (const [label, name] of [['System settings', 'system-settings'], ['IP settings', 'ip-settings'], ['Time settings', 'time-settings']]) {
    await nav(label!);
    await page.waitForSelector('main form');
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await shot(`${name}-en`);
  }
  assert.ok(await page.isVisible('nav.side a:text-is("IP settings")'));
  await page.click('header.top .lang');
});

test.run();
