/**
 * A cascade of three real daemons (each with its simulated line card on a
 * pseudo-terminal pair): two slaves register with the master using the
 * shared secret; the master answers one search over the three boxes
 * (merged newest first, totals summed, pages cut from the merge), the sum
 * of their statistics, and plays a slave's recording streamed from it. A
 * box answering garbage and a slave that is stopped are reported without
 * breaking the master's answer; a request signed with another secret is
 * refused; a slave goes on recording when the master is gone.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { killTree, startDaemonProcess, startSimulator, waitFor, type DaemonProcess } from '../support/processes.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { signedHeaders } from '../../firmware/cascade/cascade-signature.ts';
import { tempDir } from '../support/temp-dir.ts';

const SECRET = 'cascade-test-secret-0123456789';
/** The calls come this long after a box's simulator starts: after its daemon is up, even on a loaded machine. */
const CALLS_AT = 60;
const children: ChildProcess[] = [];
const servers: http.Server[] = [];

test.after(() => {
  for (const c of children) killTree(c, 'SIGKILL');
  for (const s of servers) s.close();
});

interface Box {
  name: string;
  daemon: DaemonProcess;
  sim: ChildProcess;
  api: ApiClient;
  origin: string;
}

async function startBox(name: string, offsetS: number): Promise<Box> {
  const work = tempDir(`cascade-${name}-`);
  // Two short calls, and a call on line 2 that lasts (the slave records it whatever the master does).
  const lines = [
    { channel: 0, timeline: [{ t: 0, state: 'onhook' }, { t: CALLS_AT + offsetS, state: 'offhook' }, { t: CALLS_AT + 3 + offsetS, state: 'onhook' }] },
    { channel: 1, timeline: [{ t: 0, state: 'onhook' }, { t: CALLS_AT + 4 + offsetS, state: 'offhook' }, { t: CALLS_AT + 7 + offsetS, state: 'onhook' }] },
    { channel: 2, timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }] },
  ];
  fs.writeFileSync(path.join(work, 'scenario.json'), JSON.stringify({ board: 'sim', lines }));
  const sim = startSimulator(work, ['--scenario', path.join(work, 'scenario.json')]);
  children.push(sim);
  await waitFor('the pseudo-terminal pair', () => fs.existsSync(path.join(work, 'var/linecard-host.pty')));
  const daemon = await startDaemonProcess(work, 'sim', 90_000);
  children.push(daemon.child);
  const origin = `http://127.0.0.1:${daemon.port}`;
  return { name, daemon, sim, api: await signIn(origin), origin };
}

async function setMode(b: Box, body: object): Promise<void> {
  const r = await b.api.json('/api/v1/settings/cascade', { method: 'PATCH', body });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.not.ok(JSON.stringify(r.body).includes(SECRET), 'the secret is never shown');
}

const ownRecords = async (b: Box) => (await b.api.json('/api/v1/records?limit=100')).body;

