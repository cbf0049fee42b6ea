/**
 * One NAS target's backups: while recordings are queued and the target is
 * on, it opens a connection, copies them one at a time (file under a `.part`
 * name, size and content checked, moved into place, then its metadata), and
 * closes the connection when the queue is empty. A drop leaves the item
 * queued and the target waits (back-off) before it tries again; a file
 * already there whole is not sent again, so a run cut short ends with every
 * file there exactly once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, TimerHandle } from '../host/host.ts';
import type { NasTarget } from '../settings/nas-settings.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import { NasError, NAS_ERROR_TEXT, type NasConnection, type NasErrorKind } from './nas-connection.ts';
import type { BackupQueue, BackupRun, ItemOutcome, QueueItem } from './backup-queue.ts';
import { metadataOf, PART_SUFFIX, remoteFile, remoteFolder, remoteMetadataFile } from './remote-layout.ts';

export type TargetState = 'disabled' | 'idle' | 'backing-up' | 'waiting';

export interface TargetStatus {
  slot: number;
  state: TargetState;
  /** 链接状态: connected only while a backup runs. */
  link: 'connected' | 'disconnected';
  queued: number;
  /** 同步时间: when the queue was last emptied. */
  lastSyncAt: number | null;
  lastError: { kind: NasErrorKind; message: string; at: number } | null;
  /** When the next attempt is due after an error. */
  retryAt: number | null;
  /** The run being worked on (进度). */
  run: BackupRun | null;
  currentFile: string | null;
  /** Bytes per second of the last file copied. */
  bytesPerSecond: number | null;
}

export interface WorkerDeps {
  slot: number;
  queue: BackupQueue;
  clock: Clock;
  serial: string;
  dataDir: string;
  scratchDir: string;
  target: () => NasTarget;
  verifyContent: () => boolean;
  entry: (id: string) => Promise<RecordEntry | null>;
  connect: (target: NasTarget) => Promise<NasConnection>;
  changed: (status: TargetStatus) => void;
  failed: (slot: number, error: NasError | null) => void;
  log: { warn(o: object, m: string): void; info(o: object, m: string): void };
}

const BACKOFF_MS = [5_000, 15_000, 60_000, 300_000];
const BATCH = 16;

export class TargetWorker {
  private pumping: Promise<void> | null = null;
  private retry: TimerHandle | null = null;
  private failures = 0;
  private stopping = false;
  private status: TargetStatus;

  constructor(private readonly d: WorkerDeps, lastSyncAt: number | null) {
    this.status = {
      slot: d.slot, state: d.target().enabled ? 'idle' : 'disabled', link: 'disconnected', queued: d.queue.queued(d.slot),
      lastSyncAt, lastError: null, retryAt: null, run: d.queue.activeRuns(d.slot)[0] ?? null, currentFile: null, bytesPerSecond: null,
    };
  }

  get current(): TargetStatus {
    return { ...this.status, queued: this.d.queue.queued(this.d.slot) };
  }

