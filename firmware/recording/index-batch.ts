/**
 * What the index and its conversion share: the LevelDB handle type, the
 * format version, atomic write batches, statistics cells being changed and
 * the LevelDB resources of the index.
 */
import type { IndexDb } from './index-reader.ts';
import { encodeCell, type StatsCell } from './call-stats.ts';
import { encodeNumberMonths, type NumberMonths } from './number-months.ts';

export type { IndexDb };
export const FORMAT_VERSION = '6';

/**
 * The value of a key whose presence is all that counts: one byte, never
 * empty. classic-level (3.0.0) copies each value it writes into an
 * allocation it frees only when the value is not empty, so every empty value
 * written would leak a small allocation (about 32 bytes) for as long as the
 * process runs: a few recordings' worth a second over a year, or 30 MiB per
 * million entries of an index conversion.
 */
export const PRESENT = Buffer.from([0]);

/** Writes gathered for one atomic batch (applied in one call). */
export class Batch {
  readonly ops: ({ type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer })[] = [];
  /** Change-feed numbers given in this batch, by entry tail (hex): a second change of an entry replaces the first. */
  readonly feed = new Map<string, number>();
  /** Puts a key; an empty value is written as PRESENT. */
  put(key: Buffer, value: Buffer): this {
    this.ops.push({ type: 'put', key, value: value.length ? value : PRESENT });
    return this;
  }
  del(key: Buffer): this {
    this.ops.push({ type: 'del', key });
    return this;
  }
  write(db: IndexDb): Promise<void> {
    return this.ops.length ? db.batch(this.ops) : Promise.resolve();
  }
}

/**
 * Statistics cells being changed, by key; `dirty` ones are written with the
 * batch. `box`: a cell of the whole box (rows by port) rather than of a
 * channel (rows by line number); `numbers`: a box cell of counts by number
 * prefix; `months`: instead of a cell, a remote number's months
 * (number-months.ts).
 */
export type Cells = Map<string, { key: Buffer; cell: StatsCell; box: boolean; numbers?: boolean; months?: NumberMonths; dirty: boolean }>;

/**
 * Where a conversion that stores its progress under `key` (phase byte, then
 * the last key converted) resumes: the phase's index in `phases`, and the key
 * to read after (null: the phase's start).
 */
export async function conversionProgress(db: IndexDb, key: Buffer, phases: readonly number[]): Promise<{ phase: number; after: Buffer | null }> {
  const progress = await db.get(key);
  return progress ? { phase: phases.indexOf(progress[0]!), after: Buffer.from(progress.subarray(1)) } : { phase: 0, after: null };
}

/** Puts the changed cells (and numbers' months) in the batch; returns the statistics cells among them. */
export function writeCells(batch: Batch, cells: Cells): { key: Buffer; cell: StatsCell }[] {
  const written: { key: Buffer; cell: StatsCell }[] = [];
  for (const c of cells.values()) {
    if (!c.dirty) continue;
    c.dirty = false;
    if (c.months) {
      if (c.months.size) batch.put(c.key, encodeNumberMonths(c.months));
      else batch.del(c.key);
      continue;
    }
    if (c.cell.length) batch.put(c.key, encodeCell(c.cell));
    else batch.del(c.key);
    written.push(c);
  }
  return written;
}

/** LevelDB resources of the index, sized per board (board-schema `index`). */
export interface IndexOptions {
  /** Block cache, bytes. */
  cacheSize?: number;
  /** Table files kept open. */
  maxOpenFiles?: number;
  /** Memtable size, bytes. */
  writeBufferSize?: number;
}

export const DEFAULT_INDEX_OPTIONS: Required<IndexOptions> = { cacheSize: 8 << 20, maxOpenFiles: 200, writeBufferSize: 4 << 20 };

