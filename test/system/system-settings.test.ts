/**
 * System settings (系统设置) on a simulated box: SSH and FTP started and
 * stopped, a failure putting back what was already changed, invalid values
 * refused, stale pages refused, and the CPU-use alarm raised and cleared.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';

let box: SimBox;
let admin: ApiClient;

const current = async () => {
  const r = await admin.json('/api/v1/system/settings');
  const { watchdogStatus: _, cpuPercent: __, revision, ...settings } = r.body;
  return { settings, revision, cpuPercent: r.body.cpuPercent };
};
const put = (body: object, headers: Record<string, string> = {}) => admin.json('/api/v1/system/settings', { method: 'PUT', body, headers });

test.before(async () => {
  box = await startSimBox({ sources: [] });
  admin = await signIn(`http://127.0.0.1:${box.port}`);
});

test.after(async () => {
  await box?.stop();
});

test('factory values, with the port the box was started on', async () => {
  const { settings } = await current();
  assert.equal({ ...settings, webPort: 0 }, { webPort: 0, watchdog: true, watchdogTimeoutS: 200, ssh: true, ftp: true, cpuAlarmPercent: 0 });
});

test('SSH and FTP turned off and on', async () => {
  const { settings, revision } = await current();
  const r = await put({ ...settings, ssh: false, ftp: false, revision });
  assert.is(r.status, 200, JSON.stringify(r.body));
  assert.equal(box.system.daemons.running, { ssh: false, ftp: false });
  const back = await put({ ...r.body, ssh: true, watchdogStatus: undefined, cpuPercent: undefined, revision: undefined });
  assert.is(back.status, 200, JSON.stringify(back.body));
  assert.equal(box.system.daemons.running, { ssh: true, ftp: false });
});

test('a failure part way puts back what was changed: nothing half applied, nothing saved', async () => {
  const { settings } = await current();
  const configDir = path.join(box.dataDir, '..', `${path.basename(box.dataDir)}-config`);
  const saved = fs.readFileSync(path.join(configDir, 'system.json'), 'utf8');
  // SSH goes off first; FTP then fails to start.
  const failing = box.system.daemons;
  const realSet = failing.set.bind(failing);
  failing.set = async (d, on) => {
    if (d === 'ftp' && on) throw new Error('ftpd: address in use');
    return realSet(d, on);
  };
  try {
    const r = await put({ ...settings, ssh: false, ftp: true });
    assert.is(r.status, 500);
    assert.is(r.body.error.code, 'SYSTEM_APPLY_FAILED');
    assert.match(r.body.error.message, /address in use/);
  } finally {
    failing.set = realSet;
  }
  assert.equal(box.system.daemons.running, { ssh: true, ftp: false }, 'SSH back on');
  assert.is(fs.readFileSync(path.join(configDir, 'system.json'), 'utf8'), saved);
});

test('invalid values and stale pages are refused', async () => {
  const { settings, revision } = await current();
  for (const [field, value] of [['webPort', 0], ['webPort', 70000], ['watchdogTimeoutS', 19], ['watchdogTimeoutS', 256], ['cpuAlarmPercent', 101]] as const) {
    const r = await put({ ...settings, [field]: value });
    assert.is(r.status, 400, `${field} ${value}`);
    assert.match(r.body.error.message, new RegExp(field));
  }
  const ok = await put({ ...settings, watchdogTimeoutS: 60 }, { 'if-match': `"${revision}"` });
  assert.is(ok.status, 200);
  const stale = await put({ ...settings, watchdogTimeoutS: 90 }, { 'if-match': `"${revision}"` });
  assert.is(stale.status, 409);
  assert.is(stale.body.error.code, 'stale');
});

test('CPU use above the threshold for 15 s raises an alarm; below it clears; 0 turns the check off', async () => {
  const { settings } = await current();
  assert.is((await put({ ...settings, cpuAlarmPercent: 80 })).status, 200);
  box.system.cpu.percent = 95;
  await box.run(10_000);
  assert.not.ok((await admin.json('/api/v1/alarms')).body.items?.some?.((a: { id: string }) => a.id === 'cpu-high') ?? false);
  await box.run(10_000);
  const alarms = await admin.json('/api/v1/alarms');
  const list = Array.isArray(alarms.body) ? alarms.body : alarms.body.items;
  const cpu = list.find((a: { id: string }) => a.id === 'cpu-high');
  assert.ok(cpu, JSON.stringify(alarms.body));
  assert.match(cpu.message, /CPU use 95% at or above the alarm threshold 80%/);
  assert.is((await current()).cpuPercent, 95);
  box.system.cpu.percent = 20;
  await box.run(20_000);
  const after = await admin.json('/api/v1/alarms');
  assert.not.ok((Array.isArray(after.body) ? after.body : after.body.items).some((a: { id: string }) => a.id === 'cpu-high'));
  box.system.cpu.percent = 100;
  assert.is((await put({ ...settings, cpuAlarmPercent: 0 })).status, 200);
  await box.run(30_000);
  const off = await admin.json('/api/v1/alarms');
  assert.not.ok((Array.isArray(off.body) ? off.body : off.body.items).some((a: { id: string }) => a.id === 'cpu-high'));
});

test('the web port moves the API to the new port; a port in use is refused and the old one kept', async () => {
  const { settings } = await current();
  const oldPort = box.port;
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', () => r()));
  const busy = (blocker.address() as net.AddressInfo).port;
  try {
    const refused = await put({ ...settings, webPort: busy, ssh: !settings.ssh });
    assert.is(refused.status, 500);
    assert.is(refused.body.error.code, 'SYSTEM_APPLY_FAILED');
    assert.match(refused.body.error.message, /EADDRINUSE/);
    assert.is(box.port, oldPort);
    assert.is(box.system.daemons.running.ssh, settings.ssh, 'SSH put back too');
  } finally {
    blocker.close();
  }
  const free = await freePort();
  const moved = await put({ ...settings, webPort: free });
  assert.is(moved.status, 200, JSON.stringify(moved.body));
  assert.is(moved.body.webPort, free);
  assert.is(box.port, free);
  const health = await fetch(`http://127.0.0.1:${free}/api/v1/health`);
  assert.is(health.status, 200);
  await new Promise((r) => setTimeout(r, 1300));
  await fetch(`http://127.0.0.1:${oldPort}/api/v1/health`).then(
    () => assert.unreachable('the old port is closed'),
    () => undefined,
  );
  admin = await signIn(`http://127.0.0.1:${free}`);
  assert.is((await current()).settings.webPort, free);
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test.run();
