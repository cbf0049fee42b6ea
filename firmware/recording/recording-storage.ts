/**
 * The recording store as the daemon runs it: the index (rebuilt when
 * damaged), recovery after a power loss, finished-file steps, delete and
 * purge, disk maintenance and the daily archive, with the jobs that move or
 * remove files taking turns.
 */
import type { Logger } from 'pino';
import type { Disk } from '../host/host.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { FrontPanel } from '../panel/front-panel.ts';
import type { RecordingSettings } from '../settings/settings-schema.ts';
import { RecordIndex, type IndexOptions } from './record-index.ts';
import type { ConversionProgress } from './index-conversion.ts';
import { openOrRebuildIndex } from './index-rebuild.ts';
import { recoverOpenRecordings } from './recovery.ts';
import { FileFinisher } from './file-finisher.ts';
import { RecordStore } from './record-store.ts';
import { DiskMaintenance } from './disk-maintenance.ts';
import { Archiver, type ArchiveReport } from './archiver.ts';
import { parseKey } from './sealed-file.ts';
import { NO_CUSTODY, type CustodyLedger } from './custody-hook.ts';

export interface RecordingStorage {
  index: RecordIndex;
  store: RecordStore;
  finisher: FileFinisher;
  maintenance: DiskMaintenance;
  archiver: Archiver;
  /** What start-up found after a power loss: recordings closed and indexed, markers discarded, purges finished. */
  startup: { recovered: number; discarded: number; purgesFinished: number };
  /** The next scheduled archive (ms since the epoch). */
  nextArchiveAt: number;
  /** Runs an archive now (归档), after any maintenance round in progress. */
  archiveNow(): Promise<ArchiveReport>;
  /** Calls `listener` after every archive run with the time it started (NAS backup runs then). */
  onArchived(listener: (startedAt: number, report: ArchiveReport) => void): void;
  /** Disk check and maintenance, after any archive in progress. */
  checkDisk(): Promise<void>;
  /** Erases the data disk: every recording and the index (格式化). */
  format(disk: Disk): Promise<void>;
  /** Called every few seconds: starts the daily archive when its time has come. */
  tick(now: number): void;
  /** Applies changed disk and archive settings (thresholds, maintenance, archive time). */
  reconfigure(now: number): void;
  close(): Promise<void>;
}

/** The next moment at `HH:MM:SS` local time strictly after `now`. */
export function nextDailyTime(now: number, hms: string): number {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  const d = new Date(now);
  let t = new Date(d.getFullYear(), d.getMonth(), d.getDate(), h, m, s).getTime();
  if (t <= now) t = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1, h, m, s).getTime();
  return t;
}

/** How often a conversion at start-up logs how far it got. */
const CONVERSION_LOG_MS = 10_000;

export async function openRecordingStorage(opts: {
  dataDir: string;
  /** The recording page's settings in force (read again when they change). */
  settings: () => Readonly<RecordingSettings>;
  /** AES-256 key of encryption at rest (64 hex digits); null: recordings stay plain. */
  encryptionKey: string | null;
  disk: Disk;
  panel: FrontPanel;
  alarms: AlarmList;
  log: Logger;
  now: () => number;
  /** LevelDB resources of the index (the board's `index`); defaults when left out. */
  index?: IndexOptions;
  /** The custody chain: statements of finished, transcoded, deleted, restored, purged recordings. */
  custody?: CustodyLedger;
  /** Told what a long start-up step (an index conversion or rebuild) has done so far. */
  startupProgress?: (what: string) => void;
}): Promise<RecordingStorage> {
  const { dataDir, settings, log } = opts;
  let logged = 0;
  const onConversion = (p: ConversionProgress) => {
    opts.startupProgress?.(`index conversion: ${p.converted} entries`);
    if (opts.now() - logged < CONVERSION_LOG_MS) return;
    logged = opts.now();
    log.info({ converted: p.converted }, 'converting the recording index to the new format');
  };
  const { index } = await openOrRebuildIndex(dataDir, (l) => new RecordIndex(l, opts.index, { onConversion }), log, opts.startupProgress);
  const key = opts.encryptionKey ? parseKey(opts.encryptionKey) : null;
  const finisher = new FileFinisher(dataDir, key);
  const custody = opts.custody ?? NO_CUSTODY;
  const store = new RecordStore(dataDir, index, custody);
  const purged = await store.finishPendingPurges();
  if (purged) log.info({ purged }, 'purge interrupted by a power loss finished');
  const recovery = await recoverOpenRecordings(dataDir, index, settings().minFileS, finisher, log, custody);
  if (recovery.recovered.length || recovery.discarded.length) {
    log.info({ recovered: recovery.recovered.length, discarded: recovery.discarded.length }, 'recordings recovered after power loss');
  }
  const maintenance = new DiskMaintenance(
    dataDir, opts.disk, store, opts.panel, opts.alarms, { ...settings() },
    () => ({ format: settings().codec, mp3Kbps: settings().mp3Kbps }), log.child({ part: 'disk' }), opts.now,
  );
  const archiver = new Archiver(dataDir, index, () => key, () => ({ format: settings().archiveFormat, mp3Kbps: settings().mp3Kbps }), log.child({ part: 'archive' }), custody);

  // Archive and maintenance move and remove files: one at a time.
  let turn: Promise<unknown> = Promise.resolve();
  const archived: Array<(startedAt: number, report: ArchiveReport) => void> = [];
  const inTurn = <T>(job: () => Promise<T>): Promise<T> => {
    const run = turn.then(job, job);
    turn = run.catch(() => undefined);
    return run;
  };
  const storage: RecordingStorage = {
    index,
    store,
    finisher,
    maintenance,
    archiver,
    startup: { recovered: recovery.recovered.length, discarded: recovery.discarded.length, purgesFinished: purged },
    nextArchiveAt: nextDailyTime(opts.now(), settings().archiveTime),
    archiveNow: () =>
      inTurn(async () => {
        const startedAt = opts.now();
        const report = await archiver.run();
        for (const listener of archived) listener(startedAt, report);
        return report;
      }),
    onArchived: (listener) => void archived.push(listener),
    checkDisk: () => inTurn(async () => void (await maintenance.check())),
    tick(now) {
      if (now < storage.nextArchiveAt) return;
      storage.nextArchiveAt = nextDailyTime(now, settings().archiveTime);
      storage.archiveNow().catch((e: unknown) => log.error({ err: String(e) }, 'archive failed'));
    },
    reconfigure(now) {
      maintenance.configure({ ...settings() });
      storage.nextArchiveAt = nextDailyTime(now, settings().archiveTime);
    },
    format: (disk) =>
      inTurn(async () => {
        await index.close();
        await disk.format(dataDir);
        await index.open();
        log.warn('data disk formatted: every recording erased');
      }),
    async close() {
      await turn;
      await index.close();
    },
  };
  if (archiver.interrupted()) {
    log.info('resuming an archive interrupted by a power loss');
    storage.archiveNow().catch((e: unknown) => log.error({ err: String(e) }, 'archive failed'));
  }
  return storage;
}
