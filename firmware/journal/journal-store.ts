/**
 * The journal's LevelDB: format check, the sequence number that orders
 * entries of the same millisecond, one queue for every write (so counters
 * read and rewritten in a batch never race), and the retention step shared
 * by the operation log and the alarm history. Every append, update and
 * retention step is one atomic batch: a killed process leaves either all of
 * an entry (its keys, facet keys and counters) or none of it.
 */
import { ClassicLevel } from 'classic-level';
import {
  SEQ_KEY, VERSION_KEY, facetStream, posOfKey, posTime, streamEnd, streamKey, type Facet,
} from './journal-keys.ts';
import { CounterDeltas, type JournalBatch, type JournalLevel } from './streams.ts';

const FORMAT_VERSION = '1';

/** The folder holds a LevelDB that is not a journal (or a journal of a later release). */
export class JournalFormatError extends Error {}

export class JournalStore {
  readonly db: JournalLevel;
  private writes: Promise<unknown> = Promise.resolve();
  private seq = 0;

  constructor(readonly location: string) {
    // A few entries a minute: small caches keep the journal's share of a 256 MB box's memory low.
    this.db = new ClassicLevel<Buffer, Buffer>(location, {
      keyEncoding: 'buffer', valueEncoding: 'buffer', cacheSize: 1 << 20, writeBufferSize: 512 << 10, maxOpenFiles: 50,
    });
  }

  async open(): Promise<void> {
    await this.db.open();
    const version = await this.db.get(VERSION_KEY);
    if (version === undefined) {
      const any = await this.db.keys({ limit: 1 }).all();
      if (any.length) throw new JournalFormatError('the folder holds a database that is not a journal');
      await this.db.put(VERSION_KEY, Buffer.from(FORMAT_VERSION));
    } else if (version.toString() !== FORMAT_VERSION) {
      throw new JournalFormatError(`journal format ${version.toString()} is not supported`);
    }
    const seq = await this.db.get(SEQ_KEY);
    this.seq = seq?.length === 4 ? seq.readUInt32BE(0) : 0;
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.db.close();
  }

  /** Runs a write step after the ones queued before it. */
  serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.writes.then(job, job);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** Resolves once the write steps queued so far are done (failed ones included). */
  async written(): Promise<void> {
    await this.writes;
  }

  /** The next sequence number; its successor is saved in the same batch. Call inside `serial`. */
  takeSeq(batch: JournalBatch): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) >>> 0;
    const v = Buffer.alloc(4);
    v.writeUInt32BE(this.seq);
    batch.put(SEQ_KEY, v);
    return seq;
  }

  /** Puts an entry under its stream and each of its facet streams, with their counters. */
  addEntry(batch: JournalBatch, deltas: CounterDeltas, all: Buffer, facetKind: number, p: Buffer, value: Buffer, facets: readonly Facet[], header: Buffer): void {
    const time = posTime(p);
    batch.put(streamKey(all, p), value);
    deltas.add(all, time, 1);
    for (const f of facets) {
      const s = facetStream(facetKind, f);
      batch.put(streamKey(s, p), header);
      deltas.add(s, time, 1);
    }
  }

  removeEntry(batch: JournalBatch, deltas: CounterDeltas, all: Buffer, facetKind: number, p: Buffer, facets: readonly Facet[]): void {
    const time = posTime(p);
    batch.del(streamKey(all, p));
    deltas.add(all, time, -1);
    for (const f of facets) {
      const s = facetStream(facetKind, f);
      batch.del(streamKey(s, p));
      deltas.add(s, time, -1);
    }
  }

  /**
   * One retention step: removes up to `batchSize` of the oldest entries of a
   * stream while more than `excess` remain to go or they are older than
   * `cutoff`. `facetsOf` gives an entry's facets, or null to keep it (an
   * alarm still active). Resume with `after` from the returned report.
   */
  trimStep(all: Buffer, facetKind: number, facetsOf: (value: Buffer) => Facet[] | null, t: TrimStep): Promise<TrimStepResult> {
    return this.serial(async () => {
      const range = t.after ? { gt: streamKey(all, t.after), lt: streamEnd(all) } : { gte: all, lt: streamEnd(all) };
      const rows = await this.db.iterator({ ...range, limit: t.batchSize }).all();
      const batch = this.db.batch();
      const deltas = new CounterDeltas();
      let removed = 0;
      let last: Buffer | null = t.after;
      let done = rows.length < t.batchSize;
      for (const [k, v] of rows) {
        const p = posOfKey(k);
        if (removed >= t.excess && posTime(p) >= t.cutoff) {
          done = true;
          break;
        }
        last = Buffer.from(p);
        const facets = facetsOf(v);
        if (!facets) continue;
        this.removeEntry(batch, deltas, all, facetKind, p, facets);
        removed++;
      }
      await deltas.apply(this.db, batch);
      await batch.write();
      return { removed, after: last, done };
    });
  }
}

export interface TrimStep {
  /** Entries to remove whatever their age (count above the bound). */
  excess: number;
  /** Entries older than this (ms) are removed. */
  cutoff: number;
  batchSize: number;
  after: Buffer | null;
}

export interface TrimStepResult {
  removed: number;
  after: Buffer | null;
  done: boolean;
}
