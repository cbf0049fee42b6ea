/**
 * Cloud seats through the API and the WebSocket, against the real daemon
 * with four simulated calls: every route a seat may use, with an agent
 * aimed at another group's call (refused or empty), the team lead reaching
 * its group and the manager everything; incremental sync with no repeat or
 * gap, also across a restart; screen pops; live listening matched against
 * the line's audio; listeners limited and logged.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiRouter } from '../../firmware/api/app.ts';
import { seatMayUse } from '../../firmware/api/auth/session-gate.ts';
import { T0 } from '../support/sim-box.ts';
import { CALLERS, seatClient, startSeatBox, streamSamples, wsClient, type SeatBox } from '../support/seat-box.ts';
import { locate } from '../support/audio-match.ts';
import type { ApiClient } from '../support/api-client.ts';
import { tempDir } from '../support/temp-dir.ts';

let sb: SeatBox;
let agent: ApiClient;
let lead: ApiClient;
let boss: ApiClient;
/** The recording of each line, by line. */
const ids: string[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seats-'));

test.before(async () => {
  sb = await startSeatBox({ dataDir });
  await sb.box.run(30_000);
  const all = (await sb.admin.json('/api/v1/records?limit=50')).body;
  for (const r of all.items) if (r.callType === 'incoming-answered') ids[r.channel] = r.id;
  agent = await seatClient(sb.origin, 'a0');
  lead = await seatClient(sb.origin, 'lead');
  boss = await seatClient(sb.origin, 'boss');
});

test.after(async () => {
  await sb?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** What an agent asks of another group's recording on every route a seat may use: nothing of it comes back. */
const OTHER = () => ids[1]!;
const MATRIX: Record<string, { url: () => string; method?: string; body?: () => unknown; expect: 'forbidden' | 'empty' | 'no-audio' | 'own-only' | 'seat-only' }> = {
  'GET /records': { url: () => '/api/v1/records?channel=1', expect: 'empty' },
  'GET /records/:id': { url: () => `/api/v1/records/${OTHER()}`, expect: 'forbidden' },
  'GET /records/:id/audio': { url: () => `/api/v1/records/${OTHER()}/audio`, expect: 'forbidden' },
  'GET /records/:id/play': { url: () => `/api/v1/records/${OTHER()}/play`, expect: 'forbidden' },
  'GET /records/:id/peaks': { url: () => `/api/v1/records/${OTHER()}/peaks`, expect: 'forbidden' },
  'GET /records/:id/download': { url: () => `/api/v1/records/${OTHER()}/download`, expect: 'forbidden' },
  'POST /records/zip': { url: () => '/api/v1/records/zip', method: 'POST', body: () => ({ ids: [OTHER()] }), expect: 'forbidden' },
  'GET /records/zip': { url: () => '/api/v1/records/zip?channel=1', expect: 'no-audio' },
  'GET /records/export.csv': { url: () => '/api/v1/records/export.csv?lang=en', expect: 'own-only' },
  'GET /records/export.xlsx': { url: () => '/api/v1/records/export.xlsx?channel=1', expect: 'own-only' },
  'GET /stats': { url: () => '/api/v1/stats?from=2026-11-01&to=2026-11-30', expect: 'own-only' },
  'GET /stats/daily': { url: () => '/api/v1/stats/daily?from=2026-11-20&to=2026-11-20', expect: 'own-only' },
  'GET /stats/monthly': { url: () => '/api/v1/stats/monthly?from=2026-11&to=2026-11', expect: 'own-only' },
  'GET /stats/export.csv': { url: () => '/api/v1/stats/export.csv?from=2026-11-01&to=2026-11-30&lang=en', expect: 'own-only' },
  'GET /stats/export.xlsx': { url: () => '/api/v1/stats/export.xlsx?from=2026-11-01&to=2026-11-30', expect: 'own-only' },
  'POST /seat/login': { url: () => '/api/v1/seat/login', method: 'POST', body: () => ({ account: 'a0', password: 'wrong-pass-1' }), expect: 'seat-only' },
  'POST /seat/logout': { url: () => '/api/v1/seat/me', expect: 'seat-only' },
  'GET /seat/me': { url: () => '/api/v1/seat/me', expect: 'seat-only' },
  'GET /seat/channels': { url: () => '/api/v1/seat/channels', expect: 'own-only' },
  'GET /seat/sync': { url: () => '/api/v1/seat/sync', expect: 'own-only' },
};

test('every route a seat may use is in the matrix', () => {
  const routes: string[] = [];
  for (const layer of apiRouter({} as never).stack) for (const m of layer.methods) if (m !== 'HEAD') routes.push(`${m} ${String(layer.path).replace('/api/v1', '')}`);
  const seatRoutes = routes.filter((r) => seatMayUse(r.replace(/:(\w+)/g, 'x').replace(' /', ' /api/v1/')));
  for (const r of seatRoutes) assert.ok(MATRIX[r], `add ${r} to the seat permission matrix`);
  assert.ok(seatRoutes.length >= 18, seatRoutes.join(', '));
});

test('an agent gets nothing of another group\'s calls, on every seat route', async () => {
  assert.ok(ids[0] && ids[1] && ids[2] && ids[3], `four answered calls: ${ids}`);
  const failures: string[] = [];
  for (const [route, c] of Object.entries(MATRIX)) {
    const body = c.body?.();
    const res = await agent.fetch(c.url(), { method: c.method ?? 'GET', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const type = res.headers.get('content-type') ?? '';
    const text = type.includes('json') || type.includes('csv') ? await res.text() : '';
    if (!text) await res.arrayBuffer();
    const json = type.includes('json') && text ? JSON.parse(text) : null;
    const mentionsOther = text.includes(OTHER()) || text.includes(CALLERS[1]!) || text.includes('analog-0-1') || text.includes('M [01]');
    let ok: boolean;
    switch (c.expect) {
      case 'forbidden': ok = res.status === 403 && json?.error?.code === 'forbidden'; break;
      case 'empty': ok = res.status === 200 && json.total === 0 && json.items.length === 0; break;
      case 'no-audio': ok = res.status === 400; break;
      case 'own-only': ok = res.status === 200 && !mentionsOther; break;
      case 'seat-only': ok = res.status < 500 && !mentionsOther; break;
    }
    if (!ok) failures.push(`${route}: ${res.status} ${text.slice(0, 200)}`);
  }
  assert.equal(failures, []);
  // What the agent does see: its own call only.
  const mine = (await agent.json('/api/v1/records')).body;
  assert.equal(mine.items.map((r: any) => r.channel), [0]);
  assert.is((await agent.fetch(`/api/v1/records/${ids[0]}/play`)).status, 200);
  const stats = (await agent.json('/api/v1/stats?from=2026-11-20&to=2026-11-20')).body;
  assert.equal(stats.items.map((r: any) => r.ref), ['analog-0-0']);
  // Outside the seat API and recording reads, a seat is refused.
  for (const p of ['/api/v1/channels', '/api/v1/settings/recording', '/api/v1/operations', '/api/v1/seats', '/api/v1/records/' + ids[0] + '/verify']) {
    assert.is((await agent.json(p)).status, 403, p);
  }
});

test('a team lead reaches its group (lines 0 and 2), a manager every line', async () => {
  const seen = (await lead.json('/api/v1/records?limit=50')).body.items.map((r: any) => r.channel).sort();
  assert.equal(seen, [0, 2]);
  assert.is((await lead.fetch(`/api/v1/records/${ids[0]}/download`)).status, 200);
  assert.is((await lead.json(`/api/v1/records/${ids[1]}`)).status, 403);
  const zip = await lead.fetch('/api/v1/records/zip');
  assert.is(zip.headers.get('x-recording-count'), '2');
  await zip.arrayBuffer();
  const all = (await boss.json('/api/v1/records?limit=50')).body.items.map((r: any) => r.channel).sort();
  assert.equal(all, [0, 1, 2, 3]);
  const me = (await lead.json('/api/v1/seat/me')).body.seat;
  assert.equal(me.reach.monitor.sort(), ['analog-0-0', 'analog-0-2']);
});

test('sync gives each change once, from a cursor, also after a restart', async () => {
  const first = (await lead.json('/api/v1/seat/sync?limit=1')).body;
  assert.is(first.items.length, 1);
  assert.ok(first.more);
  const rest = (await lead.json(`/api/v1/seat/sync?cursor=${first.cursor}`)).body;
  const got = [...first.items, ...rest.items].map((i: any) => i.id).sort();
  assert.equal(got, [ids[0], ids[2]].sort());
  assert.not.ok(rest.more);
  // The administrator marks line 0's call deleted: the lead's next sync says so, once.
  await sb.admin.json(`/api/v1/records/${ids[0]}`, { method: 'DELETE' });
  const after = (await lead.json(`/api/v1/seat/sync?cursor=${rest.cursor}`)).body;
  assert.equal(after.items.map((i: any) => [i.id, i.removed]), [[ids[0], true]]);
  await sb.admin.json(`/api/v1/records/${ids[0]}/restore`, { method: 'POST' });
  const restored = (await lead.json(`/api/v1/seat/sync?cursor=${after.cursor}`)).body;
  assert.equal(restored.items.map((i: any) => [i.id, i.removed]), [[ids[0], false]]);

  // Restart on the same data: the cursor continues, with the calls of the new run only.
  const cursor = restored.cursor;
  await sb.stop();
  sb = await startSeatBox({ dataDir, ringAt: 40, answerAt: 46, hangAt: 55, totalS: 70 });
  await sb.box.run(60_000);
  const lead2 = await seatClient(sb.origin, 'lead');
  const fresh = (await lead2.json(`/api/v1/seat/sync?cursor=${cursor}`)).body;
  const again = fresh.items.map((i: any) => i.id);
  assert.is(again.length, 2, JSON.stringify(fresh.items.map((i: any) => i.record?.startTime)));
  assert.not.ok(again.includes(ids[0]) || again.includes(ids[2]), 'nothing synced before comes again');
  for (const i of fresh.items) assert.ok(Date.parse(i.record.startTime) >= T0 + 40_000);
  const whole = (await lead2.json('/api/v1/seat/sync?cursor=0')).body;
  assert.is(whole.items.length, 4, 'everything from the start: both runs, each call once');
  lead = lead2;
  agent = await seatClient(sb.origin, 'a0');
});

test('座席状态: a seat is online while its client is connected; the settings never show a password hash', async () => {
  const ws = await wsClient(sb.origin, agent.token);
  const other = await wsClient(sb.origin, (await seatClient(sb.origin, 'b1')).token);
  try {
    await sb.box.run(10);
    const seats = (await sb.admin.json('/api/v1/seats')).body.items;
    assert.ok(seats.find((s: any) => s.ref === 'analog-0-0').online, 'the agent is online (座席状态)');
    assert.not.ok(seats.find((s: any) => s.ref === 'analog-0-2').online);
    assert.not.ok(seats.some((s: any) => 'passwordHash' in s));
  } finally {
    ws.close();
    other.close();
  }
});

test('pops, live listening and its limit on a running call', async () => {
  await sb.stop();
  sb = await startSeatBox({ dataDir: tempDir('seats-live-') });
  const a0 = await seatClient(sb.origin, 'a0');
  const ld = await seatClient(sb.origin, 'lead');
  const wa = await wsClient(sb.origin, a0.token);
  const wl = await wsClient(sb.origin, ld.token);
  try {
    await sb.box.run(1500);
    const ringing = await wa.waitFor((m) => m.type === 'pop');
    assert.is(ringing.pop.phase, 'ringing');
    assert.is(ringing.pop.ref, 'analog-0-0');
    await sb.box.run(3000);
    const withNumber = await wa.waitFor((m) => m.type === 'pop' && m.pop.remoteNumber === CALLERS[0]);
    assert.is(withNumber.pop.callId, ringing.pop.callId);
    assert.not.ok(wl.messages.some((m) => m.type === 'pop' && m.pop.ref !== 'analog-0-2'), 'a seat pops for its own line only');
    await sb.box.run(4000); // answered at 7 s
    // The agent may not listen to line 1; the lead listens to its group member, line 0.
    wa.ws.send(JSON.stringify({ type: 'listen', ref: 'analog-0-1' }));
    const refused = await wa.waitFor((m) => m.type === 'error');
    assert.is(refused.code, 'forbidden');
    wl.ws.send(JSON.stringify({ type: 'listen', ref: 'analog-0-0', mode: 'mixed' }));
    const started = await wl.waitFor((m) => m.type === 'listening');
    await sb.box.run(2000);
    await new Promise((r) => setTimeout(r, 100));
    const { samples, blocks } = streamSamples(wl.frames, started.stream);
    assert.ok(blocks.length >= 90, `${blocks.length} blocks in 2 s`);
    const lineAt = Math.round(((blocks[0]!.at - T0) / 1000) * 8000);
    const n = 8000;
    const m = locate(samples, 0, n, sb.audio[0]!, lineAt - 400, lineAt + 400);
    assert.ok(m.correlation > 0.95, `correlation ${m.correlation}`);
    assert.ok(Math.abs(m.offset - lineAt) <= 160, `offset ${m.offset} vs ${lineAt}`);
    // 座席状态 and 监听状态 on the settings page.
    const list = (await sb.admin.json('/api/v1/seats')).body;
    const line0 = list.items.find((s: any) => s.ref === 'analog-0-0');
    assert.ok(line0.online);
    assert.equal(line0.listeners.map((l: any) => l.account), ['lead']);
    // Four listeners at most per channel.
    const boss = await seatClient(sb.origin, 'boss');
    const wb = await wsClient(sb.origin, boss.token);
    try {
      for (let i = 0; i < 4; i++) wb.ws.send(JSON.stringify({ type: 'listen', ref: 'analog-0-0' }));
      await wb.waitFor((m) => m.type === 'error');
      assert.is(wb.messages.filter((m) => m.type === 'listening').length, 3);
      assert.is(wb.messages.find((m) => m.type === 'error').code, 'listeners_full');
    } finally {
      wb.close();
    }
    wl.ws.send(JSON.stringify({ type: 'unlisten', stream: started.stream }));
    await wl.waitFor((m) => m.type === 'unlistened');
    await sb.box.run(100);
    const log = (await sb.admin.json('/api/v1/operations?item=listen&limit=50')).body.items;
    const lead = log.filter((o: any) => o.account === 'lead');
    assert.equal(lead.map((o: any) => `${o.operation} ${o.result}`).sort(), ['start ok', 'stop ok']);
    assert.ok(log.some((o: any) => o.account === 'a0' && o.result === 'failed'), 'the refused listen is logged');
  } finally {
    wa.close();
    wl.close();
  }
});

test.run();
