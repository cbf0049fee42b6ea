/**
 * Conversion of an index of format 5 to format 6, in place, run once at
 * start-up: format 6 adds the months of each remote number (`N <number>`,
 * number-months.ts); every other key stays as it is.
 *
 * The number keys are read in key order (month, then number), in batches of
 * about CONVERSION_BATCH numbers (and rounds of CONVERSION_ROUND keys, the
 * index closed and opened between them, so the memory LevelDB maps for the
 * table files it reads stays bounded). A number's keys in a month are
 * consecutive: their count is set in the number's months, read and written
 * in one atomic batch that also records the last key counted, so a
 * conversion cut short (power loss, kill) resumes after the last batch
 * written; setting a month's count rather than adding to it makes a batch
 * done twice harmless. The version is set in the batch that removes the
 * progress key.
 */
import { decodeNumberMonths, encodeNumberMonths, type NumberMonths } from './number-months.ts';
import { NUMBER, TAIL, VERSION_KEY, monthOfNumberKey, numberMonthsKey, prefixRange } from './record-keys.ts';
import { Batch, conversionProgress, type IndexDb } from './index-batch.ts';
import type { ConversionProgress } from './index-conversion.ts';

export const FORMAT_5 = '5';
const FORMAT_6 = '6';
/** Progress of the conversion: NUMBER, then the last number key counted. */
const PROGRESS_KEY = Buffer.from('u');
const PHASES = [NUMBER];
/** Numbers (of a month) per atomic batch. */
const CONVERSION_BATCH = 1000;
/** Number keys read between reopenings of the index (LevelDB keeps the table files it read mapped while open). */
const CONVERSION_ROUND = 1_000_000;

/** A number's keys in one month: `n <month:2> <number> 00`, and how many. */
interface Run {
  head: Buffer;
  count: number;
  last: Buffer;
}

/** Converts an open index of format 5 to format 6; returns the number keys counted by this call. */
export async function convertFormat5(db: IndexDb, onBatch?: (p: ConversionProgress) => void, round = CONVERSION_ROUND): Promise<number> {
  if ((await db.get(VERSION_KEY))?.toString() !== FORMAT_5) return 0;
  let { after } = await conversionProgress(db, PROGRESS_KEY, PHASES);
  const range = prefixRange(NUMBER);
  let counted = 0;
  let runs: Run[] = [];
  for (let ended = false; !ended; ) {
    let inRound = 0;
    const it = db.keys(after ? { gt: after, lt: range.lt } : range);
    try {
      for (;;) {
        const keys = await it.nextv(CONVERSION_BATCH);
        if (!keys.length) {
          ended = true;
          break;
        }
        for (const k of keys) {
          const head = k.subarray(0, k.length - TAIL);
          const run = runs[runs.length - 1];
          if (run && run.head.equals(head)) {
            run.count++;
            run.last = k;
          } else runs.push({ head, count: 1, last: k });
        }
        counted += keys.length;
        inRound += keys.length;
        // The last run may go on in the next read: the others are complete.
        if (runs.length > CONVERSION_BATCH || (inRound >= round && runs.length > 1)) {
          const pending = runs.pop()!;
          await writeRuns(db, runs);
          after = runs[runs.length - 1]!.last;
          runs = [pending];
          onBatch?.({ converted: counted });
          if (inRound >= round) break;
        }
      }
    } finally {
      await it.close();
    }
    if (!ended) {
      // A new round reads again from the start of the pending run.
      runs = [];
      await db.close();
      await db.open();
    }
  }
  if (runs.length) {
    await writeRuns(db, runs);
    onBatch?.({ converted: counted });
  }
  await db.batch().put(VERSION_KEY, Buffer.from(FORMAT_6)).del(PROGRESS_KEY).write();
  return counted;
}

/** One atomic batch: the runs' counts set in their numbers' months, and the progress. */
async function writeRuns(db: IndexDb, runs: Run[]): Promise<void> {
  const byNumber = new Map<string, { key: Buffer; runs: Run[] }>();
  for (const r of runs) {
    const number = r.head.subarray(3, r.head.length - 1).toString('latin1');
    let n = byNumber.get(number);
    if (!n) byNumber.set(number, (n = { key: numberMonthsKey(number), runs: [] }));
    n.runs.push(r);
  }
  const numbers = [...byNumber.values()];
  const values = await db.getMany(numbers.map((n) => n.key));
  const batch = new Batch();
  numbers.forEach((n, i) => {
    const months: NumberMonths = decodeNumberMonths(values[i]);
    for (const r of n.runs) months.set(monthOfNumberKey(r.head), r.count);
    batch.put(n.key, encodeNumberMonths(months));
  });
  batch.put(PROGRESS_KEY, Buffer.concat([Buffer.from([NUMBER]), runs[runs.length - 1]!.last]));
  await batch.write(db);
}