  /** Starts copying when there is something to copy and the target is on (a retry waiting is brought forward when `now`). */
  kick(now = false): void {
    const enabled = this.d.target().enabled;
    if (!enabled) {
      this.update({ state: 'disabled', retryAt: null });
      this.retry?.cancel();
      this.retry = null;
      return;
    }
    if (this.status.state === 'disabled') this.update({ state: 'idle' });
    if (this.retry && !now) return;
    this.retry?.cancel();
    this.retry = null;
    if (this.pumping || this.stopping || this.d.queue.queued(this.d.slot) === 0) {
      this.update({});
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null;
      if (!this.retry && !this.stopping && this.status.lastError === null) this.kick();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.retry?.cancel();
    await this.pumping;
  }

  private update(p: Partial<TargetStatus>): void {
    this.status = { ...this.status, ...p };
    this.d.changed(this.current);
  }

  private async pump(): Promise<void> {
    const target = this.d.target();
    let conn: NasConnection | null = null;
    this.update({ state: 'backing-up', lastError: null, retryAt: null, run: this.d.queue.activeRuns(this.d.slot)[0] ?? null });
    try {
      conn = await this.d.connect(target);
      this.update({ link: 'connected' });
      for (;;) {
        if (this.stopping || !this.d.target().enabled) return;
        const items = await this.d.queue.next(this.d.slot, BATCH);
        if (!items.length) break;
        for (const item of items) {
          if (this.stopping || !this.d.target().enabled) return;
          const outcome = await this.copyOne(conn, item);
          const run = await this.d.queue.complete(item, outcome, this.d.clock.now());
          this.update({ run: run && run.state === 'running' ? run : (this.d.queue.activeRuns(this.d.slot)[0] ?? run), currentFile: null });
        }
      }
      this.failures = 0;
      this.d.failed(this.d.slot, null);
      this.update({ lastSyncAt: this.d.clock.now(), lastError: null });
    } catch (e) {
      const err = e instanceof NasError ? e : new NasError('protocol', (e as Error).message);
      const wait = BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length - 1)]!;
      this.failures++;
      const at = this.d.clock.now();
      this.d.log.warn({ slot: this.d.slot, kind: err.kind, err: err.message, retryInMs: wait }, 'NAS backup interrupted; the queue is kept');
      this.d.failed(this.d.slot, err);
      this.retry = this.d.clock.setTimeout(() => {
        this.retry = null;
        this.kick();
      }, wait);
      this.update({ lastError: { kind: err.kind, message: `${NAS_ERROR_TEXT[err.kind]}: ${err.message}`, at }, retryAt: at + wait, state: 'waiting' });
    } finally {
      await conn?.close().catch(() => undefined);
      this.update({ link: 'disconnected', currentFile: null, ...(this.status.state === 'backing-up' ? { state: this.d.target().enabled ? 'idle' : 'disabled' } : {}) });
    }
  }

  /** Copies one recording; a NasError (the target) propagates, a local problem is the item's outcome. */
  private async copyOne(conn: NasConnection, item: QueueItem): Promise<ItemOutcome> {
    let entry = await this.d.entry(item.id);
    for (let attempt = 0; ; attempt++) {
      if (!entry || entry.deleted || !entry.file) return { kind: 'skipped' };
      const local = path.join(this.d.dataDir, entry.file);
      try {
        return await this.copyFile(conn, entry, local);
      } catch (e) {
        if (e instanceof NasError) throw e;
        // Only the recording's own file failing to be read is the item's fault; anything else is the transfer's.
        const code = (e as NodeJS.ErrnoException).code;
        if (!(code && ['ENOENT', 'EACCES', 'EISDIR', 'EIO'].includes(code))) throw new NasError('protocol', (e as Error).message);
        // The daily archive may have moved the file meanwhile: read the entry again once.
        if (attempt > 0) {
          this.d.log.warn({ id: item.id, err: (e as Error).message }, 'recording not copied to the NAS: its file cannot be read');
          return { kind: 'failed' };
        }
        entry = await this.d.entry(item.id);
      }
    }
  }

  private async copyFile(conn: NasConnection, e: RecordEntry, local: string): Promise<ItemOutcome> {
    const { serial } = this.d;
    const sizeBytes = (await fs.promises.stat(local)).size;
    const sha = await fileSha256(local);
    const remote = remoteFile(serial, e);
    this.update({ currentFile: remote });
    await conn.ensureDir(remoteFolder(serial, e));
    const started = this.d.clock.now();
    if (!(await this.isThere(conn, remote, sizeBytes, sha))) {
      await this.put(conn, local, remote, sizeBytes, sha);
      const ms = Math.max(1, this.d.clock.now() - started);
      this.update({ bytesPerSecond: Math.round((sizeBytes * 1000) / ms) });
    }
    const meta = metadataOf(serial, e, sha);
    const metaRemote = remoteMetadataFile(serial, e);
    const metaSha = createHash('sha256').update(meta).digest('hex');
    const metaBytes = Buffer.byteLength(meta);
    if (!(await this.isThere(conn, metaRemote, metaBytes, metaSha))) {
      const tmp = path.join(this.d.scratchDir, `meta-${this.d.slot}.json`);
      await fs.promises.writeFile(tmp, meta);
      try {
        await this.put(conn, tmp, metaRemote, metaBytes, metaSha);
      } finally {
        await fs.promises.rm(tmp, { force: true });
      }
    }
    // A recording copied before the archive transcoded it: its earlier copy goes.
    const before = await this.d.queue.copied(this.d.slot, e.id);
    if (before && before.remote !== remote) await conn.remove(before.remote);
    return { kind: 'done', mark: { at: this.d.clock.now(), bytes: sizeBytes, remote } };
  }

  private async isThere(conn: NasConnection, remote: string, sizeBytes: number, sha: string): Promise<boolean> {
    if ((await conn.size(remote)) !== sizeBytes) return false;
    return !this.d.verifyContent() || (await conn.sha256(remote)) === sha;
  }

  /** Upload under `.part`, check size (and content), move into place. */
  private async put(conn: NasConnection, local: string, remote: string, sizeBytes: number, sha: string): Promise<void> {
    const part = remote + PART_SUFFIX;
    await conn.upload(local, part, sizeBytes);
    const size = await conn.size(part);
    if (size !== sizeBytes) throw new NasError('protocol', `${part}: ${size ?? 'no'} bytes on the NAS, ${sizeBytes} sent`);
    if (this.d.verifyContent()) {
      const back = await conn.sha256(part);
      if (back !== sha) throw new NasError('protocol', `${part}: the copy read back differs from the recording`);
    }
    await conn.replace(part, remote);
  }
}

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
