import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analogRef, type ChannelRef } from '../../firmware/ports/channel-ref.ts';
import { DEFAULT_RECORDING_SETTINGS, recordingAreas } from '../../firmware/settings/settings-schema.ts';
import { SettingsStore, type SettingsChange } from '../../firmware/settings/settings-store.ts';
import { configDir, readJson, rejects } from './helpers.ts';

const e1 = (port: number, channel: number): ChannelRef => ({ portType: 'e1', port, channel });

test('an empty folder gives the manual factory settings, reports nothing and writes nothing', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  assert.equal(store.loadReport, { source: 'defaults', damaged: false, problems: [] });
  const r = store.recording;
  assert.equal(
    [r.maxFileS, r.minFileS, r.stopAtMaxFile, r.digitGapS, r.startKey, r.stopKey, r.keepStarHash, r.codec],
    [1800, 3, false, 0, '*', '#', true, 'alaw'],
  );
  assert.equal(
    [r.diskAlarmPercent, r.reservePercent, r.autoMaintenance, r.deletePerRound, r.archiveTime, r.archiveFormat, r.mp3Kbps],
    [90, 15, true, 1000, '00:00:00', 'alaw', 16],
  );
  const c = store.channel(analogRef(5));
  assert.equal(
    [c.recordingEnabled, c.name, c.lineNumber, c.controlMode, c.callerIdMode, c.offhookVoltage, c.disconnectVoltage, c.speechThreshold, c.silenceThreshold, c.silenceMs, c.level],
    [true, '', '8005', 'voltage', 'fsk-dtmf', 15, 4, 3000, 0, 7000, 'normal'],
  );
  assert.is(store.channel(e1(1, 16)).lineNumber, '', 'E1 timeslots and VoIP channels have no line number of their own');
  assert.is(store.doNotRecord.size, 0);
  assert.equal(await fs.readdir(dir), []);
});

test('updates are saved, survive a restart, and the file keeps only what differs for channels', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  const rec = await store.updateRecording({ maxFileS: 3600, digitGapS: 6, archiveFormat: 'mp3' });
  assert.equal(rec.change.recording.sort(), ['archiveFormat', 'digitGapS', 'maxFileS']);
  assert.is(rec.value.maxFileS, 3600);
  const ch = await store.updateChannel(analogRef(2), { name: '前台', controlMode: 'dtmf', callerIdMode: 'dtmf' });
  assert.equal([ch.value.name, ch.value.lineNumber, ch.value.controlMode], ['前台', '8002', 'dtmf']);
  await store.updateChannel(e1(0, 5), { recordingEnabled: false });
  await store.addDoNotRecord([{ number: '95588', note: 'bank' }, { number: '400%' }]);
  const file = await readJson(path.join(dir, 'settings.json'));
  assert.equal(file.channels, { 'analog-0-2': { name: '前台', controlMode: 'dtmf', callerIdMode: 'dtmf' }, 'e1-0-5': { recordingEnabled: false } });
  const again = await SettingsStore.open({ dir });
  assert.is(again.loadReport.source, 'file');
  assert.equal(again.settings, store.settings);
  assert.is(again.channel(analogRef(2)).name, '前台');
  assert.ok(again.doNotRecord.matches('4008001234'));
});

test('a channel set back to its factory values leaves the file', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  await store.updateChannel(analogRef(1), { level: 'important' });
  const back = await store.updateChannel(analogRef(1), { level: 'normal' });
  assert.equal(back.change.channels.map((c) => c.fields), [['level']]);
  assert.equal(store.configuredChannels, []);
  assert.equal((await readJson(path.join(dir, 'settings.json'))).channels, {});
});

