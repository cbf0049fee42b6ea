/**
 * The seat page and live listening in a real browser against the real
 * daemon: agent a0 signs in at /seat and its screen pop shows the caller's
 * number within a second of the box decoding it while the line rings; team
 * lead `lead` listens live to a0's call and the samples its page received
 * over the WebSocket match the line's audio (cross-correlation), with the
 * measured delay printed; the administrator sees 座席状态 and 监听状态 on
 * 云座席 and 录音状态. Screenshots in Chinese and English.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildWebUi, screenshot } from '../support/browser.ts';
import { ADMIN_PASSWORD } from '../support/api-client.ts';
import { CALLERS, SEAT_PASSWORD, startSeatBox, type SeatBox } from '../support/seat-box.ts';
import { normalisedCorrelation } from '../support/audio-match.ts';
import { T0 } from '../support/sim-box.ts';

let sb: SeatBox;
let browser: Browser;
let agent: Page;
let lead: Page;
let admin: Page;
/** Wall-clock time each audio block of line 0 reached the audio tap, by its block time. */
const tapWall = new Map<number, number>();
let stopTap = () => {};

test.before(async () => {
  buildWebUi();
  sb = await startSeatBox();
  const tap = sb.box.services.audio.listen({ portType: 'analog', port: 0, channel: 0 }, 1000);
  let on = true;
  stopTap = () => {
    on = false;
    tap.close();
  };
  void (async () => {
    while (on) {
      const b = await tap.next();
      if (!b) return;
      tapWall.set(b.at, Date.now());
    }
  })();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--autoplay-policy=no-user-gesture-required', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = async () => (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  agent = await page();
  lead = await page();
  admin = await page();
});

test.after(async () => {
  stopTap();
  await browser?.close().catch(() => undefined);
  await sb?.stop();
});

/** Runs the box's virtual clock at the pace of the wall clock, so the browser sees time pass as on a box. */
async function realTime(ms: number): Promise<void> {
  const start = Date.now();
  for (let v = 0; v < ms; v += 20) {
    await sb.box.run(20);
    const ahead = v + 20 - (Date.now() - start);
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
  }
}

async function seatLogin(p: Page, account: string): Promise<void> {
  await p.goto(`${sb.origin}/seat`);
  await p.waitForSelector('form.seat-login');
  await p.fill('input[name=account]', account);
  await p.fill('input[name=password]', SEAT_PASSWORD);
  await p.click('form.seat-login button[type=submit]');
  await p.waitForSelector('#seat-pop');
}

const shot = (p: Page, name: string) => screenshot(p, name, { fullPage: true });

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

test('an agent signs in and its screen pops the caller\'s number within a second of the box hearing it', async () => {
  await seatLogin(agent, 'a0');
  assert.is(await agent.textContent('[data-testid=seat-account]'), 'a0');
  await seatLogin(lead, 'lead');
  await lead.waitForSelector('#seat-channels tr[data-ref="analog-0-0"] button.listen');
  assert.is(await lead.$('#seat-channels tr[data-ref="analog-0-1"]'), null, 'line 1 is another group\'s');
  let numberAt = 0;
  const off = sb.box.services.events.listen((e) => {
    if (e.type === 'channel.state' && e.remoteNumber === CALLERS[0] && !numberAt) numberAt = Date.now();
  }, { types: ['channel.state'], ref: { portType: 'analog', port: 0, channel: 0 } });
  // The page notes when the number appears, on this machine's clock.
  await agent.evaluate((n) => {
    const w = globalThis as any;
    new w.MutationObserver(() => {
      if (!w.popShownAt && w.document.querySelector('[data-testid=pop-number]')?.textContent === n) w.popShownAt = Date.now();
    }).observe(w.document.body, { subtree: true, childList: true, characterData: true });
  }, CALLERS[0]!);
  try {
    await realTime(1200);
    await agent.waitForSelector('#seat-pop.active .pop-phase');
    await realTime(2300); // caller ID ends about 3.04 s into the call
    assert.ok(numberAt > 0, 'the box decoded the caller ID while the line rang');
    await agent.waitForSelector(`[data-testid=pop-number]:text-is("${CALLERS[0]}")`, { timeout: 2000 });
    const shown = (await agent.evaluate(() => (globalThis as any).popShownAt as number)) - numberAt;
    console.log(`BENCH seat-pop-latency ${shown} ms`);
    assert.ok(shown <= 1000, `pop after ${shown} ms`);
  } finally {
    off();
  }
  await shot(agent, 'seat-pop-zh');
});

