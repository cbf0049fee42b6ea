/**
 * The months of a remote number: for every number with live recordings, one
 * key `N <number>` whose value lists the calendar months (UTC, as the number
 * keys group them) holding its number keys, with how many each holds. It is
 * kept in the same atomic batches as the number keys, so a month's count is
 * always the count of `n <month> <number> 00 …` keys.
 *
 * A search for an exact number reads it first: the months without the
 * number are never sought, and a month inside the searched range is counted
 * from it without reading its keys (years of a frequent customer's calls are
 * a handful of reads instead of one per month and one key per call). A
 * prefix shared by few numbers (`1381234%`) reads the months of all of them,
 * one range of `N` keys, and adds them up (readPrefixMonths).
 *
 * Value: per month in ascending order, a varint of the month (the first:
 * months since 1970; the others: the step from the one before) and a varint
 * of its count. A number seen once costs its key and three bytes.
 */
import { pushVarint, readVarint } from './call-stats.ts';
import type { RecordEntry } from './record-entry.ts';
import { numberKeyMonth, numberMonthsKey, numberMonthsRange } from './record-keys.ts';
import type { IndexReader } from './index-reader.ts';

/** Counts of a number's keys by month (months since 1970, UTC), ascending by month. */
export type NumberMonths = Map<number, number>;

export function encodeNumberMonths(months: NumberMonths): Buffer {
  const out: number[] = [];
  let before = 0;
  for (const m of [...months.keys()].sort((a, b) => a - b)) {
    const n = months.get(m)!;
    if (n <= 0) continue;
    pushVarint(out, m - before, "a number's months");
    pushVarint(out, n, "a number's months");
    before = m;
  }
  return Buffer.from(out);
}

export function decodeNumberMonths(value: Uint8Array | undefined): NumberMonths {
  const out: NumberMonths = new Map();
  if (!value) return out;
  const at = { o: 0 };
  const varint = () => readVarint(value, at, "a number's months");
  let month = 0;
  while (at.o < value.length) {
    month += varint();
    out.set(month, varint());
  }
  return out;
}

/** Adds (sign 1) or removes (sign -1) a live entry's number key; a month that reaches zero goes. */
export function applyToNumberMonths(months: NumberMonths, e: Pick<RecordEntry, 'startedAt'>, sign: 1 | -1): NumberMonths {
  const m = numberKeyMonth(e.startedAt);
  const n = (months.get(m) ?? 0) + sign;
  if (n > 0) months.set(m, n);
  else months.delete(m);
  return months;
}

/** The months of a number (empty: no live recording has it). */
export async function readNumberMonths(db: { get(key: Buffer): Promise<Buffer | undefined> }, remoteNumber: string): Promise<NumberMonths> {
  return decodeNumberMonths(await db.get(numberMonthsKey(remoteNumber)));
}

/**
 * The months of every number starting with `prefix`, their counts added up;
 * null when more than `most` numbers start with it (their months would
 * take longer to read than the prefix's keys of a few months).
 */
export async function readPrefixMonths(db: IndexReader, prefix: string, most: number): Promise<NumberMonths | null> {
  const out: NumberMonths = new Map();
  let numbers = 0;
  const it = db.iterator({ ...numberMonthsRange(prefix), limit: most + 1, highWaterMarkBytes: 64 << 10 });
  try {
    for (let rows = await it.nextv(most + 1); rows.length; rows = await it.nextv(most + 1)) {
      numbers += rows.length;
      if (numbers > most) return null;
      for (const [, v] of rows) for (const [m, n] of decodeNumberMonths(v)) out.set(m, (out.get(m) ?? 0) + n);
    }
  } finally {
    await it.close();
  }
  return out;
}
