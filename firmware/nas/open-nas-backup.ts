/**
 * NAS backup wired into the daemon: the queue in the configuration folder
 * (it outlives a formatted data disk's files only as far as they exist),
 * status changes on the event bus, failures as alarms `nas-<slot>`,
 * automatic backup after each archive, settings applied when they change.
 * Recording goes on without it when the queue cannot be opened (alarm
 * `nas-queue`).
 */
import path from 'node:path';
import type { Host } from '../host/host.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { BoxEvent } from '../events/box-events.ts';
import type { RecordIndex } from '../recording/record-index.ts';
import type { RecordingStorage } from '../recording/recording-storage.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { NasBackup, NAS_QUEUE_DIR, scratchDirOf } from './nas-backup.ts';

interface Log {
  warn(o: object, m: string): void;
  info(o: object, m: string): void;
  error(o: object, m: string): void;
}

export async function openNasBackup(o: {
  host: Host;
  index: RecordIndex;
  settings: SettingsStore;
  alarms: AlarmList;
  publish: (e: BoxEvent) => void;
  log: Log;
  storage: Pick<RecordingStorage, 'onArchived'>;
}): Promise<NasBackup | null> {
  const { host, alarms, settings, log } = o;
  const now = () => host.clock.now();
  const serial = (await host.sensors.boardId().catch(() => null)) ?? 'unknown';
  try {
    const nas = await NasBackup.open({
      queueDir: path.join(host.paths.config, NAS_QUEUE_DIR),
      scratchDir: scratchDirOf(host.paths.data),
      dataDir: host.paths.data,
      serial,
      settings: () => settings.nas,
      index: o.index,
      clock: host.clock,
      shell: host.shell,
      changed: (s) => o.publish({ type: 'nas.target', ...s, at: now() }),
      alarm: (slot, e, text) => (e ? alarms.raise(`nas-${slot}`, 'major', 'disk', text, now()) : alarms.clear(`nas-${slot}`)),
      log,
    });
    o.storage.onArchived((startedAt) => {
      nas.afterArchive(startedAt).catch((e: unknown) => log.error({ err: (e as Error).message }, 'automatic NAS backup not queued'));
    });
    settings.onChange((c) => {
      if (c.nas) nas.reconfigure().catch((e: unknown) => log.error({ err: (e as Error).message }, 'NAS settings not applied'));
    });
    return nas;
  } catch (e) {
    log.error({ err: (e as Error).message }, 'NAS backup not available');
    alarms.raise('nas-queue', 'major', 'disk', `NAS backup queue cannot be opened: ${(e as Error).message}`, now());
    return null;
  }
}
