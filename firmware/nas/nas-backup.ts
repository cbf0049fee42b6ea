/**
 * NAS backup (私人网盘) as the daemon runs it: the persisted queue, one
 * worker per target, the bandwidth limit they share, automatic backup when
 * the daily archive has run (every recording since the last one), manual
 * backup of a time range, and each target's status for the page and the
 * event bus. Backups run beside recording and never hold it up: files are
 * read as streams, transfers run in the network stack or in smbclient.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, Shell } from '../host/host.ts';
import type { NasSettings, NasTarget } from '../settings/nas-settings.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { RecordIndex } from '../recording/record-index.ts';
import { streamRecords } from '../recording/record-stream.ts';
import { dayStart, localDay } from '../recording/local-day.ts';
import { BackupQueue, type BackupRun } from './backup-queue.ts';
import { NasError, NAS_ERROR_TEXT, type NasConnection } from './nas-connection.ts';
import { openFtp } from './ftp-connection.ts';
import { openSmb } from './smb-connection.ts';
import { RateLimiter } from './rate-limiter.ts';
import { TargetWorker, type TargetStatus } from './target-worker.ts';
import { remoteFile } from './remote-layout.ts';

export type { TargetStatus } from './target-worker.ts';
export type { BackupRun } from './backup-queue.ts';

/** The automatic backup looks back this far before its watermark (recordings that were still open then). */
const LOOK_BACK_MS = 2 * 86_400_000;

export interface NasBackupOptions {
  queueDir: string;
  scratchDir: string;
  dataDir: string;
  serial: string;
  settings: () => Readonly<NasSettings>;
  index: RecordIndex;
  clock: Clock;
  shell: Shell;
  /** A target's status changed (for the event bus). */
  changed: (status: TargetStatus) => void;
  /** A target failed (error) or recovered (null): the alarm. */
  alarm: (slot: number, error: NasError | null, text: string) => void;
  log: { warn(o: object, m: string): void; info(o: object, m: string): void; error(o: object, m: string): void };
  /** Opens a connection (tests replace it); the protocol's client by default. */
  connect?: (target: NasTarget, slot: number) => Promise<NasConnection>;
}

export class NasBackup {
  private constructor(
    private readonly o: NasBackupOptions,
    private readonly queue: BackupQueue,
    private readonly workers: TargetWorker[],
  ) {}

  static async open(o: NasBackupOptions): Promise<NasBackup> {
    const targets = o.settings().targets;
    fs.mkdirSync(o.scratchDir, { recursive: true, mode: 0o700 });
    const queue = await BackupQueue.open(o.queueDir, targets.length);
    const limiter = new RateLimiter(o.clock, () => o.settings().bandwidthKBps * 1024);
    const connect = o.connect ?? ((t: NasTarget, slot: number) => (t.protocol === 'smb' ? openSmb(t, o.shell, limiter, o.scratchDir, slot) : openFtp(t, limiter)));
    const workers: TargetWorker[] = [];
    for (let slot = 0; slot < targets.length; slot++) {
      const lastSync = (await queue.recentRuns(1, slot))[0]?.endedAt ?? null;
      workers.push(
        new TargetWorker(
          {
            slot, queue, clock: o.clock, serial: o.serial, dataDir: o.dataDir, scratchDir: o.scratchDir,
            target: () => o.settings().targets[slot]!,
            verifyContent: () => o.settings().verifyContent,
            entry: (id) => o.index.get(id),
            connect: (t) => connect(t, slot),
            changed: o.changed,
            failed: (s, e) => o.alarm(s, e, e ? `NAS target ${s} (${o.settings().targets[s]!.host}): ${NAS_ERROR_TEXT[e.kind]} — ${e.message}` : ''),
            log: o.log,
          },
          lastSync,
        ),
      );
    }
    const nas = new NasBackup(o, queue, workers);
    await nas.reconfigure();
    return nas;
  }

  status(): TargetStatus[] {
    return this.workers.map((w) => w.current);
  }

  runs(limit = 50, slot?: number): Promise<BackupRun[]> {
    return this.queue.recentRuns(limit, slot);
  }

  /** Settings changed: targets turned on get a watermark (today's start) and start on what is queued. */
  async reconfigure(): Promise<void> {
    const targets = this.o.settings().targets;
    for (const [slot, w] of this.workers.entries()) {
      if (targets[slot]!.enabled && (await this.queue.watermark(slot)) === null) {
        await this.queue.setWatermark(slot, dayStart(localDay(this.o.clock.now())));
      }
      w.kick(true);
    }
  }

  /** The daily archive has run (started at `archiveStartedAt`): every target with automatic backup gets what is new. */
  async afterArchive(archiveStartedAt: number): Promise<BackupRun[]> {
    const out: BackupRun[] = [];
    for (const [slot, t] of this.o.settings().targets.entries()) {
      if (!t.enabled || !t.autoBackup) continue;
      const mark = (await this.queue.watermark(slot)) ?? dayStart(localDay(archiveStartedAt));
      const from = Math.max(0, mark - LOOK_BACK_MS);
      const ids: string[] = [];
      for await (const page of streamRecords(this.o.index, { from, to: archiveStartedAt })) {
        for (const e of page) {
          if (!copyable(e)) continue;
          // Copied already, unless the archive has transcoded it since.
          const mark = await this.queue.copied(slot, e.id);
          if (!mark || mark.remote !== remoteFile(this.o.serial, e)) ids.push(e.id);
        }
      }
      ids.reverse(); // oldest first
      out.push(await this.queue.enqueue(slot, ids, { slot, kind: 'auto', from, to: archiveStartedAt, createdAt: this.o.clock.now(), by: 'system' }));
      await this.queue.setWatermark(slot, archiveStartedAt);
      this.workers[slot]!.kick();
    }
    return out;
  }

  /** Every recording started in [from, to] copied to the target (those already there are checked, not sent again). */
  async backupRange(slot: number, from: number, to: number, by: string): Promise<BackupRun> {
    const ids: string[] = [];
    for await (const page of streamRecords(this.o.index, { from, to })) for (const e of page) if (copyable(e)) ids.push(e.id);
    ids.reverse();
    const run = await this.queue.enqueue(slot, ids, { slot, kind: 'manual', from, to, createdAt: this.o.clock.now(), by });
    this.workers[slot]!.kick(true);
    return run;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.queue.close();
  }
}

function copyable(e: RecordEntry): boolean {
  return !e.deleted && e.file !== null;
}

export const NAS_QUEUE_DIR = 'nas-queue';
export const scratchDirOf = (dataDir: string) => path.join(dataDir, '.nas-tmp');
