/**
 * The object-store archive at work: recordings are queued (persisted) when
 * they are finished or archived, uploaded one at a time in the background
 * and verified, retried with back-off when the store fails, and the box's
 * own copy freed by local retention once the store's is verified. Recording
 * never waits for any of it: queuing is a write to the queue's database,
 * uploads read finished files.
 *
 * Alarms: `objectstore-credentials` (wrong keys), `objectstore-bucket` (no
 * such bucket), `objectstore-unreachable`, `objectstore-behind` (the oldest
 * queued recording has waited longer than the setting), each cleared when
 * the cause is gone. The status (queue, last error, throughput) is published
 * as `objectstore.status` events when it changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, TimerHandle } from '../host/host.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { RecordIndex } from '../recording/record-index.ts';
import { streamRecords } from '../recording/record-stream.ts';
import { missingForUse, type ObjectStoreSettings } from './object-store-settings.ts';
import { ObjectStoreClient, describeFailure, failureOf, type StoreFailure } from './s3-client.ts';
import { UploadQueue, type StoreCopy, type UploadJob } from './upload-queue.ts';
import { uploadRecording, VerifyError } from './upload-one.ts';
import { freeVerifiedCopies, type RetentionReport } from './local-retention.ts';

export type ArchiveState = 'off' | 'idle' | 'uploading' | 'retrying' | 'misconfigured';

export interface ArchiveStatus {
  enabled: boolean;
  state: ArchiveState;
  queueLength: number;
  /** When the oldest queued recording was queued. */
  oldestQueuedAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Why the last failure happened, when it was one of the known kinds. */
  lastFailure: StoreFailure | 'verify' | null;
  lastUploadAt: number | null;
  /** Recordings uploaded and verified since the start. */
  uploaded: number;
  bytesUploaded: number;
  /** Bytes per second of the last upload (file and sidecar), 0 before the first. */
  throughputBps: number;
  /** Local files freed by retention since the start. */
  freed: number;
}

export interface UploaderLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ArchiveUploaderOptions {
  dataDir: string;
  index: RecordIndex;
  clock: Clock;
  alarms: AlarmList;
  log: UploaderLogger;
  serial: string;
  settings: () => Readonly<ObjectStoreSettings>;
  publish: (status: ArchiveStatus) => void;
}

export const QUEUE_DIR = 'objectstore';
const BACKOFF_MIN_MS = 2000;
const BACKOFF_MAX_MS = 10 * 60_000;
const CHECK_MS = 10_000;
const RETENTION_MS = 10 * 60_000;
/** Recordings finished up to this long before the last scan are looked at again at start-up. */
const RESCAN_MARGIN_MS = 24 * 3600_000;
const ALARMS: Record<StoreFailure | 'behind', string> = {
  credentials: 'objectstore-credentials', bucket: 'objectstore-bucket', unreachable: 'objectstore-unreachable', refused: 'objectstore-refused', behind: 'objectstore-behind',
};

export class ArchiveUploader {
  readonly queue: UploadQueue;
  private readonly jobs = new Map<string, UploadJob>();
  private client: ObjectStoreClient | null = null;
  private reader: ObjectStoreClient | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private wakeTimer: TimerHandle | null = null;
  private readonly timers: TimerHandle[] = [];
  private retention: Promise<RetentionReport> | null = null;
  private readonly status: ArchiveStatus = {
    enabled: false, state: 'off', queueLength: 0, oldestQueuedAt: null, lastError: null, lastErrorAt: null, lastFailure: null,
    lastUploadAt: null, uploaded: 0, bytesUploaded: 0, throughputBps: 0, freed: 0,
  };

  constructor(private readonly o: ArchiveUploaderOptions) {
    this.queue = new UploadQueue(path.join(o.dataDir, QUEUE_DIR));
  }

