/**
 * The web UI in a real browser (Chromium through playwright-core) against the
 * real daemon with the simulated line card: live monitor colours, search with
 * `%`, playing and seeking, downloads and exports, channel parameters that the
 * next call follows, forced recording, the operation log, a recording's
 * signature check and the chain of custody page, text from outside
 * shown as text, a normal user who can change nothing, a temporary user whose
 * hours run out, and screenshots of
 * every page in both languages (test-artifacts/screenshots/).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { callerIdFsk, dtmfDigits, speechLike } from '../../firmware/sim/signals.ts';
import { startScenarioBox } from '../support/scenario-box.ts';
import type { SimBox } from '../support/sim-box.ts';
import { ADMIN_PASSWORD, buildWebUi, dismissToast, navigateTo, openBrowser, screenshot, SHOTS, type Browser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';

const EVIL = '<img src=x onerror=alert(1)>';
const PASSWORD = ADMIN_PASSWORD;

let box: SimBox;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
const dialogs: string[] = [];
const downloads = tempDir('ui-downloads-');

const sec = (s: number) => s;

test.before(async () => {
  buildWebUi();
  box = await startScenarioBox(
    120,
    [
      // 1: an incoming call whose caller name is markup; 2: an outgoing call; 3: another incoming call.
      { channel: 1, audio: [[4.5, callerIdFsk({ number: '13912345678', name: EVIL })], [8.2, speechLike(11, 1, -12)]], timeline: [{ t: 0, state: 'onhook' }, { t: 3, state: 'ringing' }, { t: 8, state: 'offhook' }, { t: sec(20), state: 'onhook' }] },
      { channel: 2, audio: [[4.5, dtmfDigits('02155501234')], [7, speechLike(8, 2, -12)]], timeline: [{ t: 0, state: 'onhook' }, { t: 4, state: 'offhook' }, { t: 16, state: 'onhook' }] },
      { channel: 3, audio: [[4.5, callerIdFsk({ number: '13955500000' })], [7.2, speechLike(7, 3, -12)]], timeline: [{ t: 0, state: 'onhook' }, { t: 3, state: 'ringing' }, { t: 7, state: 'offhook' }, { t: 15, state: 'onhook' }] },
      // 4: a call after its line number has been changed in the UI.
      { channel: 4, audio: [[62, speechLike(8, 4, -12)]], timeline: [{ t: 0, state: 'onhook' }, { t: 61, state: 'offhook' }, { t: 70, state: 'onhook' }] },
      // 5: never connected.
      { channel: 5, audio: [], timeline: [{ t: 0, state: 'disconnected' }] },
    ],
    { web: true },
  );
  base = `http://127.0.0.1:${box.port}`;
  browser = await openBrowser({ downloadsPath: downloads, autoplay: true });
  context = browser.context;
  page = browser.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await box.run(1000);
});

test.after(async () => {
  await browser?.close();
  await box?.stop();
});

const shot = (name: string) => screenshot(page, name);

const nav = (label: string) => navigateTo(page, label);

test('log in with the factory password, which must be changed first', async () => {
  assert.is((await fetch(`${base}/api/v1/me`)).status, 401, 'the box asks for a session');
  await page.goto(`${base}/`);
  await page.waitForSelector('form.login');
  await shot('login-zh');
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'wrong');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('.errors li:text("用户名或密码错误")');
  await page.fill('input[name=password]', 'admin');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('input[name=newPassword]');
  await shot('password-zh');
  await page.fill('input[name=oldPassword]', 'admin');
  await page.fill('input[name=newPassword]', PASSWORD);
  await page.fill('input[name=repeatPassword]', PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('.tiles .tile');
  assert.is(await page.textContent('[data-testid=user]'), 'admin');
  assert.is(await page.getAttribute('html', 'lang'), 'zh-CN');
});

test('the monitor shows calls live in the manual colours and lets them go', async () => {
  assert.is(await page.getAttribute('.tile[data-ref=analog-0-5]', 'data-colour'), 'red');
  assert.is(await page.getAttribute('.tile[data-ref=analog-0-0]', 'data-colour'), 'black');
  await box.run(11_000);
  await page.waitForSelector('.tile[data-ref=analog-0-1][data-colour=blue]');
  await page.waitForSelector('.tile[data-ref=analog-0-2][data-colour=green]');
  await page.waitForSelector('.tile[data-ref=analog-0-1] .tile-number:text("13912345678")');
  await page.waitForSelector('.tile[data-ref=analog-0-2] .tile-time:text-matches("00:00:0\\\\d")');
  assert.is(await page.textContent('.tile[data-ref=analog-0-1] .tile-name'), EVIL, 'the caller name is text');
  await shot('monitor-zh');
  await box.run(11_000);
  await page.waitForSelector('.tile[data-ref=analog-0-1][data-colour=black]');
  await page.waitForSelector('.tile[data-ref=analog-0-2][data-colour=black]');
  assert.is(await page.$$eval('img', (x) => x.length), 0);
});

test('today\'s search finds the call by its remote number with %, shows the markup name literally, plays and seeks', async () => {
  await box.run(2000);
  await nav('录音查询-当日');
  await page.fill('input[name=remoteNumber]', '139123%');
  await page.click('#search-btn');
  const row = page.locator('#results tbody tr', { hasText: '13912345678' });
  // The list shown before the click (every call of today) holds the call too: wait for the search's own answer, one row.
  await page.waitForFunction(() => {
    const rows = (globalThis as any).document.querySelectorAll('#results tbody tr');
    return rows.length === 1 && rows[0].textContent.includes('13912345678');
  }, undefined, { timeout: 10_000 });
  assert.is(await page.locator('#results tbody tr').count(), 1);
  assert.is(await row.locator('.caller-name').textContent(), ` ${EVIL}`);
  assert.is(await page.$$eval('#results img', (x) => x.length), 0);
  await shot('search-today-zh');

  // The recording checked against its signed statement (录音验证): intact, its signature and key in the tooltip.
  await row.locator('button.verify').click();
  const mark = row.locator('.verify-mark[data-verdict=intact]');
  await mark.waitFor();
  assert.match((await mark.getAttribute('title'))!, /签名: [0-9a-f]{128}\n密钥指纹: [0-9a-f]{4} /);

  await row.locator('button.play').click();
  await page.waitForSelector('.player audio');
  // Page functions run in the browser: its DOM is reached through globalThis (this file is compiled without DOM types).
  const duration = await page.waitForFunction(() => {
    const a = (globalThis as any).document.querySelector('.player audio');
    return a && Number.isFinite(a.duration) && a.duration > 0 ? a.duration : null;
  }, undefined, { timeout: 15_000 });
  assert.ok(((await duration.jsonValue()) as number) > 5);
  await page.evaluate(() => (globalThis as any).document.querySelector('.player audio').play());
  await page.waitForFunction(() => (globalThis as any).document.querySelector('.player audio').currentTime > 1, undefined, { timeout: 15_000 });
  await page.click('.player .controls button:has-text("前进10秒")');
  const after: number = await page.evaluate(() => (globalThis as any).document.querySelector('.player audio').currentTime);
  assert.ok(after > 8, `seeked to ${after}`);
  await shot('player-zh');
  await page.click('.player .close');
});

test('download one recording, a zip of three, and the search as CSV and Excel', async () => {
  await page.fill('input[name=remoteNumber]', '');
  await page.click('#search-btn');
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('#results tbody tr').length >= 3);
  const row = page.locator('#results tbody tr', { hasText: '13912345678' });
  const [one] = await Promise.all([page.waitForEvent('download'), row.locator('a.icon').click()]);
  const onePath = await one.path();
  assert.ok(onePath && fs.statSync(onePath).size > 1000);
  assert.match(one.suggestedFilename(), /13912345678/);

  const boxes = page.locator('#results tbody tr input[type=checkbox]');
  for (let i = 0; i < 3; i++) await boxes.nth(i).check();
  const [zip] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("打包下载所选")')]);
  const zipBytes = fs.readFileSync((await zip.path())!);
  assert.is(zipBytes.readUInt32LE(0), 0x04034b50, 'a zip file');
  const entries = zipBytes.toString('latin1').split('PK\x01\x02').length - 1;
  assert.is(entries, 3);

  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("导出 CSV")')]);
  const csvText = fs.readFileSync((await csv.path())!, 'utf8');
  assert.match(csvText, /13912345678/);
  assert.ok(csvText.trim().split(/\r?\n/).length >= 4, csvText);

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("导出 Excel")')]);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile((await xlsx.path())!);
  const sheet = book.worksheets[0]!;
  const cells: string[] = [];
  sheet.eachRow((r) => cells.push(JSON.stringify(r.values)));
  assert.ok(cells.some((c) => c.includes('13912345678')), cells.join('\n'));
  assert.ok(sheet.rowCount >= 4);
});

test('录音验证 shows the device key fingerprint, its public key and a good chain', async () => {
  await nav('录音验证');
  await page.waitForSelector('#chain-report[data-ok=true]');
  const device = await (await page.request.get(`${base}/api/v1/device`)).json();
  assert.is(await page.textContent('#key-fingerprint'), device.custody.keyFingerprint);
  assert.match((await page.textContent('#chain-report'))!, '哈希链完整');
  const pem = await page.request.get(`${base}${await page.getAttribute('#public-key', 'href')}`);
  assert.match(await pem.text(), '-----BEGIN PUBLIC KEY-----');
});

test('a channel parameter changed in the UI is followed by the next call, and shows in the operation log', async () => {
  await nav('通道参数');
  await page.waitForSelector('select[name=from]');
  await page.selectOption('select[name=from]', '4');
  await page.selectOption('select[name=to]', '4');
  await page.fill('input[name=lineNumber]', '6688');
  await page.fill('input[name=offhookVoltage]', '99');
  await page.click('form.batch button[type=submit]');
  await page.waitForSelector('.errors li:text-matches("摘机电压")');
  await page.fill('input[name=offhookVoltage]', '15');
  await page.click('form.batch button[type=submit]');
  await page.waitForSelector('tr[data-ref=analog-0-4] td:text-is("6688")');
  await shot('channel-params-zh');
  await box.run(50_000);
  await nav('录音查询-当日');
  await page.fill('input[name=lineNumber]', '6688');
  await page.click('#search-btn');
  await page.locator('#results tbody tr', { hasText: '6688' }).first().waitFor();
  await nav('操作日志');
  const entry = page.locator('#operations-table tbody tr', { hasText: '通道参数' }).first();
  await entry.waitFor();
  assert.match((await entry.textContent()) ?? '', /admin/);
  await shot('operations-zh');
});

test('a settings page changed meanwhile by another session is not overwritten, and says so', async () => {
  await nav('录音参数');
  await page.waitForSelector('input[name=maxFileS]');
  const csrf = (await context.cookies()).find((c) => c.name === 'rdx_csrf')?.value ?? '';
  const meanwhile = await page.request.patch(`${base}/api/v1/settings/recording`, { headers: { 'X-CSRF-Token': csrf }, data: { minFileS: 4 } });
  assert.is(meanwhile.status(), 200);
  await page.fill('input[name=maxFileS]', '1700');
  await page.click('form button[type=submit]');
  await page.waitForSelector('.toast.error:text-matches("参数已被其他会话修改")');
  const now = (await (await page.request.get(`${base}/api/v1/settings/recording`)).json()) as { maxFileS: number; minFileS: number };
  assert.is(now.maxFileS, 1800);
  assert.is(now.minFileS, 4);
  await page.click('button:has-text("重新加载")');
  await page.waitForFunction(() => (globalThis as any).document.querySelector('input[name=minFileS]').value === '4');
  await page.fill('input[name=maxFileS]', '1700');
  await dismissToast(page);
  await page.click('form button[type=submit]');
  await page.waitForSelector('.toast.ok');
  assert.is(((await (await page.request.get(`${base}/api/v1/settings/recording`)).json()) as { maxFileS: number }).maxFileS, 1700);
});

test('forced recording from the recording status page', async () => {
  await nav('录音状态');
  const row = page.locator('#status-table tr[data-ref=analog-0-0]');
  await row.locator('button:has-text("开启")').click();
  await box.run(4000);
  await page.waitForSelector('#status-table tr[data-ref=analog-0-0] td:text-is("正在录音...")');
  await shot('status-zh');
  await row.locator('button:has-text("停止")').click();
  await box.run(2000);
  await page.waitForSelector('#status-table tr[data-ref=analog-0-0] td:text-is("空闲")');
  const found = (await (await page.request.get(`${base}/api/v1/records?channel=0&limit=5`)).json()) as { items: Array<{ startMode: string }> };
  assert.ok(found.items.some((r) => r.startMode === 'forced'));
});

test('level, delete with the typed confirmation, restore', async () => {
  await nav('录音查询-当日');
  await page.fill('input[name=remoteNumber]', '13955500000');
  await page.click('#search-btn');
  const row = page.locator('#results tbody tr', { hasText: '13955500000' });
  await row.waitFor();
  await row.locator('select').selectOption('important');
  await page.waitForFunction(() => (globalThis as any).document.querySelector('#results tbody tr select')?.value === 'important');
  await row.locator('button.icon:has-text("✕")').click();
  await page.fill('.modal input[name=confirm]', '确定');
  assert.not.ok(await page.isEnabled('.modal button[type=submit]'), 'only the exact word confirms');
  await page.fill('.modal input[name=confirm]', '确认');
  await page.click('.modal button[type=submit]');
  await page.check('input[name=deleted]');
  await page.click('#search-btn');
  await page.waitForSelector('#results tbody tr.deleted');
  await page.click('#results tbody tr.deleted button:has-text("恢复")');
  await page.waitForSelector('#results tbody tr.deleted', { state: 'detached' });
  await page.uncheck('input[name=deleted]');
  await page.click('#search-btn');
  await page.waitForSelector('#results tbody tr:not(.deleted):has-text("13955500000")');
});

test('statistics: the table per channel, the daily chart and the CSV export', async () => {
  await nav('录音统计');
  await page.waitForSelector('#stats-table tr.sum');
  const sum = await page.locator('#stats-table tr.sum td').allTextContents();
  assert.ok(Number(sum[4]) >= 5, sum.join('|'));
  await page.waitForSelector('.chart canvas');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("导出 CSV")')]);
  const text = fs.readFileSync((await csv.path())!, 'utf8');
  assert.ok(text.trim().split(/\r?\n/).length >= 2, text);
  await shot('stats-zh');
});

test('screenshots of every page in Chinese and English', async () => {
  const pages: Array<[string, string]> = [
    ['/monitor', 'monitor'], ['/device', 'device'], ['/alarms', 'alarms'], ['/alarms/history', 'alarm-history'], ['/operations', 'operations'],
    ['/settings/recording', 'recording-params'], ['/settings/channels', 'channel-params'], ['/settings/do-not-record', 'do-not-record'],
    ['/status', 'status'], ['/stats', 'stats'], ['/records/today', 'search-today'], ['/records/history', 'search-history'], ['/accounts', 'accounts'],
    ['/custody', 'custody'],
  ];
  for (const lang of ['zh', 'en'] as const) {
    if ((await page.getAttribute('html', 'lang')) !== (lang === 'zh' ? 'zh-CN' : 'en')) await page.click('header.top .lang');
    for (const [url, name] of pages) {
      await page.goto(`${base}${url}`);
      await page.waitForSelector('main .crumb');
      await page.waitForLoadState('networkidle').catch(() => undefined);
      await shot(`${name}-${lang}`);
    }
  }
  // The choice is remembered.
  await page.reload();
  await page.waitForSelector('main .crumb');
  assert.is(await page.getAttribute('html', 'lang'), 'en');
  assert.ok(await page.isVisible('nav.side a:text-is("Channel parameters")'));
  // Tablet: the navigation folds behind the menu button.
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(`${base}/monitor`);
  assert.not.ok(await page.isVisible('nav.side'));
  await page.click('header.top .menu');
  assert.ok(await page.isVisible('nav.side'));
  await shot('tablet-nav-en');
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.click('header.top .lang');
});

test('a normal user sees every page and can change nothing; each sees the other on a settings page', async () => {
  // The administrator lets several accounts sign in at once and adds a normal user, in the UI.
  await page.goto(`${base}/accounts`);
  await page.waitForSelector('select[name=multiUser]');
  await page.selectOption('select[name=multiUser]', '1');
  await dismissToast(page);
  await page.click('form:has(select[name=multiUser]) button[type=submit]');
  await page.waitForSelector('.toast.ok');
  await page.fill('input[name=new-username]', 'viewer');
  await page.fill('input[name=new-password]', PASSWORD);
  await page.selectOption('select[name=new-role]', 'user');
  await page.click('form:has(input[name=new-username]) button[type=submit]');
  await page.waitForSelector('#accounts-table td:text-is("viewer")');
  await shot('accounts-zh');

  const other = await openBrowser();
  try {
    const second = other.page;
    second.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await second.goto(`${base}/`);
    await second.fill('input[name=username]', 'viewer');
    await second.fill('input[name=password]', PASSWORD);
    await second.click('form.login button[type=submit]');
    await second.waitForSelector('.tiles .tile');
    assert.match((await second.textContent('header.top .userbox')) ?? '', /普通用户/);
    for (const [url, field] of [['/settings/recording', 'input[name=maxFileS]'], ['/settings/do-not-record', 'button:has-text("添加")'], ['/settings/channels', 'input[name=lineNumber]']] as const) {
      await second.goto(`${base}${url}`);
      await second.waitForSelector(field);
      assert.not.ok(await second.isEnabled(field), `${url} ${field}`);
      assert.ok(await second.isVisible('.note'), 'the read-only note');
    }
    // The viewer stays on the channel parameters; the administrator opening them is warned, and so is the viewer.
    await page.goto(`${base}/settings/channels`);
    await page.waitForSelector('.presence:text-matches("viewer@")');
    await second.waitForSelector('.presence:text-matches("admin@")');
    await shot('presence-zh');
    // The box refuses the viewer's changes even when sent by hand.
    const csrf = (await other.context.cookies()).find((c) => c.name === 'rdx_csrf')?.value ?? '';
    const refused = await second.request.patch(`${base}/api/v1/settings/recording`, { headers: { 'X-CSRF-Token': csrf }, data: { maxFileS: 100 } });
    assert.is(refused.status(), 403);
    await second.goto(`${base}/records/today`);
    await second.waitForSelector('#results tbody tr');
    assert.not.ok(await second.isEnabled('#results tbody tr button.icon:has-text("✕")'));
    assert.not.ok(await second.isVisible('nav.side a:text-is("账号管理")'), 'no accounts page for a normal user');
    await second.goto(`${base}/status`);
    await second.waitForSelector('#status-table');
    assert.not.ok(await second.isEnabled('#status-table tr[data-ref=analog-0-0] button:has-text("开启")'));
  } finally {
    await other.close();
  }
});

test('a temporary user works for its hours, then is signed out and cannot sign in again', async () => {
  // Runs last among the pages: its hour passes with the line card powered off (multi-user is on from the test before).
  await page.goto(`${base}/accounts`);
  await page.waitForSelector('input[name=new-username]');
  await page.fill('input[name=new-username]', 'installer');
  await page.fill('input[name=new-password]', PASSWORD);
  await page.selectOption('select[name=new-role]', 'temporary');
  await page.fill('input[name=new-hours]', '1');
  await page.click('form:has(input[name=new-username]) button[type=submit]');
  await page.waitForSelector('#accounts-table td:text-is("installer")');

  const other = await openBrowser();
  try {
    const temp = other.page;
    const login = async () => {
      await temp.fill('input[name=username]', 'installer');
      await temp.fill('input[name=password]', PASSWORD);
      await temp.click('form.login button[type=submit]');
    };
    await temp.goto(`${base}/`);
    await login();
    await temp.waitForSelector('.tiles .tile');
    assert.match((await temp.textContent('header.top .userbox')) ?? '', /临时用户/);
    // A temporary user configures like a super user while its hours last.
    await temp.goto(`${base}/settings/recording`);
    await temp.waitForSelector('input[name=maxFileS]');
    assert.ok(await temp.isEnabled('input[name=maxFileS]'));

    // The hour passes (the card is powered off, so that an hour of line audio is not generated).
    box.card.stop();
    box.clock.advance(61 * 60_000);
    await box.run(100);

    // Its next step lands on the login page, and signing in again is refused with the reason.
    await temp.goto(`${base}/records/today`);
    await temp.waitForSelector('form.login');
    await login();
    await temp.waitForSelector('form.login .error, form.login [role=alert]');
    assert.match((await temp.textContent('form.login')) ?? '', /账号已过期/);
    await temp.screenshot({ path: path.join(SHOTS, 'temporary-expired-zh.png') });
  } finally {
    await other.close();
  }
});

test('no script ran from outside text', () => {
  assert.equal(dialogs, []);
});

test.run();
