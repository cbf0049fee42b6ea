/**
 * A full disk, for real: the daemon records four lines continuously onto a
 * 12 MiB tmpfs. Disk maintenance must keep recording going by deleting the
 * oldest recordings, never the important ones; HALF, FULL, the buzzer and the
 * disk alarms follow the thresholds.
 */
import { SYSTEM } from '../../firmware/app/principal.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox } from '../support/sim-box.ts';
import { authedFetch } from '../support/api-client.ts';
import { tempDir } from '../support/temp-dir.ts';

const CHANNELS = 4;

function mountSmallDisk(): string {
  const dir = tempDir('small-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m,mode=0755', 'tmpfs', dir]);
  } catch (e) {
    throw new Error(`the disk-full test needs to mount a 12 MiB tmpfs (run as root): ${(e as Error).message}`);
  }
  return dir;
}

test('on a full disk recording never stops: the oldest recordings go, important ones stay, LEDs and alarms follow', async () => {
  const mount = mountSmallDisk();
  const dataDir = path.join(mount, 'data');
  fs.mkdirSync(dataDir);
  const sources = Array.from({ length: 8 }, (_, ch) =>
    ch < CHANNELS ? new TimelineSource([{ tMs: 0, state: 'onhook' }], speechLike(30, ch)) : new TimelineSource([{ tMs: 0, state: 'onhook' }]),
  );
  const box = await startSimBox({
    dataDir,
    sources,
    config: {
      recording: { maxFileS: 10, minFileS: 1 },
      storage: { diskAlarmPercent: 90, reservePercent: 15, deletePerRound: 4 },
      channels: Object.fromEntries(Array.from({ length: CHANNELS }, (_, ch) => [String(ch), { controlMode: 'continuous' }])),
    },
  });
  const seen = new Map<string, { startedAt: number; level: string }>();
  const poll = async () => {
    const all = (await box.api('/api/v1/records?limit=500')).body.items as any[];
    for (const r of all) seen.set(r.id, { startedAt: Date.parse(r.startTime), level: r.level });
    return all;
  };
  const recordingNow = () => box.services.channels.list().slice(0, CHANNELS).filter((c) => c.recording).length;
  const disk = async () => (await box.api('/api/v1/storage')).body.disk;
  try {
    await box.run(25_000);
    // The first two recordings are marked important.
    const first = (await poll()).sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime)).slice(0, 2);
    assert.is(first.length, 2);
    for (const r of first) {
      const res = await authedFetch(`http://127.0.0.1:${box.port}/api/v1/records/${r.id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ level: 'important' }),
      });
      assert.is(res.status, 200);
    }
    let maxUsed = 0;
    let roundsAfterFirstDeletion = 0;
    for (let i = 0; i < 150 && roundsAfterFirstDeletion < 20; i++) {
      await box.run(5_000);
      // Let the check in progress finish: on a loaded machine it may outlast a step of virtual time.
      await box.services.storage.maintenanceNow(SYSTEM);
      if ((await disk()).deletedByMaintenance > 0) roundsAfterFirstDeletion++;
      await poll();
      assert.is(recordingNow(), CHANNELS, `every line still recording after ${25 + 5 * i} s`);
      maxUsed = Math.max(maxUsed, (await disk()).usedPercent);
    }
    const report = await disk();
    assert.ok(report.deletedByMaintenance > 0, 'maintenance deleted recordings');
    assert.ok(maxUsed < 90, `usage stayed below the alarm threshold (${maxUsed} %)`);
    assert.ok(box.gpio.history.some((h) => h.line === 'half' && h.on), 'HALF lit above the reserve');
    assert.not.ok(box.gpio.history.some((h) => h.line === 'full' && h.on), 'FULL never lit');
    assert.is(box.services.device.status().recorder.writeErrors, 0, 'no write ever refused');

    // Oldest first: every recording deleted is older than every normal one kept; the important ones stay.
    const kept = new Set((await poll()).map((r) => r.id));
    for (const r of first) assert.ok(kept.has(r.id), `important ${r.id} kept`);
    const gone = [...seen].filter(([id]) => !kept.has(id));
    const keptNormal = [...seen].filter(([id, v]) => kept.has(id) && v.level === 'normal');
    assert.ok(gone.length > 0);
    const newestGone = Math.max(...gone.map(([, v]) => v.startedAt));
    const oldestKept = Math.min(...keptNormal.map(([, v]) => v.startedAt));
    assert.ok(newestGone <= oldestKept, 'deleted oldest first');
    for (const [id] of gone) assert.is((await box.api(`/api/v1/records/${id}`)).status, 404);

    // With maintenance off the disk fills past the alarm threshold: FULL, buzzer, alarm.
    await box.services.settings.updateRecording(SYSTEM, { autoMaintenance: false });
    for (let i = 0; i < 60 && (await disk()).level !== 'full'; i++) {
      await box.run(5_000);
      await box.services.storage.maintenanceNow(SYSTEM);
    }
    assert.is((await disk()).level, 'full');
    assert.ok(box.gpio.get('full') && box.gpio.get('buzzer') && box.gpio.get('half'));
    const alarms = (await box.api('/api/v1/alarms')).body.items.map((a: any) => a.id);
    assert.ok(alarms.includes('disk-full'), JSON.stringify(alarms));
    // Back on: maintenance brings usage under the reserve and everything clears.
    await box.services.settings.updateRecording(SYSTEM, { autoMaintenance: true });
    await box.run(10_000);
    await box.services.storage.maintenanceNow(SYSTEM);
    assert.is((await disk()).level, 'ok');
    assert.not.ok(box.gpio.get('full') || box.gpio.get('buzzer') || box.gpio.get('half'));
    const after = (await box.api('/api/v1/alarms')).body.items.map((a: any) => a.id);
    assert.not.ok(after.includes('disk-full') || after.includes('disk-reserve'), JSON.stringify(after));
    assert.is(recordingNow(), CHANNELS);
    assert.ok((await disk()).remainingHours >= 0);
  } finally {
    await box.stop();
    execFileSync('umount', [mount]);
    fs.rmSync(mount, { recursive: true, force: true });
  }
});

test.run();
