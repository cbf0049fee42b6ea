/** Atomic saves, the last good copy, and what a damaged or half-written file leads to. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { DEFAULT_RECORDING_SETTINGS } from '../../firmware/settings/settings-schema.ts';
import { SettingsStore } from '../../firmware/settings/settings-store.ts';
import { configDir, readJson, rejects } from './helpers.ts';

/** A folder whose settings went through maxFileS 600, then 900 (in force). */
async function savedTwice(): Promise<string> {
  const dir = await configDir();
  const store = await SettingsStore.open({ dir });
  await store.updateRecording({ maxFileS: 600 });
  await store.updateRecording({ maxFileS: 900 });
  return dir;
}

test('each save keeps the settings it replaces as the last good copy', async () => {
  const dir = await savedTwice();
  assert.is((await readJson(path.join(dir, 'settings.json'))).recording.maxFileS, 900);
  assert.is((await readJson(path.join(dir, 'settings.last-good.json'))).recording.maxFileS, 600);
  assert.equal((await fs.readdir(dir)).sort(), ['settings.json', 'settings.last-good.json']);
});

test('a save cut short before its rename leaves the settings in force; its temporaries are cleared', async () => {
  const dir = await savedTwice();
  // A power loss after the temporary of the next save was written (one whole, one torn), before the rename.
  await fs.writeFile(path.join(dir, 'settings.json.1a2b3c4d5e6f.tmp'), (await fs.readFile(path.join(dir, 'settings.json'), 'utf8')).replace('900', '1200'));
  await fs.writeFile(path.join(dir, 'settings.last-good.json.0f0f0f0f0f0f.tmp'), '{"version": 2, "recor');
  const store = await SettingsStore.open({ dir });
  assert.equal(store.loadReport, { source: 'file', damaged: false, problems: [] });
  assert.is(store.recording.maxFileS, 900);
  assert.equal((await fs.readdir(dir)).sort(), ['settings.json', 'settings.last-good.json']);
});

test('a damaged settings file falls back to the last good copy, reported, set aside and replaced', async () => {
  for (const damage of ['{"version": 2, "recording": {"maxFi', '{"version": 2, "recording": {"maxFileS": 99999}}', '', '[]']) {
    const dir = await savedTwice();
    await fs.writeFile(path.join(dir, 'settings.json'), damage);
    const store = await SettingsStore.open({ dir });
    assert.is(store.loadReport.source, 'last-good', damage);
    assert.ok(store.loadReport.damaged);
    assert.is(store.loadReport.problems.length, 1);
    assert.match(store.loadReport.problems[0]!, /settings\.json: /);
    assert.is(store.recording.maxFileS, 600, 'the last good settings');
    assert.is(await fs.readFile(path.join(dir, 'settings.json.damaged'), 'utf8'), damage, 'kept for inspection');
    const next = await SettingsStore.open({ dir });
    assert.equal(next.loadReport, { source: 'file', damaged: false, problems: [] }, 'the next start is clean');
    assert.is(next.recording.maxFileS, 600);
  }
});

test('the reason names the field of a file that is JSON but not valid settings', async () => {
  const dir = await savedTwice();
  await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ version: 2, channels: { 'analog-0-3': { offhookVoltage: 'high' } } }));
  const store = await SettingsStore.open({ dir });
  assert.match(store.loadReport.problems[0]!, /channels\.analog-0-3\.offhookVoltage/);
});

test('fields this firmware does not know are dropped, not taken for damage', async () => {
  const dir = await configDir();
  await fs.writeFile(
    path.join(dir, 'settings.json'),
    JSON.stringify({ version: 2, recording: { maxFileS: 900, volume: 5 }, channels: { 'analog-0-3': { name: 'x', transcribe: true } }, cloud: {} }),
  );
  const store = await SettingsStore.open({ dir });
  assert.equal(store.loadReport, { source: 'file', damaged: false, problems: [] });
  assert.equal([store.recording.maxFileS, store.recording.minFileS, store.channel(analogRef(3)).name], [900, 3, 'x']);
});

test('a missing settings file with a last good copy uses the copy, reported', async () => {
  const dir = await savedTwice();
  await fs.rm(path.join(dir, 'settings.json'));
  const store = await SettingsStore.open({ dir });
  assert.equal([store.loadReport.source, store.loadReport.damaged], ['last-good', true]);
  assert.match(store.loadReport.problems[0]!, /settings\.json: missing/);
  assert.is(store.recording.maxFileS, 600);
});

test('both files damaged: factory settings, reported with both reasons', async () => {
  const dir = await savedTwice();
  await fs.writeFile(path.join(dir, 'settings.json'), '\u0000\u0000\u0000');
  await fs.writeFile(path.join(dir, 'settings.last-good.json'), '{"version": 1}');
  const store = await SettingsStore.open({ dir });
  assert.equal([store.loadReport.source, store.loadReport.damaged], ['defaults', true]);
  assert.is(store.loadReport.problems.length, 2);
  assert.match(store.loadReport.problems[1]!, /settings\.last-good\.json: version/);
  assert.equal(store.recording, DEFAULT_RECORDING_SETTINGS);
  await store.updateChannel(analogRef(0), { name: 'x' });
  const next = await SettingsStore.open({ dir });
  assert.is(next.loadReport.source, 'file');
  assert.is(next.channel(analogRef(0)).name, 'x');
});

test('a save that fails is reported and leaves the settings in force unchanged', async () => {
  const root = await configDir();
  const dir = path.join(root, 'config');
  const store = await SettingsStore.open({ dir });
  await fs.writeFile(dir, 'not a folder');
  const events: unknown[] = [];
  store.onChange((c) => events.push(c));
  await rejects(store.updateRecording({ maxFileS: 100 }), 'SETTINGS_WRITE_FAILED', /saving .*settings\.json/);
  assert.is(store.recording.maxFileS, 1800);
  assert.is(events.length, 0);
  await fs.rm(dir);
  const ok = await store.updateRecording({ maxFileS: 100 });
  assert.is(ok.value.maxFileS, 100, 'the next update goes through');
});

test.run();
