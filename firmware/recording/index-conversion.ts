/**
 * Conversion of an index of format 2 or 3 to the current format, run once at
 * start-up (format 4 is converted in place: index-format4.ts).
 *
 * The entries are streamed in bounded batches from the old index into a
 * sibling LevelDB (`<index>.converting`), whose every batch also records how
 * far the conversion got, so a conversion cut short (power loss, kill)
 * resumes where it stopped. When every entry and pending purge is in, the new
 * index gets its version and the directories are swapped:
 *
 *   1. `<index>` → `<index>.previous`   2. `<index>.converting` → `<index>`
 *   3. `<index>.previous` removed
 *
 * At the next open, `finishInterruptedSwap` completes a swap cut short at
 * any of these steps. The old index is never written to, so no record can
 * be lost: until step 2 it is where it was, complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { syncFolder } from './durable-files.ts';
import { decodeFormat3Entry, F3_DELETED, F3_LIVE, F3_PENDING_PURGE, partsOfFormat3Key } from './index-format3.ts';
import { Batch, FORMAT_VERSION, conversionProgress, type Cells, type IndexDb, type IndexOptions } from './index-batch.ts';
import type { RecordEntry } from './record-entry.ts';

/** What the conversion writes into: a new, empty index of the current format. */
export interface ConversionTarget {
  readonly db: IndexDb;
  appendNew(entries: readonly RecordEntry[], more?: (batch: Batch) => void, cells?: Cells): Promise<void>;
}

export type TargetFactory = (location: string, options: IndexOptions) => ConversionTarget;
import { PENDING_PURGE, VERSION_KEY, prefixRange, recordKey } from './record-keys.ts';

/** Progress of a conversion in the new index: phase byte, then the last old key converted. */
const PROGRESS_KEY = Buffer.from('z');
/** Old key spaces converted, in this order. */
const PHASES = [F3_LIVE, F3_DELETED, F3_PENDING_PURGE];
/** Entries per batch: bounds the memory of the conversion whatever the index's size. */
export const CONVERSION_BATCH = 1000;
/** Statistics cells kept between batches (a day of 64 channels needs about 130). */
const CELL_CACHE = 2048;
/** Entries converted between reopenings of both indexes. */
const CONVERSION_ROUND = 100_000;

export const convertingDir = (location: string) => `${location}.converting`;
export const previousDir = (location: string) => `${location}.previous`;

export interface ConversionProgress {
  converted: number;
}

/** Completes a directory swap cut short; a no-op when none was under way. */
export async function finishInterruptedSwap(location: string): Promise<void> {
  const parent = path.dirname(location);
  if (!fs.existsSync(location)) {
    // Between steps 1 and 2: the new index is complete. (Without it, the old one goes back.)
    const from = fs.existsSync(convertingDir(location)) ? convertingDir(location) : previousDir(location);
    if (!fs.existsSync(from)) return;
    fs.renameSync(from, location);
    await syncFolder(parent);
  }
  if (fs.existsSync(previousDir(location))) {
    fs.rmSync(previousDir(location), { recursive: true, force: true });
    await syncFolder(parent);
  }
}

/** Removes a conversion directory an index of the current format no longer needs (its index was rebuilt meanwhile). */
export async function removeStaleConversion(location: string): Promise<void> {
  if (!fs.existsSync(convertingDir(location))) return;
  fs.rmSync(convertingDir(location), { recursive: true, force: true });
  await syncFolder(path.dirname(location));
}

/**
 * Converts the index at `location` when it is of format 2 or 3 (closed);
 * returns the number of entries converted by this call (0: nothing to do).
 */
export async function convertIfNeeded(
  location: string, options: IndexOptions, makeTarget: TargetFactory, onBatch?: (p: ConversionProgress) => void, round = CONVERSION_ROUND,
): Promise<number> {
  let converted = 0;
  // In rounds of CONVERSION_ROUND entries, both indexes closed in between: LevelDB maps the
  // table files it reads into memory and keeps them while open, which over a whole index
  // would count gigabytes against the process.
  for (let more = true; more; ) {
    const source = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', cacheSize: 4 << 20, maxOpenFiles: 100 });
    await source.open();
    try {
      const version = (await source.get(VERSION_KEY))?.toString();
      if (version !== '2' && version !== '3') return converted;
      const target = makeTarget(convertingDir(location), options);
      await target.db.open();
      try {
        const done = await copyEntries(source, target, converted, round, onBatch);
        converted += done.converted;
        more = !done.finished;
      } finally {
        await target.db.close();
      }
    } finally {
      await source.close();
    }
  }
  const parent = path.dirname(location);
  await syncFolder(convertingDir(location));
  fs.renameSync(location, previousDir(location));
  await syncFolder(parent);
  fs.renameSync(convertingDir(location), location);
  await syncFolder(parent);
  fs.rmSync(previousDir(location), { recursive: true, force: true });
  await syncFolder(parent);
  return converted;
}

/** One round of the conversion: about `round` entries, or the rest and the version. */
async function copyEntries(
  source: ClassicLevel<Buffer, Buffer>, target: ConversionTarget, before: number, round: number, onBatch?: (p: ConversionProgress) => void,
): Promise<{ converted: number; finished: boolean }> {
  const db = target.db;
  if ((await db.get(VERSION_KEY))?.toString() === FORMAT_VERSION) return { converted: 0, finished: true };
  let { phase, after } = await conversionProgress(db, PROGRESS_KEY, PHASES);
  let converted = 0;
  // This conversion is the new index's only writer: its statistics cells stay in memory between batches.
  const cells: Cells = new Map();
  for (; phase < PHASES.length; phase++, after = null) {
    const prefix = PHASES[phase]!;
    const range = prefixRange(prefix);
    const it = source.iterator(after ? { gt: after, lt: range.lt } : range);
    try {
      for (let rows = await it.nextv(CONVERSION_BATCH); rows.length; rows = await it.nextv(CONVERSION_BATCH)) {
        const lastKey = rows[rows.length - 1]![0];
        const mark = Buffer.concat([Buffer.from([prefix]), lastKey]);
        if (prefix === F3_PENDING_PURGE) {
          const batch = new Batch();
          for (const [k, v] of rows) {
            const parts = partsOfFormat3Key(k);
            if (parts) batch.put(recordKey(parts, PENDING_PURGE), v);
          }
          batch.put(PROGRESS_KEY, mark);
          await batch.write(db);
        } else {
          const entries = rows.flatMap(([k, v]) => (partsOfFormat3Key(k) ? [decodeFormat3Entry(k, v)] : []));
          await target.appendNew(entries, (batch) => batch.put(PROGRESS_KEY, mark), cells);
          converted += entries.length;
          // Entries come in time order: cells of past days are done. Keep the recent ones, bounded.
          if (cells.size > CELL_CACHE) cells.clear();
        }
        onBatch?.({ converted: before + converted });
        if (converted >= round) return { converted, finished: false };
      }
    } finally {
      await it.close();
    }
  }
  await db.batch().put(VERSION_KEY, Buffer.from(FORMAT_VERSION)).del(PROGRESS_KEY).write();
  return { converted, finished: true };
}