test('invalid updates are refused with BAD_REQUEST naming the field, and change nothing', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  await rejects(store.updateRecording({ maxFileS: 9000 }), 'BAD_REQUEST', /recording parameters: maxFileS: .*7200/);
  await rejects(store.updateRecording({ minFileS: 600, maxFileS: 300 }), 'BAD_REQUEST', /minFileS .* must be shorter than maxFileS/);
  await rejects(store.updateRecording({ stopKey: '*' }), 'BAD_REQUEST', /startKey and stopKey .* must differ/);
  await rejects(store.updateRecording({ archiveTime: '24:00:00' }), 'BAD_REQUEST', /archiveTime: HH:MM:SS/);
  await rejects(store.updateRecording({ mp3Kbps: 20 }), 'BAD_REQUEST', /mp3Kbps: one of 8, 16/);
  await rejects(store.updateRecording({ maxFilesS: 100 } as never), 'BAD_REQUEST', /maxFilesS/);
  await rejects(store.updateChannel(analogRef(0), { controlMode: 'magic' as never }), 'BAD_REQUEST', /channel parameters: controlMode/);
  await rejects(store.updateChannel(analogRef(0), { offhookVoltage: 3 }), 'BAD_REQUEST', /channel analog-0-0: disconnectVoltage .* must be below offhookVoltage/);
  await rejects(store.updateChannel({ portType: 'analog', port: 0, channel: -1 }, { name: 'x' }), 'BAD_REQUEST', /not a channel reference/);
  await rejects(store.addDoNotRecord([{ number: '138 0013' }]), 'BAD_REQUEST', /do-not-record entry 0: number/);
  assert.equal(store.recording, DEFAULT_RECORDING_SETTINGS);
  assert.equal(store.configuredChannels, []);
  assert.equal(await fs.readdir(dir), [], 'nothing was written');
});

test('channels the box does not have are refused', async () => {
  const store = await SettingsStore.open({ dir: await configDir(), hasChannel: (r) => r.portType === 'analog' && r.channel < 16 });
  await rejects(store.updateChannel(analogRef(16), { name: 'x' }), 'BAD_REQUEST', /no channel analog-0-16 on this box/);
  await rejects(store.updateChannels([analogRef(3), e1(0, 1)], { name: 'x' }), 'BAD_REQUEST', /no channel e1-0-1/);
  assert.is(store.channel(analogRef(3)).name, '', 'a refused batch changes none of its channels');
});

test('copy to channels: one change to a batch of channels, in one save and one event', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  await store.updateChannel(analogRef(4), { name: 'sales' });
  const events: SettingsChange[] = [];
  store.onChange((c) => events.push(c));
  const refs = [0, 1, 2, 3, 4, 5, 6, 7].map(analogRef);
  const r = await store.updateChannels(refs, { controlMode: 'voice', speechThreshold: 2000, silenceMs: 5000 });
  assert.is(r.value.length, 8);
  assert.ok(r.value.every((c) => c.controlMode === 'voice' && c.speechThreshold === 2000 && c.silenceMs === 5000));
  assert.is(store.channel(analogRef(4)).name, 'sales', 'other fields stay');
  assert.is(events.length, 1);
  assert.equal(events[0]!.channels.map((c) => c.ref.channel), [4, 0, 1, 2, 3, 5, 6, 7]);
  assert.equal(events[0]!.channels[0]!.fields, ['controlMode', 'speechThreshold', 'silenceMs']);
  await rejects(store.updateChannels([], { name: 'x' }), 'BAD_REQUEST', /no channel given/);
});

test('the listener hears what changed, after it is saved; a no-op update saves and announces nothing', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  const events: SettingsChange[] = [];
  const stop = store.onChange((c) => events.push(c));
  store.onChange(() => {
    throw new Error('a broken listener');
  });
  await store.updateRecording({ stopAtMaxFile: true });
  assert.equal(events[0]!.recording, ['stopAtMaxFile']);
  assert.equal([events[0]!.channels, events[0]!.doNotRecord], [[], false]);
  assert.is(events[0]!.settings.recording.stopAtMaxFile, true);
  assert.is((await readJson(path.join(dir, 'settings.json'))).recording.stopAtMaxFile, true);
  await store.updateChannel(e1(2, 16), { callerIdMode: 'fsk' });
  assert.equal(events[1]!.channels.map((c) => [c.ref, c.fields, c.config.callerIdMode]), [[e1(2, 16), ['callerIdMode'], 'fsk']]);
  await store.addDoNotRecord([{ number: '110' }]);
  assert.equal([events[2]!.recording, events[2]!.channels, events[2]!.doNotRecord], [[], [], true]);
  const before = await fs.stat(path.join(dir, 'settings.json'));
  const same = await store.updateRecording({ stopAtMaxFile: true });
  assert.equal(same.change.recording, []);
  assert.is(events.length, 3);
  assert.is((await fs.stat(path.join(dir, 'settings.json'))).mtimeMs, before.mtimeMs);
  stop();
  await store.updateRecording({ stopAtMaxFile: false });
  assert.is(events.length, 3, 'unsubscribed');
});

