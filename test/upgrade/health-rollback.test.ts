/**
 * After a restart on a newly activated version the upgrade service waits for
 * it to be healthy: healthy in time confirms the upgrade; not healthy within
 * the timeout puts the previous version back, notes the failed one and
 * restarts the recorder. A pending upgrade of another version means the
 * supervisor rolled it back. At most five versions are kept.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openJournal } from '../../firmware/journal/journal.ts';
import { Auditor } from '../../firmware/app/audit.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import { UpgradeService } from '../../firmware/app/upgrade-service.ts';
import { trustedKeys } from '../../firmware/license/signing-keys.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { SimPower } from '../../firmware/sim/sim-power.ts';
import { VersionSlots } from '../../firmware/upgrade/version-slots.ts';
import { testPackage } from './helpers.ts';

const log = pino({ level: 'silent' });

async function serviceOn(root: string, running: string, clock: VirtualClock) {
  const configDir = path.join(root, 'config');
  const { journal } = await openJournal(configDir, log, { now: () => clock.now() });
  const power = new SimPower();
  const audit = new Auditor(journal.operations, () => clock.now(), log);
  const service = new UpgradeService({ root, board: 'sim', running, keys: trustedKeys('package', {}), power, clock, audit, log, progress: () => undefined });
  return { service, power, journal, slots: new VersionSlots(root) };
}

const upload = (s: UpgradeService, file: string) => s.upload(SYSTEM, fs.createReadStream(file));

async function advance(clock: VirtualClock, ms: number): Promise<void> {
  // The watch reads its marker first, then sets its timer on the clock.
  for (let i = 0; i < 400 && clock.pendingTimers === 0; i++) await new Promise((r) => setTimeout(r, 25));
  for (let t = 0; t < ms; t += 1000) {
    clock.advance(1000);
    await new Promise((r) => setImmediate(r));
  }
  await new Promise((r) => setTimeout(r, 50));
}

test('a new version that is not healthy in time is rolled back to the previous one', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
  const clock = new VirtualClock(Date.parse('2026-11-20T09:00:00Z'));
  try {
    // Running 1.0.0 (installed earlier), 2.0.0 activated.
    let box = await serviceOn(root, '1.0.0', clock);
    await upload(box.service, await testPackage('1.0.1'));
    await upload(box.service, await testPackage('2.0.0'));
    await box.service.activate(SYSTEM, '1.0.1');
    await box.service.activate(SYSTEM, '2.0.0');
    assert.equal([await box.slots.link('current'), await box.slots.link('previous')], ['2.0.0', '1.0.1']);
    await box.journal.close();

    // The recorder restarted on 2.0.0, which never becomes healthy.
    box = await serviceOn(root, '2.0.0', clock);
    const watching = box.service.watchHealth(() => false, 60_000);
    await advance(clock, 65_000);
    await watching;
    assert.equal([await box.slots.link('current'), await box.slots.link('previous')], ['1.0.1', null]);
    assert.is(await box.slots.pending(), null);
    assert.match(fs.readFileSync(path.join(box.slots.base, 'failed-versions'), 'utf8'), /versions\/2\.0\.0\n$/);
    assert.equal(box.power.requests.map((r) => r.kind), ['restart-recorder']);
    const noted = await box.journal.operations.query({ operation: 'rollback' } as never);
    assert.match(noted.items[0]!.detail, /2\.0\.0 not healthy within 60 s; rolled back to 1\.0\.1/);
    await box.journal.close();

    // 1.0.1 comes up healthy; its activation is confirmed.
    box = await serviceOn(root, '1.0.1', clock);
    await box.slots.setPending({ version: '1.0.1', from: '2.0.0', activatedAt: clock.now() });
    const confirmed = box.service.watchHealth(() => true, 60_000);
    await advance(clock, 6000);
    await confirmed;
    assert.is(await box.slots.pending(), null);
    assert.equal(box.power.requests, []);
    const ok = await box.journal.operations.query({ operation: 'upgrade' } as never);
    assert.match(ok.items[0]!.detail, /1\.0\.1 is healthy; upgrade confirmed/);
    await box.journal.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('a pending upgrade of a version that is not running was rolled back by the supervisor', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
  const clock = new VirtualClock(Date.parse('2026-11-20T09:00:00Z'));
  try {
    const box = await serviceOn(root, '1.0.0', clock);
    await box.slots.prepare();
    await box.slots.setPending({ version: '3.0.0', from: null, activatedAt: clock.now() });
    await box.service.watchHealth(() => true, 60_000);
    assert.is(await box.slots.pending(), null);
    const noted = await box.journal.operations.query({ operation: 'rollback' } as never);
    assert.match(noted.items[0]!.detail, /3\.0\.0 did not start; running 1\.0\.0/);
    await box.journal.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('at most five versions are kept: the oldest upload that is not in use goes', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'slots-'));
  const clock = new VirtualClock(Date.parse('2026-11-20T09:00:00Z'));
  try {
    const box = await serviceOn(root, '1.0.0', clock);
    for (const v of ['1.1.0', '1.2.0', '1.3.0', '1.4.0', '1.5.0']) {
      await upload(box.service, await testPackage(v));
      clock.advance(1000);
    }
    await box.service.activate(SYSTEM, '1.1.0');
    await upload(box.service, await testPackage('1.6.0'));
    const kept = (await box.service.list()).versions.map((v) => v.version);
    assert.equal(kept, ['1.1.0', '1.3.0', '1.4.0', '1.5.0', '1.6.0'], 'the current one stays, the oldest other goes');
    await box.journal.close();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test.run();