  async start(): Promise<void> {
    await this.queue.open();
    for (const j of await this.queue.jobs()) this.jobs.set(j.id, j);
    this.running = true;
    this.timers.push(this.o.clock.setInterval(() => this.checkBehind(), CHECK_MS));
    this.timers.push(this.o.clock.setInterval(() => void this.runRetention().catch((e: unknown) => this.o.log.error({ err: String(e) }, 'local retention failed')), RETENTION_MS));
    await this.applySettings();
    this.loop = this.work();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) t.cancel();
    this.wakeTimer?.cancel();
    this.wake?.();
    await this.loop;
    await this.retention?.catch(() => undefined);
    this.client?.close();
    this.reader?.close();
    await this.queue.close();
  }

  current(): ArchiveStatus {
    return { ...this.status };
  }

  /**
   * A client to read copies with: the archive's, or while it is switched off
   * (copies already made stay readable) one from the settings when they are complete.
   */
  readerClient(): ObjectStoreClient | null {
    if (this.client) return this.client;
    const s = this.o.settings();
    if (!s.bucket || missingForUse({ ...s, enabled: true })) return null;
    this.reader ??= new ObjectStoreClient(s);
    return this.reader;
  }

  /** Takes new settings: a new client, alarms of the old ones cleared, the queue tried again at once. */
  async applySettings(): Promise<void> {
    const s = this.o.settings();
    this.client?.close();
    this.client = null;
    this.reader?.close();
    this.reader = null;
    for (const id of Object.values(ALARMS)) this.o.alarms.clear(id, this.o.clock.now());
    const missing = missingForUse(s);
    if (s.enabled && !missing) {
      this.client = new ObjectStoreClient(s);
      const meta = await this.queue.meta();
      if (meta.since === null) await this.queue.setMeta({ since: this.o.clock.now() });
      await this.catchUp();
    }
    for (const j of this.jobs.values()) j.nextAt = 0;
    this.update({ enabled: s.enabled, state: !s.enabled ? 'off' : missing ? 'misconfigured' : 'idle', lastError: missing ? `the object store needs ${missing}` : this.status.lastError });
    this.poke();
  }

  /** A recording was finished (`finished`) or moved to history (`archived`): queued when the settings say so. */
  async offer(e: RecordEntry, when: 'finished' | 'archived'): Promise<void> {
    const s = this.o.settings();
    if (!s.enabled || !e.file || s.uploadWhen !== when || this.jobs.has(e.id)) return;
    if (await this.queue.copy(e.id)) return;
    const job: UploadJob = { id: e.id, enqueuedAt: this.o.clock.now(), attempts: 0, nextAt: 0, lastError: null };
    this.jobs.set(e.id, job);
    await this.queue.saveJob(job);
    this.refreshQueue();
    this.poke();
  }

  /** Copies known for a recording (the store's; the box's own file is the entry's). */
  copyOf(id: string): Promise<StoreCopy | null> {
    return this.queue.copy(id);
  }

  /** Whether a recording waits in the queue, and why it has not gone up yet. */
  queued(id: string): UploadJob | null {
    return this.jobs.get(id) ?? null;
  }

  /** Recordings finished since the last scan (a queue write lost to a power cut) are queued too. */
  private async catchUp(): Promise<void> {
    const s = this.o.settings();
    const { since, scanned } = await this.queue.meta();
    const from = Math.max(since ?? this.o.clock.now(), (scanned ?? 0) - RESCAN_MARGIN_MS);
    const to = this.o.clock.now();
    for await (const page of streamRecords(this.o.index, { from, to })) {
      for (const e of page) if (e.file && !e.deleted && (s.uploadWhen === 'finished' || e.archived)) await this.offer(e, s.uploadWhen);
    }
    await this.queue.setMeta({ scanned: to });
  }

  /** Local retention now (also every 10 minutes). */
  runRetention(): Promise<RetentionReport> {
    this.retention ??= (async () => {
      const s = this.o.settings();
      if (!s.enabled || s.keepLocalDays === null || !this.client) return { freed: 0, kept: 0 };
      const r = await freeVerifiedCopies({ dataDir: this.o.dataDir, index: this.o.index, queue: this.queue, client: this.client, before: this.o.clock.now() - s.keepLocalDays * 86_400_000, now: () => this.o.clock.now(), log: this.o.log });
      if (r.freed) this.update({ freed: this.status.freed + r.freed });
      return r;
    })().finally(() => {
      this.retention = null;
    });
    return this.retention;
  }

  private poke(): void {
    this.wake?.();
  }

  private nextJob(): UploadJob | null {
    let best: UploadJob | null = null;
    for (const j of this.jobs.values()) if (!best || j.nextAt < best.nextAt || (j.nextAt === best.nextAt && j.enqueuedAt < best.enqueuedAt)) best = j;
    return best;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const job = this.client ? this.nextJob() : null;
      const now = this.o.clock.now();
      if (!job || job.nextAt > now) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (job) this.wakeTimer = this.o.clock.setTimeout(resolve, job.nextAt - now);
        });
        this.wake = null;
        this.wakeTimer?.cancel();
        this.wakeTimer = null;
        continue;
      }
      await this.attempt(job);
    }
  }

  private async attempt(job: UploadJob): Promise<void> {
    const client = this.client!;
    const s = this.o.settings();
    const entry = await this.o.index.get(job.id);
    const file = entry?.file ? path.join(this.o.dataDir, entry.file) : null;
    if (!entry || !file || entry.deleted || !fs.existsSync(file)) {
      this.o.log.warn({ id: job.id }, 'queued recording gone from the box before its upload; dropped from the queue');
      await this.forget(job);
      return;
    }
    this.update({ state: 'uploading' });
    const started = Date.now();
    let bytes = 0;
    try {
      const copy = await uploadRecording(
        {
          client, prefix: s.prefix, serial: this.o.serial, multipartBytes: s.multipartMiB * 1024 * 1024, now: () => this.o.clock.now(),
          save: async (j) => {
            Object.assign(job, j);
            await this.queue.saveJob(job);
          },
          sent: (n) => {
            bytes += n;
          },
        },
        entry, file, job,
      );
      if (this.client !== client) return; // settings changed meanwhile: the job is tried again with the new ones
      await this.queue.completed(copy, entry.startedAt);
      this.jobs.delete(job.id);
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      for (const id of [ALARMS.credentials, ALARMS.bucket, ALARMS.unreachable, ALARMS.refused]) this.o.alarms.clear(id, this.o.clock.now());
      this.update({
        state: 'idle', lastUploadAt: this.o.clock.now(), uploaded: this.status.uploaded + 1, bytesUploaded: this.status.bytesUploaded + bytes,
        throughputBps: bytes ? Math.round(bytes / seconds) : this.status.throughputBps,
      });
      this.refreshQueue();
    } catch (e) {
      if (this.client !== client) return;
      await this.failed(job, e);
    }
  }

  private async forget(job: UploadJob): Promise<void> {
    this.jobs.delete(job.id);
    await this.queue.dropJob(job.id);
    this.refreshQueue();
  }

  private async failed(job: UploadJob, e: unknown): Promise<void> {
    const kind = e instanceof VerifyError ? 'verify' : failureOf(e);
    const message = e instanceof VerifyError ? e.message : describeFailure(e);
    job.attempts++;
    job.nextAt = this.o.clock.now() + Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(job.attempts - 1, 16));
    job.lastError = message;
    await this.queue.saveJob(job);
    const now = this.o.clock.now();
    const texts: Record<StoreFailure, string> = {
      credentials: `object store refuses the access key: ${message}`,
      bucket: `object store bucket "${this.o.settings().bucket}" does not exist`,
      unreachable: `object store not reachable: ${message}`,
      refused: `object store refused an upload: ${message}`,
    };
    if (kind !== 'verify') this.o.alarms.raise(ALARMS[kind], kind === 'unreachable' ? 'minor' : 'major', 'device', texts[kind], now);
    this.o.log.warn({ id: job.id, attempts: job.attempts, err: message }, 'upload to the object store failed; retried later');
    this.update({ state: 'retrying', lastError: message, lastErrorAt: now, lastFailure: kind });
  }

  private refreshQueue(): void {
    let oldest: number | null = null;
    for (const j of this.jobs.values()) if (oldest === null || j.enqueuedAt < oldest) oldest = j.enqueuedAt;
    this.update({ queueLength: this.jobs.size, oldestQueuedAt: oldest });
    this.checkBehind();
  }

  private checkBehind(): void {
    const s = this.o.settings();
    const oldest = this.status.oldestQueuedAt;
    const now = this.o.clock.now();
    if (s.enabled && oldest !== null && now - oldest > s.behindMinutes * 60_000) {
      this.o.alarms.raise(ALARMS.behind, 'major', 'device', `object store archive behind: ${this.jobs.size} recordings waiting, the oldest since ${new Date(oldest).toISOString()}`, now);
    } else this.o.alarms.clear(ALARMS.behind, now);
  }

  private update(p: Partial<ArchiveStatus>): void {
    const before = JSON.stringify(this.status);
    Object.assign(this.status, p);
    if (JSON.stringify(this.status) !== before) this.o.publish(this.current());
  }
}
