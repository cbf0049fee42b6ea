/**
 * System logs (系统日志): saved on demand through the API, listed, downloaded
 * as a zip holding the log's tail and a status snapshot (without secrets),
 * deleted; saved by the box when the line card is lost (once within the
 * hold-off) and after a run that did not stop cleanly; the saved logs kept
 * within their budget; the running log rotated in place.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { SavedLogs } from '../../firmware/logs/saved-logs.ts';
import { rotateIfLarge } from '../../firmware/logs/log-rotation.ts';
import { RUNNING_MARKER } from '../../firmware/logs/fault-saves.ts';
import { tempDir } from '../support/temp-dir.ts';

const tmp = () => tempDir('syslog-');
const unzip = (file: string, member: string) => execFileSync('unzip', ['-p', file, member]).toString('utf8');
const pinoLine = (msg: string, level = 30) => `${JSON.stringify({ level, time: Date.parse('2026-11-20T01:00:00Z'), app: 'recorder', msg })}\n`;

let box: SimBox;
let api: ApiClient;
let logDir: string;

test.before(async () => {
  box = await startSimBox({ sources: [], maintenance: { faultSaveDelayMs: 500 } });
  api = await signIn(`http://127.0.0.1:${box.port}`);
  logDir = path.join(box.dataDir, 'log');
  fs.mkdirSync(logDir, { recursive: true });
  fs.writeFileSync(path.join(logDir, 'recorder.log'), pinoLine('recorder started') + pinoLine('alarm raised: something', 40));
});

test.after(async () => {
  await box?.stop();
});

test('a log saved on demand is listed, downloads as a zip of the log and a status snapshot, and is deleted', async () => {
  await api.json('/api/v1/settings/mail', { method: 'PATCH', body: { sender: 'box@example.com', authCode: 'SECRET-CODE-77' } });
  const saved = await api.json('/api/v1/system-logs', { method: 'POST' });
  assert.is(saved.status, 201, JSON.stringify(saved.body));
  assert.match(saved.body.name, /^\d{14}_manual\.zip$/);
  assert.is(saved.body.reason, 'manual');
  const list = await api.json('/api/v1/system-logs');
  assert.equal(list.body.items.map((i: any) => i.name), [saved.body.name]);
  assert.ok(list.body.totalBytes > 0 && list.body.budgetBytes > 0);

  const res = await api.fetch(saved.body.downloadUrl);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', saved.body.name);
  const dir = tmp();
  try {
    const file = path.join(dir, 'log.zip');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    assert.match(unzip(file, 'logs/recorder.log'), 'alarm raised: something');
    const status = JSON.parse(unzip(file, 'status.json'));
    assert.is(status.reason, 'manual');
    assert.is(status.board, 'sim');
    assert.type(status.processing.memory.rssBytes, 'number');
    assert.ok(Array.isArray(status.activeAlarms));
    assert.is(status.settings.mail.sender, 'box@example.com');
    assert.not.match(fs.readFileSync(file).toString('latin1'), 'SECRET-CODE-77', 'no secret in the bundle');
    assert.not.match(execFileSync('unzip', ['-p', file]).toString('utf8'), 'SECRET-CODE-77');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const tail = await api.json('/api/v1/system-logs/tail?lines=1');
  assert.equal(tail.body.items.map((l: any) => [l.level, l.msg]), [['warn', 'alarm raised: something']]);

  assert.is((await api.json(`/api/v1/system-logs/${saved.body.name}`, { method: 'DELETE' })).status, 204);
  assert.equal((await api.json('/api/v1/system-logs')).body.items, []);
  assert.is((await api.fetch(saved.body.downloadUrl)).status, 404);
  assert.is((await api.json(`/api/v1/system-logs/${saved.body.name}`, { method: 'DELETE' })).status, 404);
  assert.is((await api.fetch('/api/v1/system-logs/..%2F..%2Fsettings.json')).status, 400, 'no path outside the folder');
  assert.is((await api.fetch('/api/v1/system-logs/recorder.log')).status, 404, 'only saved bundles');
  const ops = (await api.json('/api/v1/operations?item=system&operation=save')).body.items;
  assert.ok(ops.some((o: any) => o.account === 'admin' && o.detail === saved.body.name));
});

test('the box saves its log when the line card is lost, once while it flaps', async () => {
  box.card.setMute(true);
  await box.run(7_000);
  box.card.setMute(false);
  await box.run(4_000);
  box.card.setMute(true);
  await box.run(7_000);
  box.card.setMute(false);
  await box.run(2_000);
  const items = (await api.json('/api/v1/system-logs')).body.items;
  assert.equal(items.map((i: any) => i.reason), ['linecard-down']);
  const ops = (await api.json('/api/v1/operations?kind=system&operation=save')).body.items;
  assert.ok(ops.some((o: any) => /linecard-down/.test(o.detail)));
  const dir = tmp();
  try {
    const file = path.join(dir, 'fault.zip');
    fs.writeFileSync(file, Buffer.from(await (await api.fetch(items[0].downloadUrl)).arrayBuffer()));
    const status = JSON.parse(unzip(file, 'status.json'));
    assert.ok(status.activeAlarms.some((a: any) => a.id === 'linecard-down'), 'the snapshot shows the fault');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a run that did not stop cleanly leaves a saved log at the next start', async () => {
  const dataDir = tmp();
  fs.mkdirSync(path.join(dataDir, 'log'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'log', RUNNING_MARKER), 'earlier run\n');
  const other = await startSimBox({ sources: [], dataDir, maintenance: { faultSaveDelayMs: 100 } });
  try {
    await other.run(500);
    // The save runs in the background (reading logs, dmesg, zipping): wait for it in real time.
    const saved = path.join(dataDir, 'log', 'saved');
    for (let i = 0; i < 200 && !(fs.existsSync(saved) && fs.readdirSync(saved).some((n) => n.endsWith('.zip'))); i++) {
      await new Promise((r) => setTimeout(r, 50));
      await other.run(10);
    }
    const names = fs.readdirSync(saved).filter((n) => n.endsWith('.zip'));
    assert.is(names.length, 1, names.join(" "));
    assert.match(names[0]!, /_restart-after-fault\.zip$/, names.join(" "));
  } finally {
    await other.stop();
  }
  assert.not.ok(fs.existsSync(path.join(dataDir, 'log', RUNNING_MARKER)), 'a clean stop removes the marker');
});

test('saved logs stay within their budget and count; the newest is kept', async () => {
  const dir = tmp();
  try {
    fs.writeFileSync(path.join(dir, 'recorder.log'), randomBytes(30_000).toString('base64'));
    const logs = new SavedLogs(dir, { budgetBytes: 100_000, maxFiles: 10, tailBytes: 1_000_000 });
    const t0 = Date.parse('2026-11-20T09:00:00+08:00');
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push((await logs.save('manual', t0 + i * 60_000, { snapshot: { i } })).name);
    const left = await logs.list();
    const total = left.reduce((n, s) => n + s.sizeBytes, 0);
    assert.ok(total <= 100_000, `${total} bytes kept`);
    assert.is(left[0]!.name, names[5], 'the newest stays');
    assert.ok(left.length < 6 && left.length >= 2, `${left.length} kept`);
    assert.equal(left.map((s) => s.name), names.slice(6 - left.length).reverse(), 'the oldest went first');
    const few = new SavedLogs(dir, { budgetBytes: 10_000_000, maxFiles: 1, tailBytes: 1000 });
    await few.keepWithinLimits();
    assert.equal((await few.list()).map((s) => s.name), [names[5]]);
    const huge = new SavedLogs(dir, { budgetBytes: 10, maxFiles: 5, tailBytes: 1_000_000 });
    const last = await huge.save('manual', t0 + 3_600_000, { snapshot: {} });
    assert.equal((await huge.list()).map((s) => s.name), [last.name], 'a bundle larger than the budget is still the one kept');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the running log is rotated in place and its writer goes on at the start of the emptied file', async () => {
  const dir = tmp();
  try {
    const live = path.join(dir, 'recorder.log');
    const fd = fs.openSync(live, 'a');
    const limits = { maxBytes: 1000, keep: 2 };
    for (let round = 1; round <= 3; round++) {
      fs.writeSync(fd, `round ${round} `.padEnd(1500, 'x') + '\n');
      assert.ok(await rotateIfLarge(dir, 'recorder.log', limits));
      assert.is(fs.statSync(live).size, 0);
      assert.match(fs.readFileSync(`${live}.1`, 'utf8'), `round ${round} `);
    }
    assert.match(fs.readFileSync(`${live}.2`, 'utf8'), 'round 2 ');
    assert.not.ok(fs.existsSync(`${live}.3`), 'only two copies kept');
    fs.writeSync(fd, 'after\n');
    assert.is(fs.readFileSync(live, 'utf8'), 'after\n', 'appended at the start, no hole');
    assert.not.ok(await rotateIfLarge(dir, 'recorder.log', limits), 'small files stay');
    fs.closeSync(fd);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