test('recordingAreas tells which parts of the box a recording-page change concerns', () => {
  assert.equal(recordingAreas(['minFileS', 'digitGapS']), { calls: true, codec: false, disk: false, archive: false });
  assert.equal(recordingAreas(['codec']), { calls: true, codec: true, disk: false, archive: false });
  assert.equal(recordingAreas(['reservePercent', 'archiveTime']), { calls: false, codec: false, disk: true, archive: true });
  assert.equal(recordingAreas([]), { calls: false, codec: false, disk: false, archive: false });
});

test('concurrent updates are applied one after the other and all of them are kept', async () => {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  const results = await Promise.allSettled([
    store.updateRecording({ maxFileS: 600 }),
    store.updateChannel(analogRef(0), { name: 'a' }),
    store.updateRecording({ minFileS: 700 }), // invalid against the maximum set just before: refused alone
    store.updateChannel(analogRef(1), { name: 'b' }),
    store.addDoNotRecord([{ number: '1%' }]),
    store.updateRecording({ minFileS: 10 }),
    store.addDoNotRecord([{ number: '2%' }]),
  ]);
  assert.equal(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  const reloaded = await SettingsStore.open({ dir });
  assert.equal([reloaded.recording.maxFileS, reloaded.recording.minFileS], [600, 10]);
  assert.equal([reloaded.channel(analogRef(0)).name, reloaded.channel(analogRef(1)).name], ['a', 'b']);
  assert.equal(reloaded.settings.doNotRecord.map((e) => e.number), ['1%', '2%']);
});

test('the do-not-record list: add, remove, replace; duplicates and unknown numbers refused; bounded', async () => {
  const store = await SettingsStore.open({ dir: await configDir() });
  await store.addDoNotRecord([{ number: '95588', note: 'bank' }, { number: '%110' }]);
  await rejects(store.addDoNotRecord([{ number: '95588' }]), 'BAD_REQUEST', /'95588' is already listed/);
  assert.ok(store.doNotRecord.matches('95588') && store.doNotRecord.matches('0755110'));
  const removed = await store.removeDoNotRecord(['95588']);
  assert.equal(removed.value, [{ number: '%110', note: '' }]);
  assert.not.ok(store.doNotRecord.matches('95588'));
  await rejects(store.removeDoNotRecord(['12345']), 'NOT_FOUND', /'12345' is not listed/);
  const replaced = await store.replaceDoNotRecord([{ number: '1' }, { number: '2', note: 'n' }]);
  assert.equal(replaced.value.map((e) => e.number), ['1', '2']);
  await rejects(store.replaceDoNotRecord(Array.from({ length: 1001 }, (_, i) => ({ number: String(i) }))), 'BAD_REQUEST', /at most 1000/);
  const full = await store.replaceDoNotRecord(Array.from({ length: 1000 }, (_, i) => ({ number: String(10_000 + i) })));
  assert.is(full.value.length, 1000);
  await rejects(store.addDoNotRecord([{ number: '9' }]), 'BAD_REQUEST', /at most 1000/);
});

test('settings returned are read-only snapshots', async () => {
  const store = await SettingsStore.open({ dir: await configDir() });
  const snapshot = store.settings;
  assert.throws(() => {
    (snapshot.recording as { maxFileS: number }).maxFileS = 1;
  });
  await store.updateRecording({ maxFileS: 100 });
  assert.is(snapshot.recording.maxFileS, 1800, 'an earlier snapshot does not change');
});

test.run();
