/** A box upgraded from the first release keeps the settings of its recorder.json. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { SettingsStore } from '../../firmware/settings/settings-store.ts';
import { configDir, readJson, writeJson } from './helpers.ts';

const KEY = 'ab'.repeat(32);
const oldFile = {
  storage: { diskAlarmPercent: 85, reservePercent: 20, autoMaintenance: false, archiveTime: '02:30:00', archiveFormat: 'mp3', mp3Kbps: 32 },
  encryption: { enabled: true, key: KEY },
  recording: { maxFileS: 3600, minFileS: 5, digitGapS: 8, codec: 'ulaw' },
  lineNumberBase: 6000,
  channels: { '0': { name: '总机' }, '7': { controlMode: 'voice', silenceMs: 5000 }, '12': { lineNumber: '88886666', recordingEnabled: false } },
};

test('recorder.json is migrated: recording and disk settings, encryption, line numbers, channels by reference', async () => {
  const dir = await configDir();
  await writeJson(path.join(dir, 'recorder.json'), oldFile);
  const store = await SettingsStore.open({ dir });
  assert.equal(store.loadReport, { source: 'migrated', damaged: false, problems: [] });
  const r = store.recording;
  assert.equal([r.maxFileS, r.minFileS, r.digitGapS, r.codec, r.stopAtMaxFile], [3600, 5, 8, 'ulaw', false]);
  assert.equal([r.diskAlarmPercent, r.reservePercent, r.autoMaintenance, r.deletePerRound, r.archiveTime, r.archiveFormat, r.mp3Kbps], [85, 20, false, 1000, '02:30:00', 'mp3', 32]);
  assert.is(r.keepStarHash, false, 'the first release stripped * and # when its file did not say');
  assert.equal(store.encryption, { enabled: true, key: KEY });
  assert.equal([store.channel(analogRef(0)).name, store.channel(analogRef(0)).lineNumber], ['总机', '6000']);
  assert.equal([store.channel(analogRef(7)).controlMode, store.channel(analogRef(7)).silenceMs, store.channel(analogRef(7)).lineNumber], ['voice', 5000, '6007']);
  assert.equal([store.channel(analogRef(12)).lineNumber, store.channel(analogRef(12)).recordingEnabled], ['88886666', false]);
  assert.is(store.channel(analogRef(3)).lineNumber, '6003');
  const saved = await readJson(path.join(dir, 'settings.json'));
  assert.equal(Object.keys(saved.channels).sort(), ['analog-0-0', 'analog-0-12', 'analog-0-7']);
  assert.equal(saved.channels['analog-0-0'], { name: '总机' });
  assert.equal(await readJson(path.join(dir, 'recorder.json')), oldFile, 'the old file is left as it was');
  const next = await SettingsStore.open({ dir });
  assert.is(next.loadReport.source, 'file');
  assert.equal(next.settings, store.settings);
});

test('an empty or minimal recorder.json migrates to the first release values', async () => {
  const dir = await configDir();
  await writeJson(path.join(dir, 'recorder.json'), {});
  const store = await SettingsStore.open({ dir });
  assert.is(store.loadReport.source, 'migrated');
  assert.is(store.recording.keepStarHash, false);
  assert.is(store.recording.maxFileS, 1800);
  assert.equal(store.configuredChannels, []);
});

test('an invalid recorder.json gives factory settings and is reported; nothing is written', async () => {
  for (const text of ['{"recording": {"maxFileS": 5}}', '{not json']) {
    const dir = await configDir();
    await fs.writeFile(path.join(dir, 'recorder.json'), text);
    const store = await SettingsStore.open({ dir });
    assert.equal([store.loadReport.source, store.loadReport.damaged], ['defaults', true], text);
    assert.match(store.loadReport.problems[0]!, /recorder\.json: /);
    assert.equal(await fs.readdir(dir), ['recorder.json']);
  }
});

test('recorder.json is not read again once settings.json exists', async () => {
  const dir = await configDir();
  await writeJson(path.join(dir, 'recorder.json'), oldFile);
  await SettingsStore.open({ dir });
  await writeJson(path.join(dir, 'recorder.json'), { ...oldFile, recording: { maxFileS: 100 } });
  const store = await SettingsStore.open({ dir });
  assert.is(store.recording.maxFileS, 3600);
});

test('a migrated channel with overrides keeps its line number', async () => {
  const dir = await configDir();
  await writeJson(path.join(dir, 'recorder.json'), oldFile);
  const store = await SettingsStore.open({ dir });
  assert.equal([store.channel(analogRef(0)).lineNumber, store.channel(analogRef(0)).name], ['6000', '总机']);
  assert.is(store.channel(analogRef(12)).lineNumber, '88886666');
  assert.is(store.recording.keepStarHash, false);
});

test.run();