test('a master and two slaves answer one merged search, statistics and playback; a stopped slave is reported', async () => {
  const master = await startBox('master', 0);
  const a = await startBox('slave-a', 1);
  const b = await startBox('slave-b', 2);
  await setMode(master, { mode: 'master', boxId: 'master', secret: SECRET });
  for (const s of [a, b]) await setMode(s, { mode: 'slave', boxId: s.name, secret: SECRET, masterUrl: master.origin, advertisedUrl: s.origin });
  await waitFor('both slaves registered', async () => {
    const st = (await master.api.json('/api/v1/cascade')).body;
    return st.slaves.length === 2 && st.slaves.every((x: any) => x.state === 'online') ? st : null;
  });
  assert.is((await a.api.json('/api/v1/cascade')).body.master.state, 'registered');
  for (const box of [master, a, b]) await waitFor(`two recordings on ${box.name}`, async () => ((await ownRecords(box)).total >= 2 ? true : null), 150_000, 1000);

  const own = await Promise.all([master, a, b].map(ownRecords));
  const merged = (await master.api.json('/api/v1/cascade/records?limit=100')).body;
  assert.is(merged.total, own.reduce((n, o) => n + o.total, 0), 'the total is the sum of the boxes\'');
  assert.equal(merged.boxes.map((x: any) => [x.box, x.state]), [['master', 'online'], ['slave-a', 'online'], ['slave-b', 'online']]);
  const times = merged.items.map((r: any) => Date.parse(r.startTime));
  assert.equal(times, [...times].sort((x, y) => y - x), 'newest first');
  const expected = new Set(own.flatMap((o, i) => o.items.map((r: any) => `${['master', 'slave-a', 'slave-b'][i]}/${r.id}`)));
  assert.equal(new Set(merged.items.map((r: any) => `${r.box}/${r.id}`)), expected);
  const page2 = (await master.api.json('/api/v1/cascade/records?limit=2&page=2')).body;
  assert.is(page2.total, merged.total);
  assert.equal(page2.items.map((r: any) => `${r.box}/${r.id}`), merged.items.slice(2, 4).map((r: any) => `${r.box}/${r.id}`), 'a page is cut from the merge');

  // A slave's recording played through the master, whole and by range.
  const rec = merged.items.find((r: any) => r.box === 'slave-a' && r.stopMode);
  const direct = Buffer.from(await (await a.api.fetch(`/api/v1/records/${rec.id}/audio`)).arrayBuffer());
  const through = await master.api.fetch(rec.audioUrl);
  assert.is(through.status, 200);
  assert.ok(Buffer.from(await through.arrayBuffer()).equals(direct), 'the same bytes as on the slave');
  const part = await master.api.fetch(rec.audioUrl, { headers: { range: 'bytes=100-199' } });
  assert.is(part.status, 206);
  assert.ok(Buffer.from(await part.arrayBuffer()).equals(direct.subarray(100, 200)));

  const today = new Date();
  const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  const stats = (await master.api.json(`/api/v1/cascade/stats?from=${day}&to=${day}`)).body;
  assert.is(stats.items.length, 3);
  assert.is(stats.total.recordings, stats.items.reduce((n: number, x: any) => n + x.total.recordings, 0));

  // Another secret is refused.
  const p = '/api/v1/cascade/peer/records?q=' + encodeURIComponent(JSON.stringify({ limit: 1, offset: 0 }));
  const forged = await fetch(master.origin + p, { headers: signedHeaders('another-secret-0123456789', { method: 'GET', path: p, box: 'slave-a', time: Date.now() }) });
  assert.is(forged.status, 401);
  const good = await fetch(a.origin + p, { headers: signedHeaders(SECRET, { method: 'GET', path: p, box: 'master', time: Date.now() }) });
  assert.is(good.status, 200);

  // A box answering garbage is reported; the others are served.
  const junk = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"total":"many","items":7}'));
  servers.push(junk);
  await new Promise<void>((r) => junk.listen(0, '127.0.0.1', r));
  const junkUrl = `http://127.0.0.1:${(junk.address() as any).port}`;
  const reg = `/api/v1/cascade/peer/register?${new URLSearchParams({ box: 'junk', url: junkUrl })}`;
  assert.is((await fetch(master.origin + reg, { method: 'POST', headers: signedHeaders(SECRET, { method: 'POST', path: reg, box: 'junk', time: Date.now() }) })).status, 200);
  const withJunk = (await master.api.json('/api/v1/cascade/records?limit=100')).body;
  assert.is(withJunk.total, merged.total);
  assert.is(withJunk.boxes.find((x: any) => x.box === 'junk').state, 'invalid');
  assert.is((await master.api.json('/api/v1/cascade/slaves/junk', { method: 'DELETE' })).status, 204);

  // Slave b stops: the master still answers with its own and slave a's recordings.
  b.daemon.child.kill('SIGKILL');
  await new Promise((r) => b.daemon.child.once('exit', r));
  const without = await master.api.json('/api/v1/cascade/records?limit=100');
  assert.is(without.status, 200);
  const boxB = without.body.boxes.find((x: any) => x.box === 'slave-b');
  assert.is(boxB.state, 'down');
  assert.ok(without.body.items.every((r: any) => r.box !== 'slave-b'));
  const masterNow = (await ownRecords(master)).total;
  const aNow = (await ownRecords(a)).total;
  assert.is(without.body.total, masterNow + aNow);
  assert.is((await master.api.json('/api/v1/cascade')).body.slaves.find((x: any) => x.box === 'slave-b').state, 'down');

  // The master goes: slave a goes on recording line 2.
  const before = (await a.api.json('/api/v1/channels/2')).body;
  assert.ok(before.recording);
  master.daemon.child.kill('SIGKILL');
  await new Promise((r) => master.daemon.child.once('exit', r));
  await waitFor('slave a still recording', async () => {
    const ch = (await a.api.json('/api/v1/channels/2')).body;
    return ch.recording && ch.recordingS >= before.recordingS + 2 ? true : null;
  });
});

test.run();
