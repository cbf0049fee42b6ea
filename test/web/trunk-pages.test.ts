/**
 * The E1 and VoIP pages in a real browser against the real daemon with a
 * simulated E1 card: a call and a line alarm shown live on E1录音状态, one E1
 * port and the VoIP settings changed in the UI and read back from the API,
 * a box without E1 saying so, and screenshots in both languages.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from 'playwright-core';
import { E1PortModel } from '../../firmware/sim/e1/e1-port-model.ts';
import { e1Board } from '../e1/link-helpers.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { apiGet as apiGetAs, buildWebUi, dismissToast, firstSignIn, navigateTo, openBrowser, screenshot, type Browser } from '../support/browser.ts';
import { PhoneClient } from '../support/phone-client.ts';
import { packetise, send, udpClient } from '../support/rtp-send.ts';
import { speechLike } from '../../firmware/sim/signals.ts';


let box: SimBox;
let browser: Browser;
let page: Page;
const boxes: SimBox[] = [];

test.before(async () => {
  buildWebUi();
  const port0 = new E1PortModel({
    signalling: 'pri',
    calls: [{
      timeslot: 5, from: 'a', atMs: 2000, calling: { digits: '13912345678', type: 'national' }, called: { digits: '88776655' },
      outcome: 'answered', ringMs: 500, talkMs: 600_000, clearedBy: 'b',
    }],
  });
  const port1 = new E1PortModel({ signalling: 'pri', alarms: [{ side: 'b', kind: 'los', fromMs: 1500, toMs: 3_600_000 }] });
  box = await startSimBox({ sources: [], board: e1Board(), e1Ports: [port0, port1, new E1PortModel({ signalling: 'pri' }), new E1PortModel({ signalling: 'pri' })], web: true });
  boxes.push(box);
  browser = await openBrowser();
  page = browser.page;
});

test.after(async () => {
  await browser?.close();
  for (const b of boxes) await b.stop();
});

const shot = (name: string) => screenshot(page, name, { fullPage: true });

const nav = (label: string) => navigateTo(page, label);

/** The API's answer with the browser's own session. */
const apiGet = (pathname: string) => apiGetAs(page, pathname);

/** Signs in through the login page (setting the password on a new box). */
const logIn = (b: SimBox) => firstSignIn(page, `http://127.0.0.1:${b.port}`);

test('E1录音状态 shows the line alarm and the call on its timeslot as they happen', async () => {
  await logIn(box);
  await nav('E1录音状态');
  await page.waitForSelector('#e1-timeslots tr[data-ts="5"]');
  assert.is(await page.textContent('#e1-timeslots tr[data-ts="5"] td:nth-child(2)'), '空闲');
  await box.run(4000);
  await page.waitForSelector('#e1-ports tr[data-port="1"][data-side="b"] .lamp.on:text-is("LOS")');
  await page.waitForSelector('#e1-timeslots tr[data-ts="5"] td:text-is("13912345678")');
  await page.waitForSelector('#e1-timeslots tr[data-ts="5"] td:text-is("通话")');
  assert.is(await page.textContent('#e1-timeslots tr[data-ts="5"] td:nth-child(5)'), '88776655');
  assert.is(await page.$$eval('#e1-ports tr[data-port="0"] .lamp.on', (x) => x.length), 0);
  await shot('e1-status-zh');
});

test('E1通道参数 checks the timeslots and applies a port change at once', async () => {
  await nav('E1通道参数');
  await page.click('button[role=tab]:text("E1 端口 2")');
  await page.fill('#e1-params input[name=timeslots]', '1-16');
  await page.click('#e1-params button[type=submit]');
  await page.waitForSelector('.errors li:text("录音时隙格式不正确")');
  assert.is((await apiGet('/e1/ports/2')).settings.timeslots, '1-15,17-31', 'nothing sent');
  await page.fill('#e1-params input[name=timeslots]', '1-10, 17-20');
  await page.selectOption('#e1-params select[name=signalling]', 'china-no1');
  await page.selectOption('#e1-params select[name=storage]', 'mixed');
  await page.fill('#e1-params input[name=name]', '局向A');
  await dismissToast(page);
  await page.click('#e1-params button[type=submit]');
  await page.waitForSelector('.toast.ok');
  const p = await apiGet('/e1/ports/2');
  assert.equal(
    { timeslots: p.settings.timeslots, signalling: p.settings.signalling, storage: p.settings.storage, name: p.settings.name },
    { timeslots: '1-10,17-20', signalling: 'china-no1', storage: 'mixed', name: '局向A' },
  );
  assert.is(p.timeslots.filter((s: { recorded: boolean }) => s.recorded).length, 14);
  assert.is((await apiGet('/e1/ports/0')).settings.signalling, 'pri', 'other ports unchanged');
  await shot('e1-params-zh');
});

