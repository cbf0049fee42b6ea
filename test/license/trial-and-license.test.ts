/**
 * Trial and activation (设备激活, License升级): a new box records during its
 * 32-hour trial, counted across restarts; when the trial ends it starts no
 * new recording and raises an alarm; a license file for its serial resumes
 * recording within the licensed channels. Forged, altered, foreign-serial
 * and malformed license files are refused with their codes and change nothing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { signIn, type ApiClient } from '../support/api-client.ts';
import { foreignKey, licenseFor, signedLicense, SIM_SERIAL } from './helpers.ts';

const TRIAL_S = 32 * 3600;

async function forcedCall(box: SimBox, channel: number): Promise<number> {
  const before = (await box.services.records.search(SYSTEM, { channel, limit: 100, offset: 0 })).items.length;
  await box.services.channels.setForced(SYSTEM, analogRef(channel), true);
  await box.run(4000);
  await box.services.channels.setForced(SYSTEM, analogRef(channel), false);
  await box.run(500);
  return (await box.services.records.search(SYSTEM, { channel, limit: 100, offset: 0 })).items.length - before;
}

const postLicense = (admin: ApiClient, text: string) =>
  admin.json('/api/v1/license', { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });

test('the trial runs out, recording stops with an alarm, and a license file resumes it within its channels', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trial-'));
  const configDir = `${dataDir}-config`;
  // Two minutes of trial left, from earlier runs of the box.
  fs.mkdirSync(path.join(configDir, 'license'), { recursive: true });
  fs.writeFileSync(path.join(configDir, 'license', 'trial.json'), JSON.stringify({ usedS: TRIAL_S - 120 }));
  let box = await startSimBox({ sources: [], dataDir });
  try {
    const admin = await signIn(`http://127.0.0.1:${box.port}`);
    await box.run(5000);
    let status = (await admin.json('/api/v1/license')).body;
    assert.is(status.state, 'trial');
    assert.is(status.trial.leftS, 60, 'the running minute is charged at start');
    assert.is(await forcedCall(box, 0), 1, 'recorded during the trial');

    await box.run(61_000);
    status = (await admin.json('/api/v1/license')).body;
    assert.is(status.state, 'trial-expired');
    assert.ok(box.services.alarms.active().some((a) => a.id === 'trial-expired'), 'alarm raised');
    // A call the trial no longer lets record is not shown as recording either.
    await box.services.channels.setForced(SYSTEM, analogRef(1), true);
    await box.run(1000);
    const refusedView = box.services.channels.list().find((c) => c.ref.portType === 'analog' && c.ref.channel === 1)!;
    assert.equal([refusedView.recording, refusedView.recordingId], [false, null]);
    await box.services.channels.setForced(SYSTEM, analogRef(1), false);
    await box.run(500);
    assert.is(await forcedCall(box, 0), 0, 'no new recording after the trial');
    assert.ok(box.services.device.status().recorder.notLicensed >= 1);
    assert.is(JSON.parse(fs.readFileSync(path.join(configDir, 'license', 'trial.json'), 'utf8')).usedS, TRIAL_S);

    // Refused files change nothing.
    const good = licenseFor(SIM_SERIAL, { analog: 4, voip: 2 }, { monitoring: true });
    const forged = JSON.parse(signedLicense(good));
    forged.license.channels.analog = 8;
    let r = await postLicense(admin, JSON.stringify(forged));
    assert.equal([r.status, r.body.error.code], [422, 'license_signature']);
    r = await postLicense(admin, signedLicense(good, foreignKey()));
    assert.equal([r.status, r.body.error.code], [422, 'license_signature']);
    r = await postLicense(admin, signedLicense(licenseFor('ID-06961607923877')));
    assert.equal([r.status, r.body.error.code], [422, 'license_serial']);
    assert.match(r.body.error.message, /ID-06961607923877/);
    r = await postLicense(admin, '{"license": 1}');
    assert.equal([r.status, r.body.error.code], [400, 'license_invalid']);
    assert.is((await admin.json('/api/v1/license')).body.state, 'trial-expired');
    const refused = await box.services.journal.operations({ operation: 'activate' });
    assert.is(refused.items.length, 4, 'each refusal is in the operation log');
    assert.ok(refused.items.every((o) => !o.result.ok));

    // The license activates the box: recording resumes on the licensed channels only.
    r = await postLicense(admin, signedLicense(good));
    assert.is(r.status, 200, JSON.stringify(r.body));
    assert.equal([r.body.state, r.body.channels.analog, r.body.channels.voip, r.body.features.monitoring], ['activated', 4, 2, true]);
    assert.not.ok(box.services.alarms.active().some((a) => a.id === 'trial-expired'), 'alarm cleared');
    assert.is(await forcedCall(box, 1), 1, 'licensed channel recorded');
    assert.is(await forcedCall(box, 5), 0, 'channel beyond the license not recorded');
    const device = (await admin.json('/api/v1/device')).body;
    assert.equal([device.license.state, device.license.license.id, device.serial], ['activated', 'L-TEST-1', SIM_SERIAL]);
    assert.ok(box.services.license.has('monitoring'));
    assert.throws(() => box.services.license.require('cloudPlatform'), (e: any) => e.code === 'not_licensed');

    // Across a restart.
    await box.stop();
    box = await startSimBox({ sources: [], dataDir });
    assert.is(box.services.license.status().state, 'activated');
    assert.is(await forcedCall(box, 2), 1);
  } finally {
    await box.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(configDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}-root`, { recursive: true, force: true });
  }
});

test('a new box starts its trial with the full 32 hours and charges each minute as it begins', async () => {
  const box = await startSimBox({ sources: [] });
  try {
    await box.run(5000);
    const s = box.services.license.status();
    assert.equal([s.state, s.trial.limitS, s.trial.usedS], ['trial', TRIAL_S, 60]);
    await box.run(60_000);
    assert.is(box.services.license.status().trial.usedS, 120);
    const saved = () => JSON.parse(fs.readFileSync(path.join(`${box.dataDir}-config`, 'license', 'trial.json'), 'utf8')).usedS;
    for (let i = 0; i < 100 && saved() !== 120; i++) await new Promise((r) => setTimeout(r, 20));
    assert.is(saved(), 120, 'saved as charged');
  } finally {
    await box.stop();
  }
});

test.run();