test('a team lead listens live to a group member\'s call: the samples match the line, delay reported', async () => {
  await realTime(4200); // answered at 7 s
  await lead.click('#seat-channels tr[data-ref="analog-0-0"] button.listen');
  await lead.waitForSelector('#seat-channels tr[data-ref="analog-0-0"] button.listen.current');
  await realTime(3000);
  const frames: Array<{ seq: number; at: number; receivedAt: number; heldMs: number; samples: number[] }> = await lead.evaluate(() =>
    [...(globalThis as any).__listen.values()].flatMap((p: any) => p.frames.map((f: any) => ({ seq: f.seq, at: f.at, receivedAt: f.receivedAt, heldMs: f.heldMs, samples: Array.from(f.samples) }))),
  );
  assert.ok(frames.length >= 120, `${frames.length} frames in 3 s`);
  const seqs = frames.map((f) => f.seq);
  assert.equal(seqs, seqs.map((_, i) => seqs[0]! + i), 'every frame, in order');
  // Each frame is the line's audio at the time it names.
  const line = sb.audio[0]!;
  const got = new Int16Array(frames.flatMap((f) => f.samples));
  const from = Math.round(((frames[0]!.at - T0) / 1000) * 8000);
  const c = normalisedCorrelation(got, 0, line, from, got.length);
  console.log(`seat live listening: ${frames.length} frames, correlation ${c.toFixed(4)} with the line's audio`);
  assert.ok(c > 0.95, `correlation ${c}`);
  // Delay: from the audio tap to the browser, and to playout behind the jitter buffer.
  const transit = frames.flatMap((f) => (tapWall.has(f.at) ? [f.receivedAt - tapWall.get(f.at)!] : []));
  const endToEnd = frames.flatMap((f) => (tapWall.has(f.at) ? [f.receivedAt - tapWall.get(f.at)! + f.heldMs] : []));
  assert.ok(transit.length > frames.length / 2);
  console.log(`BENCH seat-listen-transit-p50 ${percentile(transit, 0.5).toFixed(1)} ms`);
  console.log(`BENCH seat-listen-transit-p95 ${percentile(transit, 0.95).toFixed(1)} ms`);
  console.log(`BENCH seat-listen-end-to-end-p50 ${percentile(endToEnd, 0.5).toFixed(1)} ms`);
  console.log(`BENCH seat-listen-end-to-end-p95 ${percentile(endToEnd, 0.95).toFixed(1)} ms`);
  await shot(lead, 'seat-listen-zh');
});

test('the administrator sees 座席状态 and 监听状态 on 云座席 and 录音状态', async () => {
  await admin.goto(`${sb.origin}/`);
  await admin.waitForSelector('form.login');
  await admin.fill('input[name=username]', 'admin');
  await admin.fill('input[name=password]', ADMIN_PASSWORD);
  await admin.click('form.login button[type=submit]');
  await admin.waitForSelector('main .crumb');
  // 实时监听 from the monitor: a button on a tile in a call.
  await admin.click('.tile[data-ref="analog-0-2"] button.tile-listen');
  await admin.waitForSelector('.tile[data-ref="analog-0-2"] button.tile-listen.current');
  await realTime(300);
  await admin.click('.tile[data-ref="analog-0-2"] button.tile-listen');
  await admin.waitForSelector('.tile[data-ref="analog-0-2"] button.tile-listen:not(.current)');
  await admin.click('nav.side a:text-is("云座席")');
  await admin.waitForSelector('#seat-table tr[data-ref="analog-0-0"] td.seat-state:has-text("在线")');
  assert.match(await admin.textContent('#seat-table tr[data-ref="analog-0-0"] td.seat-state') ?? '', /lead/);
  assert.is(await admin.textContent('#seat-table tr[data-ref="analog-0-1"] td.seat-state'), '离线');
  await shot(admin, 'seat-settings-zh');
  // An edit: line 1's seat becomes a team lead of group 2.
  await admin.click('#seat-table tr[data-ref="analog-0-1"] button:text-is("修改")');
  await admin.selectOption('#seat-table tr.editing select[name=level]', 'lead');
  await admin.click('#seat-table tr.editing button:text-is("保存")');
  await admin.waitForSelector('#seat-table tr[data-ref="analog-0-1"] td:text-is("班长座席")');
  await admin.click('nav.side a:text-is("录音状态")');
  await admin.waitForSelector('#status-table tr[data-ref="analog-0-0"] td.listen-state:has-text("lead")');
  assert.is(await admin.textContent('#status-table tr[data-ref="analog-0-0"] td.seat-state'), '在线');
  await shot(admin, 'seat-status-zh');
  // The administrator listens too, from 录音状态.
  await admin.click('#status-table tr[data-ref="analog-0-0"] button.listen');
  await admin.waitForSelector('#status-table tr[data-ref="analog-0-0"] button.listen.current');
  await realTime(500);
  const n = await admin.evaluate(() => [...(globalThis as any).__listen.values()].reduce((k: number, p: any) => k + p.frames.length, 0));
  assert.ok(n > 5, `${n} frames`);
  await admin.click('header.top .lang');
  await admin.click('nav.side a:text-is("Cloud seats")');
  await admin.waitForSelector('#seat-table tr[data-ref="analog-0-0"]');
  await shot(admin, 'seat-settings-en');
  await agent.click('header.top .lang');
  await agent.waitForSelector('#seat-pop h2:text-is("Incoming call")');
  await shot(agent, 'seat-pop-en');
});

test('once the calls are recorded, the agent\'s list syncs to its own call alone, ready to play', async () => {
  await sb.box.run(14_000); // hung up at 20 s, indexed
  await agent.waitForSelector('#seat-calls tr[data-id]');
  await agent.waitForSelector('#seat-pop:not(.active)');
  const rows = await agent.$$eval('#seat-calls tr[data-id] td:nth-child(3)', (tds) => tds.map((td) => td.textContent));
  assert.equal(rows, [CALLERS[0]]);
  await agent.click('#seat-calls tr[data-id] button:text-is("Play")');
  await agent.waitForSelector('#seat-calls audio');
  await shot(agent, 'seat-calls-en');
  await lead.waitForSelector('#seat-calls tr[data-id]');
  await lead.waitForFunction(() => (globalThis as any).document.querySelectorAll('#seat-calls tr[data-id]').length === 2);
});

test.run();
