/**
 * The archive's persisted state, a small LevelDB on the data disk
 * (`<data>/objectstore/`): the recordings waiting to go up (with the parts of
 * a multipart upload already sent, so an upload cut by a reboot or a kill
 * goes on where it stopped), the verified copies in the store, which of them
 * the box still holds locally (by start time, for local retention), and the
 * time from which recordings are archived. Every step that moves a recording
 * from waiting to copied is one atomic batch.
 */
import { ClassicLevel } from 'classic-level';
import type { UploadedPart } from './s3-client.ts';
import type { RecordFormat } from '../recording/record-entry.ts';

export interface MultipartState {
  uploadId: string;
  partSize: number;
  parts: UploadedPart[];
}

export interface UploadJob {
  id: string;
  enqueuedAt: number;
  attempts: number;
  /** Not tried again before this time (back-off). */
  nextAt: number;
  lastError: string | null;
  /** The object key and the file's SHA-256 and size when its upload began. */
  key?: string;
  sha256?: string;
  size?: number;
  multipart?: MultipartState;
}

/** A copy of a recording in the store, verified after upload. */
export interface StoreCopy {
  id: string;
  bucket: string;
  key: string;
  sidecarKey: string;
  /** The file as uploaded (as stored on the box: sealed files stay sealed). */
  file: string;
  sizeBytes: number;
  /** SHA-256 (hex) of the bytes uploaded. */
  sha256: string;
  codec: RecordFormat | null;
  sealed: boolean;
  /** How the store confirmed it: its own x-amz-checksum-sha256, or size and the metadata SHA-256 after per-part Content-MD5. */
  verifiedBy: 'checksum' | 'metadata';
  verifiedAt: number;
  /** When local retention removed the box's file (null while the box holds it). */
  localFreedAt: number | null;
}

const JOB = 'j!';
const COPY = 'c!';
const HELD = 'h!';
const META_SINCE = 'm!since';
const META_SCANNED = 'm!scanned';

const heldKey = (startedAt: number, id: string) => `${HELD}${String(startedAt).padStart(13, '0')}!${id}`;

export class UploadQueue {
  private readonly db: ClassicLevel<string, string>;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(location: string) {
    this.db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8', cacheSize: 1 << 20, writeBufferSize: 256 << 10, maxOpenFiles: 50 });
  }

  open(): Promise<void> {
    return this.db.open();
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.db.close();
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.writes.then(job, job);
    this.writes = run.catch(() => undefined);
    return run;
  }

  async jobs(): Promise<UploadJob[]> {
    const out: UploadJob[] = [];
    for await (const v of this.db.values({ gt: JOB, lt: `${JOB}\xff` })) out.push(JSON.parse(v) as UploadJob);
    return out;
  }

  async job(id: string): Promise<UploadJob | null> {
    const v = await this.db.get(JOB + id);
    return v === undefined ? null : (JSON.parse(v) as UploadJob);
  }

  saveJob(job: UploadJob): Promise<void> {
    return this.serial(() => this.db.put(JOB + job.id, JSON.stringify(job)));
  }

  dropJob(id: string): Promise<void> {
    return this.serial(() => this.db.del(JOB + id));
  }

  async copy(id: string): Promise<StoreCopy | null> {
    const v = await this.db.get(COPY + id);
    return v === undefined ? null : (JSON.parse(v) as StoreCopy);
  }

  /** The job done: its copy recorded and held locally, in one batch. */
  completed(copy: StoreCopy, startedAt: number): Promise<void> {
    return this.serial(() =>
      this.db.batch([
        { type: 'put', key: COPY + copy.id, value: JSON.stringify(copy) },
        // Never an empty value: classic-level leaks an allocation for each (index-batch.ts PRESENT).
        { type: 'put', key: heldKey(startedAt, copy.id), value: '1' },
        { type: 'del', key: JOB + copy.id },
      ]),
    );
  }

  /** Copies still held on the box whose recording started before `before`, oldest first. */
  async *heldBefore(before: number): AsyncGenerator<{ id: string; startedAt: number }> {
    for await (const k of this.db.keys({ gt: HELD, lt: heldKey(before, '') })) {
      const [, t, id] = k.split('!');
      yield { id: id!, startedAt: Number(t) };
    }
  }

  /** The box's file removed: the copy says so and the recording is no longer held. */
  freed(copy: StoreCopy, startedAt: number, at: number): Promise<void> {
    return this.serial(() =>
      this.db.batch([
        { type: 'put', key: COPY + copy.id, value: JSON.stringify({ ...copy, localFreedAt: at }) },
        { type: 'del', key: heldKey(startedAt, copy.id) },
      ]),
    );
  }

  /** A recording no longer in the index: nothing to hold. */
  unheld(id: string, startedAt: number): Promise<void> {
    return this.serial(() => this.db.del(heldKey(startedAt, id)));
  }

  async meta(): Promise<{ since: number | null; scanned: number | null }> {
    const [since, scanned] = await this.db.getMany([META_SINCE, META_SCANNED]);
    return { since: since === undefined ? null : Number(since), scanned: scanned === undefined ? null : Number(scanned) };
  }

  setMeta(m: { since?: number; scanned?: number }): Promise<void> {
    const ops: Array<{ type: 'put'; key: string; value: string }> = [];
    if (m.since !== undefined) ops.push({ type: 'put', key: META_SINCE, value: String(m.since) });
    if (m.scanned !== undefined) ops.push({ type: 'put', key: META_SCANNED, value: String(m.scanned) });
    return this.serial(() => this.db.batch(ops));
  }
}
