import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadBoard, parseBoard } from '../../firmware/board/load-board.ts';
import { SettingsStore } from '../../firmware/settings/settings-store.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { RecorderError } from '../../firmware/errors.ts';
import { ROOT, TSX_LOADER } from '../support/processes.ts';
import { tempDir } from '../support/temp-dir.ts';

test('the shipped board files are valid and say what the product card says', async () => {
  const rds = await loadBoard('rds');
  assert.is(rds.channels.analog, 8);
  assert.is(rds.storage.kind, 'tf');
  assert.is(rds.linecard.transport, 'uart');
  const rdt = await loadBoard('rdt');
  assert.equal(rdt.channels, { analog: 64, e1: 4, voip: 2 });
  assert.is(rdt.storage.kind, 'hdd');
  const sim = await loadBoard('sim');
  assert.is(sim.gpio.driver, 'sim');
  for (const b of [rds, rdt, sim]) assert.equal(Object.keys(b.gpio.lines).sort(), ['buzzer', 'full', 'half', 'link', 'pwr', 'run']);
});

test('an invalid board file is rejected with the file and the field named', () => {
  const bad = JSON.stringify({ model: 'x', name: 'x', linecard: { transport: 'uart', device: '/dev/ttyS1', baudRate: -5 } });
  try {
    parseBoard(bad, '/etc/boards/x.json');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RecorderError);
    const msg = (e as Error).message;
    assert.match(msg, '/etc/boards/x.json');
    assert.match(msg, 'linecard.baudRate');
  }
  assert.throws(() => parseBoard('{not json', 'b.json'), /b\.json: not valid JSON/);
});

test('the daemon refuses an invalid board file with a clear message and a non-zero exit', () => {
  const dir = tempDir('board-');
  const file = path.join(dir, 'broken.json');
  fs.writeFileSync(file, JSON.stringify({ model: 'broken', channels: { analog: 'eight' } }));
  const r = spawnSync(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'firmware/sim/sim-daemon.ts'), '--board', file, '--port', '0'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30000,
  });
  assert.is(r.status, 1);
  assert.match(r.stderr, file);
  assert.match(r.stderr, 'channels.analog');
});

test('device settings: defaults from the manual, overrides per channel, errors name the field', async () => {
  const fresh = () => tempDir('cfg-');
  const defaults = await SettingsStore.open({ dir: fresh() });
  assert.equal(
    [defaults.recording.maxFileS, defaults.recording.minFileS, defaults.recording.codec],
    [1800, 3, 'alaw'],
  );
  const ch5 = defaults.channel(analogRef(5));
  assert.equal([ch5.lineNumber, ch5.offhookVoltage, ch5.disconnectVoltage, ch5.controlMode, ch5.level], ['8005', 15, 4, 'voltage', 'normal']);
  let dir = fresh();
  fs.writeFileSync(path.join(dir, 'recorder.json'), JSON.stringify({ channels: { '2': { level: 'important', offhookVoltage: 18 } } }));
  const cfg = await SettingsStore.open({ dir });
  assert.equal([cfg.channel(analogRef(2)).level, cfg.channel(analogRef(2)).offhookVoltage, cfg.channel(analogRef(3)).level], ['important', 18, 'normal']);
  dir = fresh();
  fs.writeFileSync(path.join(dir, 'recorder.json'), JSON.stringify({ recording: { maxFileS: 99999 } }));
  const bad = await SettingsStore.open({ dir });
  assert.ok(bad.loadReport.damaged);
  assert.match(bad.loadReport.problems.join(' '), /recording\.maxFileS/);
});

test.run();