test('VoIP平台参数 checks the fields and saves a change the API then answers', async () => {
  await nav('VoIP平台参数');
  await page.waitForSelector('#voip-params');
  await page.fill('#voip-params input[name=rtpPortMin]', '40000');
  await page.fill('#voip-params input[name=rtpPortMax]', '30000');
  await page.fill('#voip-params textarea[name=allowedSenders]', '192.168.1.0/24\nnot-a-phone');
  await page.click('#voip-params button[type=submit]');
  await page.waitForSelector('.errors li:text("not-a-phone")');
  await page.fill('#voip-params textarea[name=allowedSenders]', '192.168.1.0/24\n00:11:22:33:44:55');
  await page.click('#voip-params button[type=submit]');
  await page.waitForSelector('.errors li:text("RTP 起始端口须小于结束端口")');
  assert.equal((await apiGet('/voip/settings')).allowedSenders, [], 'nothing sent');
  await page.fill('#voip-params input[name=rtpPortMin]', '20000');
  await page.fill('#voip-params input[name=rtpPortMax]', '29999');
  await page.fill('#voip-params input[name=silenceTimeoutS]', '120');
  await page.selectOption('#voip-params select[name=layout]', 'mono');
  await dismissToast(page); // the E1 page's toast has the same text
  await page.click('#voip-params button[type=submit]');
  await page.waitForSelector('.toast.ok:text("已保存, 立即生效")');
  const s = await apiGet('/voip/settings');
  assert.is(s.silenceTimeoutS, 120);
  assert.is(s.layout, 'mono');
  assert.equal(s.allowedSenders, ['192.168.1.0/24', '00:11:22:33:44:55']);
  assert.is(await page.textContent('[data-testid=voip-capacity]'), '未授权');
  await shot('voip-params-zh');
});

test('VoIP录音状态 and every page again in English', async () => {
  await nav('VoIP录音状态');
  await page.waitForSelector('#voip-active, main .panel p.hint');
  await shot('voip-status-zh');
  await dismissToast(page);
  await page.click('header.top .lang');
  for (const [label, name] of [['E1 channel parameters', 'e1-params'], ['E1 recording status', 'e1-status'], ['VoIP platform parameters', 'voip-params'], ['VoIP recording status', 'voip-status']]) {
    await nav(label!);
    await page.waitForLoadState('networkidle').catch(() => undefined);
    await shot(`${name}-en`);
  }
  assert.ok(await page.isVisible('nav.side a:text-is("E1 recording status")'));
  await page.click('header.top .lang');
});

let plain: SimBox;

test('a box without E1 says so on the E1 pages', async () => {
  plain = await startSimBox({ sources: [], web: true });
  boxes.push(plain);
  await logIn(plain);
  await nav('E1通道参数');
  await page.waitForSelector('[data-testid=no-e1]');
  assert.match(await page.textContent('[data-testid=no-e1]') ?? '', '没有 E1');
  await nav('E1录音状态');
  await page.waitForSelector('[data-testid=no-e1]');
  await shot('e1-none-zh');
});

test('VoIP turned on in the UI; a phone call then shows live on VoIP录音状态', async () => {
  await nav('VoIP平台参数');
  await page.waitForSelector('[data-testid=voip-capacity]:text("64 路")');
  const rtpPortMin = 30000 + Math.floor(Math.random() * 30000);
  await page.selectOption('#voip-params select[name=enabled]', '1');
  await page.fill('#voip-params input[name=bindAddress]', '127.0.0.1');
  await page.fill('#voip-params input[name=phoneControlPort]', '0');
  await page.fill('#voip-params input[name=rtpPortMin]', String(rtpPortMin));
  await page.fill('#voip-params input[name=rtpPortMax]', String(rtpPortMin + 200));
  await dismissToast(page);
  await page.click('#voip-params button[type=submit]');
  await page.waitForSelector('.toast.ok');
  let port = 0;
  for (let i = 0; i < 100 && !port; i++) {
    port = (await apiGet('/voip/sessions')).phonePort ?? 0;
    if (!port) await plain.run(20);
  }
  assert.ok(port, 'the phone record server listens');
  await nav('VoIP录音状态');
  await page.waitForSelector('main .panel h2:text("正在录音")');
  const phone = await PhoneClient.connect(port);
  const r = await phone.request({
    cmd: 'RecordStartRequest', id: 'ui1', device: '00:1A:2B:3C:4D:5E', remote_number: '13800138000', local_number: '8001', dir: 'in', codec: 'PCMA',
  });
  assert.is(r.result, 'success', JSON.stringify(r));
  const udp = await udpClient();
  const { steps } = packetise(speechLike(2, 5, -12), 'PCMA', 0x1234);
  for (const step of steps) {
    for (const pkt of step) await send(udp, pkt, Number(r.port));
    await plain.run(20);
  }
  await page.waitForSelector('#voip-active tr td:text-is("13800138000")');
  await page.waitForSelector('#voip-active tr td:nth-child(8):text-matches("^[1-9]")');
  assert.is(await page.textContent('#voip-active tr td:nth-child(1)'), '话机');
  assert.is(await page.textContent('#voip-active tr td:nth-child(2)'), '00:1A:2B:3C:4D:5E');
  assert.is(await page.textContent('#voip-active tr td:nth-child(6)'), '呼入');
  assert.match(await page.textContent('#voip-active tr td:nth-child(7)') ?? '', /PCMA|alaw/i);
  await shot('voip-status-live-zh');
  await phone.request({ cmd: 'RecordStopRequest', id: 'ui1', reason: 'hangup' });
  phone.close();
  udp.close();
  await plain.run(300);
  await page.waitForSelector('#voip-ended tr td:text-is("13800138000")');
});

test.run();
