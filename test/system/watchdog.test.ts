/**
 * The watchdog on a simulated device (a plain file under the sandbox root,
 * through the box's own device code): fed every second while the recording
 * path is healthy, no longer fed once a recording has been stuck waiting to
 * be indexed for the watchdog time, disarmed (magic close `V`) when turned
 * off; and on a running simulated box, fed from start-up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { LinuxWatchdog } from '../../firmware/host/linux/watchdog-device.ts';
import { LinuxShell } from '../../firmware/host/linux/shell.ts';
import { WatchdogFeeder } from '../../firmware/app/watchdog-feeder.ts';
import { RecordingPathHealth } from '../../firmware/system/recording-health.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import type { RecordIndex } from '../../firmware/recording/record-index.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox } from '../support/sim-box.ts';
import { signIn } from '../support/api-client.ts';
import { waitFor } from '../support/processes.ts';

const quiet = { info() {}, warn() {}, error() {} };
const T = Date.parse('2026-11-20T10:00:00+08:00');
const settle = () => new Promise((r) => setTimeout(r, 5));

async function advance(clock: VirtualClock, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 100) {
    clock.advance(100);
    await settle();
  }
}

/** A recorder whose index never answers: the recording path is stuck once a recording closes. */
function stuckRecorder(data: string) {
  const index = { put: () => new Promise<void>(() => undefined) } as unknown as RecordIndex;
  return new Recorder(data, index, 'alaw', new FileFinisher(data, null), quiet);
}

test('fed while healthy; not fed once the recording path has been stuck for the watchdog time; disarmed when turned off', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'watchdog-'));
  fs.mkdirSync(path.join(root, 'dev'));
  const device = path.join(root, 'dev/watchdog');
  fs.writeFileSync(device, '');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'watchdog-data-'));
  try {
    const clock = new VirtualClock(T);
    const recorder = stuckRecorder(data);
    let ticks = 0;
    clock.setInterval(() => ticks++, 100);
    const health = new RecordingPathHealth();
    const feeder = new WatchdogFeeder(new LinuxWatchdog(root, new LinuxShell()), clock, () => health.check({ at: clock.now(), ticks, ...recorder.jobs }), quiet);
    await feeder.enable(20);
    await advance(clock, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    const fed = fs.readFileSync(device, 'utf8');
    assert.ok(/^k{9,11}$/.test(fed), `fed once a second while healthy: ${JSON.stringify(fed)}`);
    assert.ok(feeder.status.healthy);

    // A call recorded and closed: its indexing never finishes.
    const s = recorder.open(analogRef(3), { callId: 'c', part: 1, callType: 'outgoing', startMode: 'voltage', lineNumber: '8003', remoteNumber: '114', callerName: '', level: 'normal', at: clock.now() });
    s.write(0, alawEncode(speechLike(1, 3)), 'alaw', clock.now());
    s.close('hangup', true, clock.now());
    assert.is(recorder.jobs.queued, 1);
    await advance(clock, 55_000);
    assert.ok(feeder.status.healthy, 'under a minute of waiting is within bounds');
    await advance(clock, 10_000);
    assert.not.ok(feeder.status.healthy);
    assert.match(feeder.status.reasons.join(), /waited \d+ s to be closed and indexed/);
    const atStall = fs.readFileSync(device, 'utf8').length;
    await advance(clock, 19_000);
    const beforeTimeout = fs.readFileSync(device, 'utf8').length;
    assert.ok(beforeTimeout > atStall, 'still fed within the watchdog time (20 s)');
    await advance(clock, 30_000);
    const after = fs.readFileSync(device, 'utf8').length;
    assert.ok(after - beforeTimeout <= 2, `no longer fed: ${after - beforeTimeout} feeds after the watchdog time`);
    await advance(clock, 10_000);
    assert.is(fs.readFileSync(device, 'utf8').length, after, 'starved for good');

    await feeder.disable();
    assert.ok(fs.readFileSync(device, 'utf8').endsWith('V'), 'magic close');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('a stalled tick (the event loop or the channels stuck) is unhealthy at once', () => {
  const h = new RecordingPathHealth();
  assert.ok(h.check({ at: 0, ticks: 5, queued: 0, done: 0 }).healthy);
  assert.ok(h.check({ at: 1000, ticks: 15, queued: 0, done: 0 }).healthy);
  assert.ok(h.check({ at: 2500, ticks: 15, queued: 0, done: 0 }).healthy);
  const v = h.check({ at: 3100, ticks: 15, queued: 0, done: 0 });
  assert.not.ok(v.healthy);
  assert.match(v.reasons[0]!, /tick has not run for 2 s/);
  assert.ok(h.check({ at: 3200, ticks: 16, queued: 0, done: 0 }).healthy);
});

test('the running box feeds its watchdog from start-up, and disarms it when it is turned off in 系统设置', async () => {
  const box = await startSimBox({ sources: [] });
  try {
    const device = path.join(box.root, 'dev/watchdog');
    // Fed once a second of the box's clock; each feed is a write of its own, so the test's
    // fast-forwarded clock waits for the writes to land on a busy machine.
    await waitFor('five feeds', async () => {
      await box.run(1000);
      return fs.readFileSync(device, 'utf8').length >= 5 || null;
    });
    const admin = await signIn(`http://127.0.0.1:${box.port}`);
    const got = await admin.json('/api/v1/system/settings');
    assert.is(got.body.watchdog, true);
    assert.is(got.body.watchdogStatus.active, true);
    assert.is(got.body.watchdogStatus.healthy, true);
    const { watchdogStatus: _, cpuPercent: __, revision: ___, ...settings } = got.body;
    const off = await admin.json('/api/v1/system/settings', { method: 'PUT', body: { ...settings, watchdog: false } });
    assert.is(off.status, 200, JSON.stringify(off.body));
    assert.is(off.body.watchdogStatus.active, false);
    const text = fs.readFileSync(device, 'utf8');
    assert.ok(text.endsWith('V'));
    await box.run(3000);
    assert.is(fs.readFileSync(device, 'utf8'), text, 'not fed any more');
  } finally {
    await box.stop();
  }
});

test.run();
