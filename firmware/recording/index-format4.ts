/**
 * Conversion of an index of format 4 to format 5, in place, run once at
 * start-up (then on to format 6, index-format5.ts). The two formats differ in where an entry's change-feed sequence
 * number lives: format 4 kept it in a key of its own (`F tail → seq`, 17
 * bytes a recording on disk), format 5 at the end of the entry's value
 * (record-codec.ts, version 3); and format 5 counts the box's recordings by
 * number prefix (`P`/`Q` cells, call-stats.ts). Every other key stays as it
 * is.
 *
 * Entries are read in key order, live ones then those marked deleted, in
 * batches of CONVERSION_BATCH (and rounds of CONVERSION_ROUND, the index
 * closed and opened between them, so the memory LevelDB maps for the table
 * files it reads stays bounded); one atomic batch writes each entry with its
 * number, removes its `F` key and records how far the conversion got, so a
 * conversion cut short (power loss, kill) resumes after the last batch
 * written and never converts an entry twice. An entry without an `F` key (an
 * index written before the change feed existed) takes the next number and a
 * feed key, in time order. The number cells of the live entries' days and
 * months are counted in the same batches (the entries come in time order,
 * so the cells of past days are done; those kept between batches are
 * bounded). Then the `F` keys left (those of recordings purged for good,
 * whose tombstones stay in the feed) are removed, and the version is set in
 * the batch that removes the progress key.
 */
import { FEED_OF, feedKey, feedValue, nextSeqOf } from './change-feed.ts';
import { applyToNumberCell, decodeCell } from './call-stats.ts';
import { decodeRecord, feedSeqOf, withFeedSeq } from './record-codec.ts';
import { DELETED, LIVE, VERSION_KEY, partsOfTail, prefixRange, prefixStatsKey } from './record-keys.ts';
import { localDay, monthOfDay } from './local-day.ts';
import { Batch, conversionProgress, writeCells, type Cells, type IndexDb } from './index-batch.ts';
import { FORMAT_5 } from './index-format5.ts';
import type { ConversionProgress } from './index-conversion.ts';

export const FORMAT_4 = '4';
/** Progress of the conversion: phase byte (LIVE or DELETED), then the last entry key converted. */
const PROGRESS_KEY = Buffer.from('u');
const PHASES = [LIVE, DELETED];
/** Entries per atomic batch: bounds the conversion's memory whatever the index's size. */
const CONVERSION_BATCH = 1000;
/** Number cells kept between batches (entries come in time order: a batch needs the cells of a day or two). */
const CELL_CACHE = 64;

/** Entries converted between reopenings of the index (LevelDB keeps the table files it read mapped while open). */
const CONVERSION_ROUND = 100_000;

/** Converts an open index of format 4 to format 5; returns the number of entries converted by this call. */
export async function convertFormat4(db: IndexDb, onBatch?: (p: ConversionProgress) => void, round = CONVERSION_ROUND): Promise<number> {
  if ((await db.get(VERSION_KEY))?.toString() !== FORMAT_4) return 0;
  let nextSeq = await nextSeqOf(db);
  let { phase, after } = await conversionProgress(db, PROGRESS_KEY, PHASES);
  let converted = 0;
  const cells: Cells = new Map();
  for (; phase < PHASES.length; phase++, after = null) {
    const prefix = PHASES[phase]!;
    const range = prefixRange(prefix);
    for (let ended = false; !ended; ) {
      // In rounds: each ends by closing and opening the index, which lets go of the table files mapped while reading.
      let inRound = 0;
      const it = db.iterator(after ? { gt: after, lt: range.lt } : range);
      try {
        for (;;) {
          const rows = await it.nextv(CONVERSION_BATCH);
          if (!rows.length) {
            ended = true;
            break;
          }
          await convertRows(db, prefix, rows, cells, () => nextSeq++);
          after = rows[rows.length - 1]![0];
          converted += rows.length;
          inRound += rows.length;
          onBatch?.({ converted });
          if (inRound >= round) break;
        }
      } finally {
        await it.close();
      }
      if (!ended) {
        await db.close();
        await db.open();
      }
    }
  }
  // The F keys of recordings purged for good.
  for (;;) {
    const keys = await db.keys({ ...prefixRange(FEED_OF), limit: CONVERSION_BATCH }).all();
    if (!keys.length) break;
    const batch = new Batch();
    for (const k of keys) batch.del(k);
    await batch.write(db);
  }
  await db.batch().put(VERSION_KEY, Buffer.from(FORMAT_5)).del(PROGRESS_KEY).write();
  return converted;
}

/** One atomic batch: entries with their feed numbers, their F keys gone, number cells, progress. */
async function convertRows(db: IndexDb, prefix: number, rows: [Buffer, Buffer][], cells: Cells, takeSeq: () => number): Promise<void> {
  const feedOf = rows.map(([k]) => {
    const b = Buffer.from(k);
    b[0] = FEED_OF;
    return b;
  });
  const seqs = await db.getMany(feedOf);
  const batch = new Batch();
  if (prefix === LIVE) await countNumbers(db, rows, cells);
  rows.forEach(([k, v], i) => {
    if (feedSeqOf(v) !== null) return; // written by format 5 code: nothing to do
    const known = seqs[i];
    let seq: number;
    if (known) seq = Number(known.readBigUInt64BE(0));
    else {
      seq = takeSeq();
      batch.put(feedKey(seq), feedValue(k.subarray(1), prefix === LIVE));
    }
    batch.put(k, withFeedSeq(v, seq));
    if (known) batch.del(feedOf[i]!);
  });
  writeCells(batch, cells);
  if (cells.size > CELL_CACHE) cells.clear();
  batch.put(PROGRESS_KEY, Buffer.concat([Buffer.from([prefix]), rows[rows.length - 1]![0]]));
  await batch.write(db);
}

/** Adds live entries of format 4 to the number cells of their days and months (read when not kept). */
async function countNumbers(db: IndexDb, rows: [Buffer, Buffer][], cells: Cells): Promise<void> {
  const entries = rows.filter(([, v]) => feedSeqOf(v) === null).map(([k, v]) => decodeRecord(v, { ...partsOfTail(k, 1), deleted: false })).filter((e) => e.remoteNumber);
  const keyOf = new Map<string, Buffer>();
  for (const e of entries) {
    const day = localDay(e.startedAt);
    for (const key of [prefixStatsKey('day', day), prefixStatsKey('month', monthOfDay(day))]) keyOf.set(key.toString('hex'), key);
  }
  const missing = [...keyOf.entries()].filter(([hex]) => !cells.has(hex));
  const values = missing.length ? await db.getMany(missing.map(([, k]) => k)) : [];
  missing.forEach(([hex, key], i) => cells.set(hex, { key, cell: decodeCell(values[i]), box: true, numbers: true, dirty: false }));
  for (const e of entries) {
    const day = localDay(e.startedAt);
    for (const key of [prefixStatsKey('day', day), prefixStatsKey('month', monthOfDay(day))]) {
      const c = cells.get(key.toString('hex'))!;
      c.cell = applyToNumberCell(c.cell, e, 1);
      c.dirty = true;
    }
  }
}
