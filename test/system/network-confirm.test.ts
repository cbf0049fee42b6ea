/**
 * IP settings through the API on a simulated box: refused when invalid
 * (nothing written), applied at once and returned to the previous
 * configuration when not confirmed in time (virtual clock), kept when
 * confirmed with a session or with the token from the new address, undone at
 * once when `ifup` fails, and undone at the next start after a restart.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { FACTORY_NETWORK, renderInterfaces } from '../../firmware/system/network-settings.ts';
import { FACTORY_TIME } from '../../firmware/system/time-settings.ts';

let box: SimBox;
let admin: ApiClient;
const interfacesFile = () => path.join(box.root, 'etc/network/interfaces');
const interfaces = () => fs.readFileSync(interfacesFile(), 'utf8');
const FACTORY_TEXT = renderInterfaces(FACTORY_NETWORK);

/** Lets virtual time and the real file writes behind it go on until `done` holds (or 10 s of real time). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) {
    await box.run(10);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const changed = (address: string) => ({
  ...structuredClone(FACTORY_NETWORK),
  address,
  gateway: address.replace(/\.\d+$/, '.1'),
  dns: ['8.8.8.8', '114.114.114.114'],
});

test.before(async () => {
  box = await startSimBox({ sources: [] });
  fs.mkdirSync(path.join(box.root, 'etc/network'), { recursive: true });
  fs.writeFileSync(interfacesFile(), FACTORY_TEXT);
  admin = await signIn(`http://127.0.0.1:${box.port}`);
});

test.after(async () => {
  await box?.stop();
});

test('GET shows the factory settings, the MAC address and no pending change', async () => {
  const r = await admin.json('/api/v1/system/network');
  assert.is(r.status, 200);
  assert.is(r.body.address, '192.168.123.100');
  assert.is(r.body.mac, '8c:1f:64:08:b0:16');
  assert.is(r.body.pending, null);
  assert.ok(r.headers.get('etag'));
});

test('invalid settings are refused with every problem named, and nothing is written', async () => {
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: { ...changed('10.1.2.0'), netmask: '255.255.255.0', gateway: '10.9.9.9' } });
  assert.is(r.status, 400);
  assert.match(r.body.error.message, /network address/);
  const bad = await admin.json('/api/v1/system/network', { method: 'PUT', body: { ...changed('10.1.2.3'), extra: [{ enabled: false, address: '', netmask: '' }, FACTORY_NETWORK.extra[1], FACTORY_NETWORK.extra[2]] } });
  assert.is(bad.status, 400);
  assert.match(bad.body.error.message, /entry 0 cannot be turned off/);
  assert.is(interfaces(), FACTORY_TEXT);
  assert.is(box.system.network.applied.length, 0);
});

test('a change not confirmed in time returns to the previous configuration', async () => {
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: changed('10.1.2.3') });
  assert.is(r.status, 202, JSON.stringify(r.body));
  assert.ok(r.body.confirmToken);
  assert.is(r.body.confirmWindowS, 120);
  assert.ok(interfaces().includes('address 10.1.2.3'), 'the new address is in force');
  assert.is(fs.readFileSync(path.join(box.root, 'etc/resolv.conf'), 'utf8'), '# Written by the recorder (IP设置).\nnameserver 8.8.8.8\nnameserver 114.114.114.114\n');
  assert.is((await admin.json('/api/v1/system/network')).body.pending.previous.address, '192.168.123.100');
  const again = await admin.json('/api/v1/system/network', { method: 'PUT', body: changed('10.1.2.4') });
  assert.is(again.status, 409);
  assert.is(again.body.error.code, 'NETWORK_PENDING');
  await box.run(119_000);
  assert.ok(interfaces().includes('address 10.1.2.3'), 'still in force before the deadline');
  await box.run(1000);
  await until(() => box.system.network.applied.at(-1)?.interfaces === FACTORY_TEXT);
  assert.is(interfaces(), FACTORY_TEXT, 'the previous file is back');
  assert.is(box.system.network.applied.at(-1)!.interfaces, FACTORY_TEXT, 'and brought up');
  const after = await admin.json('/api/v1/system/network');
  assert.is(after.body.address, '192.168.123.100');
  assert.is(after.body.pending, null);
  const late = await admin.json('/api/v1/system/network/confirm', { method: 'POST' });
  assert.is(late.body.error.code, 'NETWORK_NOT_PENDING');
  const restoredInLog = async () => (await admin.json('/api/v1/operations?item=system&limit=50')).body.items.some((e: { detail: string }) => /previous configuration is restored/.test(e.detail));
  let logged = await restoredInLog();
  for (let i = 0; i < 50 && !logged; i++) {
    await new Promise((r) => setTimeout(r, 100));
    logged = await restoredInLog();
  }
  assert.ok(logged, 'the return is in the operation log');
});

test('a change confirmed from the new address with its token is kept and saved', async () => {
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: changed('10.1.2.5') });
  assert.is(r.status, 202);
  await box.run(30_000);
  const wrong = await fetch(`http://127.0.0.1:${box.port}/api/v1/system/network/confirm-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-the-token' }) });
  assert.is(wrong.status, 409);
  const ok = await fetch(`http://127.0.0.1:${box.port}/api/v1/system/network/confirm-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: r.body.confirmToken }) });
  assert.is(ok.status, 200, await ok.clone().text());
  await box.run(200_000);
  assert.ok(interfaces().includes('address 10.1.2.5'), 'kept after the window');
  const saved = JSON.parse(fs.readFileSync(path.join(box.dataDir, '..', `${path.basename(box.dataDir)}-config`, 'system.json'), 'utf8'));
  assert.is(saved.network.address, '10.1.2.5');
  assert.not.ok(fs.existsSync(path.join(box.dataDir, '..', `${path.basename(box.dataDir)}-config`, 'network-pending.json')));
});

test('a change whose ifup fails is undone at once: nothing half applied', async () => {
  const before = interfaces();
  box.system.network.failNext = 'SIOCADDRT: Network is unreachable';
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: changed('10.7.7.7') });
  assert.is(r.status, 500);
  assert.is(r.body.error.code, 'NETWORK_APPLY_FAILED');
  assert.match(r.body.error.message, /Network is unreachable.*previous configuration is in force/);
  assert.is(interfaces(), before);
  assert.is((await admin.json('/api/v1/system/network')).body.pending, null);
});

test('a confirmation with the session keeps the change', async () => {
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: { ...changed('10.1.2.5'), mode: 'dhcp' } });
  assert.is(r.status, 202);
  assert.ok(interfaces().includes('iface eth0 inet dhcp'));
  const c = await admin.json('/api/v1/system/network/confirm', { method: 'POST' });
  assert.is(c.status, 200);
  assert.is(c.body.mode, 'dhcp');
  assert.is(c.body.pending, null);
});

test('the confirmation window is measured by the timer: a clock set back meanwhile still returns the change in time', async () => {
  const before = interfaces();
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: changed('10.4.4.4') });
  assert.is(r.status, 202);
  const t = await admin.json('/api/v1/system/time', { method: 'PUT', body: { ...FACTORY_TIME, ntp: false, dateTime: box.clock.now() - 3_600_000 } });
  assert.is(t.status, 200, JSON.stringify(t.body));
  await box.run(121_000);
  await until(() => box.system.network.applied.at(-1)?.interfaces === before);
  assert.is(interfaces(), before);
  assert.is((await admin.json('/api/v1/system/network')).body.pending, null);
});

test('a change still waiting when the box restarts returns to the previous configuration at start-up', async () => {
  const before = interfaces();
  const r = await admin.json('/api/v1/system/network', { method: 'PUT', body: changed('10.3.3.3') });
  assert.is(r.status, 202);
  assert.ok(interfaces().includes('address 10.3.3.3'));
  await box.stop();
  box = await startSimBox({ sources: [], dataDir: box.dataDir });
  assert.is(interfaces(), before, 'restored before the API answers');
  admin = await signIn(`http://127.0.0.1:${box.port}`);
  assert.is((await admin.json('/api/v1/system/network')).body.pending, null);
});

test.run();
