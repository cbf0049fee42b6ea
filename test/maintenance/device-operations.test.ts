/**
 * Device operations (设备管理): each needs the typed confirmation (确认) and
 * is refused with `confirmation_required` otherwise; formatting needs the
 * signed-in account's password and reports its progress as events; a
 * factory reset returns the configuration to the factory values at the next
 * start while recordings, the license and the device key stay; every
 * attempt is in the operation log.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import type { BoxEvent } from '../../firmware/events/box-events.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { ADMIN_PASSWORD, signIn, type ApiClient } from '../support/api-client.ts';

async function forcedCall(box: SimBox, channel: number): Promise<void> {
  await box.services.channels.setForced(SYSTEM, analogRef(channel), true);
  await box.run(4000);
  await box.services.channels.setForced(SYSTEM, analogRef(channel), false);
  await box.run(500);
}

const post = (admin: ApiClient, p: string, body: object) => admin.json(`/api/v1${p}`, { method: 'POST', body });

test('wrong or missing confirmations are refused and logged; the right one goes through', async () => {
  const box = await startSimBox({ sources: [] });
  try {
    const admin = await signIn(`http://127.0.0.1:${box.port}`);
    for (const p of ['/device/reboot', '/device/factory-reset', '/device/purge-deleted', '/device/archive']) {
      for (const confirm of ['', 'yes', '确定']) {
        const r = await post(admin, p, { confirm });
        assert.equal([r.status, r.body.error.code], [400, 'confirmation_required'], `${p} ${confirm}`);
      }
    }
    assert.equal(box.power.requests, [], 'nothing restarted');
    assert.not.ok(fs.existsSync(path.join(`${box.dataDir}-config`, 'factory-reset.requested')));
    const r = await post(admin, '/device/reboot', { confirm: '确认' });
    assert.equal([r.status, r.body], [200, { reboot: 'requested' }]);
    assert.equal(box.power.requests.map((q) => q.kind), ['reboot']);
    assert.is((await post(admin, '/device/purge-deleted', { confirm: 'confirm' })).status, 200);
    const archived = await post(admin, '/device/archive', { confirm: '确认' });
    assert.is(archived.status, 200, JSON.stringify(archived.body));
    const reboots = await box.services.journal.operations({ operation: 'reboot' });
    assert.equal(reboots.items.map((o) => o.result.ok).sort(), [false, false, false, true]);
    assert.ok(reboots.items.every((o) => o.principal.kind === 'user' && o.principal.account === 'admin'));
  } finally {
    await box.stop();
  }
});

test('formatting needs the signed-in account\'s password and reports its progress', async () => {
  const box = await startSimBox({ sources: [] });
  try {
    const admin = await signIn(`http://127.0.0.1:${box.port}`);
    await forcedCall(box, 0);
    assert.is((await box.services.records.search(SYSTEM, { limit: 10, offset: 0 })).items.length, 1);
    const wrong = await post(admin, '/device/format', { password: 'not-it-1' });
    assert.equal([wrong.status, wrong.body.error.code], [400, 'wrong_password']);
    assert.is((await box.services.records.search(SYSTEM, { limit: 10, offset: 0 })).items.length, 1, 'nothing erased');
    const sub = box.services.events.subscribe({ types: ['device.progress'] }, 100);
    const ok = await post(admin, '/device/format', { password: ADMIN_PASSWORD });
    assert.equal([ok.status, ok.body], [200, { formatted: true }]);
    const stages = (sub.drain() as BoxEvent[]).map((e) => (e.type === 'device.progress' ? `${e.stage}:${e.percent}` : ''));
    assert.equal(stages, ['starting:0', 'stopping-recordings:5', 'erasing:20', 'preparing:90', 'done:100']);
    assert.is((await box.services.records.search(SYSTEM, { limit: 10, offset: 0 })).items.length, 0);
    const formats = await box.services.journal.operations({ operation: 'format' });
    assert.equal(formats.items.map((o) => o.result.ok), [true, false]);
  } finally {
    await box.stop();
  }
});

test('a factory reset returns the configuration at the next start and keeps recordings and license state', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'reset-'));
  let box = await startSimBox({ sources: [], dataDir });
  try {
    const admin = await signIn(`http://127.0.0.1:${box.port}`);
    await forcedCall(box, 1);
    await box.run(2000); // the trial's first minute is charged
    const before = (await box.services.records.search(SYSTEM, { limit: 10, offset: 0 })).items.length;
    assert.ok(before >= 1);
    const r = await post(admin, '/device/factory-reset', { confirm: '确认' });
    assert.equal([r.status, r.body], [200, { reboot: 'requested' }]);
    assert.equal(box.power.requests.map((q) => q.kind), ['reboot']);
    await box.stop();
    const config = `${dataDir}-config`;
    assert.ok(fs.existsSync(path.join(config, 'accounts.json')), 'the running box did not reset anything yet');

    box = await startSimBox({ sources: [], dataDir });
    assert.not.ok(fs.existsSync(path.join(config, 'factory-reset.requested')));
    assert.ok(fs.existsSync(path.join(config, 'device-key.pem')), 'device key kept');
    assert.ok(fs.existsSync(path.join(config, 'license', 'trial.json')), 'trial clock kept');
    assert.is((await box.services.records.search(SYSTEM, { limit: 10, offset: 0 })).items.length, before, 'recordings kept');
    // The administrator's password is the factory one again.
    const factory = await fetch(`http://127.0.0.1:${box.port}/api/v1/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin', bearer: true }),
    });
    assert.is(factory.status, 200);
    const noted = await box.services.journal.operations({ operation: 'factory-reset' });
    assert.ok(noted.items.some((o) => o.principal.kind === 'system' && /recordings kept/.test(o.detail)));
    assert.ok(noted.items.some((o) => o.principal.kind === 'user' && o.result.ok));
  } finally {
    await box.stop();
    for (const d of [dataDir, `${dataDir}-config`, `${dataDir}-root`]) fs.rmSync(d, { recursive: true, force: true });
  }
});

test.run();
