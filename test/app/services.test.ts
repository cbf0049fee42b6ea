/**
 * The application services called directly, as the console and the web UI
 * call them: every operation of channels, records, storage, alarms, device,
 * settings and the operation log; settings changes take effect on the next
 * call without a restart; every change is in the operation log with its
 * principal, failures included.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { concat, dtmfDigits, silence, speechLike } from '../../firmware/sim/signals.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { SYSTEM, userPrincipal } from '../../firmware/app/principal.ts';
import { isRecorderError } from '../../firmware/errors.ts';
import { localDay } from '../../firmware/recording/local-day.ts';
import { parseWavHeader } from '../../firmware/audio/wav.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import type { SimBox } from '../support/sim-box.ts';
import { T0 } from '../support/sim-box.ts';
import { startScenarioBox } from '../support/scenario-box.ts';

const TECH = userPrincipal('tech', '10.0.0.5', 'super');
const call = (number: string, seed: number) => concat(silence(500), dtmfDigits(number), silence(300), speechLike(5, seed));

let box: SimBox;

async function* upload(file: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < file.length; i += 4096) yield file.subarray(i, i + 4096);
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(isRecorderError(e), String(e));
    assert.is((e as { code: string }).code, code);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

const recordsOf = async (channel: number): Promise<RecordEntry[]> =>
  (await box.services.records.search(SYSTEM, { channel, limit: 100, offset: 0 })).items.sort((a, b) => a.startedAt - b.startedAt);

test.before(async () => {
  box = await startScenarioBox(36, [
    {
      channel: 0,
      audio: [[1, call('13800000001', 1)], [12, call('95588123', 2)], [24, call('13800000002', 3)]],
      timeline: [
        { t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 9, state: 'onhook' },
        { t: 12, state: 'offhook' }, { t: 20, state: 'onhook' }, { t: 24, state: 'offhook' }, { t: 32, state: 'onhook' },
      ],
    },
    {
      channel: 1,
      audio: [[1, call('114', 4)], [24, call('115', 5)]],
      timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 9, state: 'onhook' }, { t: 24, state: 'offhook' }, { t: 32, state: 'onhook' }],
    },
  ]);
  await box.run(10_000);
});

test.after(async () => {
  await box?.stop();
});

test('settings changed between calls apply to the next call, without a restart', async () => {
  const { settings } = box.services;
  assert.is(settings.recording().codec, 'alaw');
  await settings.updateRecording(TECH, { codec: 'pcm16' });
  await settings.addDoNotRecord(TECH, [{ number: '95588%', note: 'bank hotline' }]);
  await settings.updateChannel(TECH, analogRef(1), { recordingEnabled: false, name: '前台' });
  assert.is(box.services.channels.get(analogRef(1)).name, '前台');
  await box.run(26_000);

  const ch0 = await recordsOf(0);
  assert.equal(ch0.map((r) => r.remoteNumber), ['13800000001', '13800000002'], 'the call to the listed number is not kept');
  assert.equal(ch0.map((r) => r.codec), ['alaw', 'pcm16']);
  const wav = fs.readFileSync(path.join(box.dataDir, ch0[1]!.file!));
  assert.is(parseWavHeader(wav, wav.length).codec, 'pcm16');
  assert.equal((await recordsOf(1)).map((r) => r.remoteNumber), ['114'], 'line 1 switched off before its second call');
  assert.is(box.services.device.status().recorder.notRecorded, 1);
  // The settings are on disk: a new store would read the same.
  const saved = JSON.parse(fs.readFileSync(path.join(box.dataDir, '..', `${path.basename(box.dataDir)}-config`, 'settings.json'), 'utf8'));
  assert.is(saved.recording.codec, 'pcm16');
});

test('invalid settings are refused with a clear error and change nothing', async () => {
  const { settings } = box.services;
  await rejects(settings.updateRecording(TECH, { minFileS: 9999 } as never), 'BAD_REQUEST');
  await rejects(settings.updateChannel(TECH, analogRef(99), { name: 'x' }), 'CHANNEL_NOT_FOUND');
  await rejects(settings.updateChannels(TECH, [analogRef(2), analogRef(3)], { offhookVoltage: 2, disconnectVoltage: 9 }), 'BAD_REQUEST');
  assert.is(settings.channel(analogRef(2)).offhookVoltage, 15);
  const copied = await settings.updateChannels(TECH, [analogRef(2), analogRef(3)], { controlMode: 'voice', level: 'important' });
  assert.equal(copied.map((c) => [c.controlMode, c.level]), [['voice', 'important'], ['voice', 'important']]);
});

test('channels: list, one, forced recording', async () => {
  const { channels } = box.services;
  assert.is(channels.list().length, 8);
  assert.throws(() => channels.get(analogRef(8)), (e: unknown) => isRecorderError(e) && e.code === 'CHANNEL_NOT_FOUND');
  const on = await channels.setForced(TECH, analogRef(4), true);
  assert.ok(on.recording && on.forcedRecording);
  await box.run(4_000);
  const off = await channels.setForced(TECH, analogRef(4), false);
  assert.not.ok(off.recording);
  await box.run(500);
  const forced = await recordsOf(4);
  assert.is(forced.length, 1);
  assert.is(forced[0]!.startMode, 'forced');
  assert.is(forced[0]!.stopMode, 'manual');
});

test('records: search, one, audio ranges, verify, level, delete, restore, purge', async () => {
  const { records } = box.services;
  const [first] = await recordsOf(0);
  assert.ok(first);
  assert.equal(await records.get(SYSTEM, first.id), first);
  await rejects(records.get(SYSTEM, '1700000000000-00-1'), 'RECORD_NOT_FOUND');

  const whole = await records.openAudio(SYSTEM, first.id);
  const chunks: Buffer[] = [];
  for await (const c of whole.stream) chunks.push(c as Buffer);
  assert.is(Buffer.concat(chunks).length, whole.size);
  assert.not.ok(whole.partial);
  const part = await records.openAudio(SYSTEM, first.id, () => ({ start: 10, end: 109 }));
  const got: Buffer[] = [];
  for await (const c of part.stream) got.push(c as Buffer);
  assert.equal(Buffer.concat(got), Buffer.concat(chunks).subarray(10, 110));

  assert.ok((await records.verify(first.id)).match);
  assert.ok((await records.verifyUpload(first.id, upload(Buffer.concat(chunks)))).match);
  assert.not.ok((await records.verifyUpload(first.id, upload(Buffer.concat(chunks).subarray(1)))).match);

  assert.is((await records.setLevel(TECH, first.id, 'important')).level, 'important');
  assert.ok((await records.remove(TECH, first.id)).deleted);
  assert.is((await records.search(SYSTEM, { channel: 0, limit: 10, offset: 0 })).total, 1);
  assert.not.ok((await records.restore(TECH, first.id)).deleted);
  await records.remove(TECH, first.id);
  assert.equal(await records.purgeDeleted(TECH), { purged: 1 });
  await rejects(records.get(SYSTEM, first.id), 'RECORD_NOT_FOUND');
  await rejects(records.setLevel(TECH, first.id, 'normal'), 'RECORD_NOT_FOUND');
});

test('storage, alarms and device information', async () => {
  const { storage, alarms, device } = box.services;
  const usage = storage.usage();
  assert.ok(usage.disk?.present);
  assert.is(usage.encryption.enabled, false);
  const day = localDay(T0);
  const stats = await storage.stats(SYSTEM, { fromDay: day, toDay: day });
  const ch0 = stats.items.find((r) => r.channel === 0)!;
  assert.is(ch0.outgoing, 1, 'the purged call no longer counts');
  assert.is(stats.total.recordings, stats.items.reduce((n, r) => n + r.recordings, 0));
  await rejects(storage.stats(SYSTEM, { fromDay: day + 1, toDay: day }), 'BAD_REQUEST');
  const report = await storage.maintenanceNow(TECH);
  assert.ok(report && report.present);
  const archived = await storage.archiveNow(SYSTEM);
  assert.ok(archived.archived >= 1, JSON.stringify(archived));
  assert.ok((await box.services.records.search(SYSTEM, { store: 'history', limit: 10, offset: 0 })).total >= 1);

  assert.ok(Array.isArray(alarms.active()));
  const history = await alarms.history({});
  assert.ok(history.total >= 0);

  const info = await device.info();
  assert.is(info.model, 'sim');
  assert.is(info.channels.analog, 8);
  assert.ok(info.uptimeS >= 30);
  assert.ok(info.disk && info.disk.totalBytes > 0 && info.disk.remainingHours > 0);
  assert.ok(info.linecard.up);
  assert.ok(info.cpuPercent >= 0);
  assert.is(device.health().status, 'ok');
});

test('every change is in the operation log with its principal, failures too', async () => {
  const { journal } = box.services;
  const mine = await journal.operations({ account: 'tech', limit: 200 });
  const seen = mine.items.map((o) => `${o.item}/${o.operation}/${o.result.ok ? 'ok' : o.result.code}`);
  for (const expected of [
    'recording-settings/set/ok', 'do-not-record/add/ok', 'channel-settings/set/ok', 'recording-settings/set/BAD_REQUEST',
    'channel-settings/set/CHANNEL_NOT_FOUND', 'recording/start/ok', 'recording/stop/ok', 'recording/set/ok', 'recording/delete/ok',
    'recording/restore/ok', 'recording/purge/ok', 'recording/set/RECORD_NOT_FOUND', 'storage/maintain/ok',
  ]) assert.ok(seen.includes(expected), `${expected} in ${seen.join(' ')}`);
  for (const o of mine.items) assert.equal(o.principal, TECH);
  const forced = mine.items.find((o) => o.operation === 'start')!;
  assert.equal(forced.channel, analogRef(4));
  const codec = mine.items.find((o) => o.item === 'recording-settings' && o.result.ok)!;
  assert.is(codec.parameter, 'codec');
  const system = await journal.operations({ kind: 'system', limit: 50 });
  const sys = system.items.map((o) => `${o.item}/${o.operation}`);
  assert.ok(sys.includes('system/start') && sys.includes('storage/archive'), sys.join(' '));
  // Newest first.
  const times = mine.items.map((o) => o.time);
  assert.equal(times, [...times].sort((a, b) => b - a));
});

test('formatting erases every recording and is logged', async () => {
  await box.services.storage.format(TECH);
  assert.is((await box.services.records.search(SYSTEM, { limit: 10, offset: 0 })).total, 0);
  const last = await box.services.journal.operations({ operation: 'format', limit: 1 });
  assert.is(last.items[0]!.result.ok, true);
  assert.equal(last.items[0]!.principal, TECH);
});

test.run();
