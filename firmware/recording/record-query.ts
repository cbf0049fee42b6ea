/**
 * The search engine of the manual's recording pages (3.9 当日录音, 3.10 历史
 * 录音): conditions on time, line and remote number, port type, port,
 * channel, call type, level, duration, store and deleted; newest first, a
 * page at an offset, and the total count.
 *
 * A search reads one driver (query-drivers.ts): the entries in time order,
 * or the search keys of one of its conditions (channel, port, call type,
 * important, line number, exact remote number, today), each a time-ordered
 * range, so "condition + time range, newest first" is one range read. The
 * planner takes the driver whose range is estimated smallest (from the month
 * statistics the index keeps in memory, or LevelDB's size estimates for keys
 * those do not count; ties: the usually most selective condition) and tests
 * only what that range returns: port and channel from the key itself, other
 * conditions from the entry.
 *
 * Totals: when every condition is one the statistics cells answer (line
 * number, port type, port, channel, call type, level), whole days and months
 * are counted from the cells and only partial days at the ends are counted
 * from the driver's keys; a deep page skips whole months and days the same
 * way. Otherwise the driver's range is counted, reading entries only for
 * conditions its keys cannot answer (duration, history, patterns).
 *
 * A remote number prefix (`5588%`) shared by few numbers, over a range
 * holding whole months, is counted from the months of its numbers
 * (number-months.ts) and reads only the months its page falls in; otherwise
 * it reads the number keys, grouped by month, newest month first, unless
 * LevelDB's size estimates say the time range is smaller.
 *
 * Every read of a search is made at one snapshot of the index
 * (index-reader.ts).
 *
 * Planning and reading a driver: query-plan.ts; totals from statistics:
 * query-stats.ts.
 */
import { decodeRecord, summarizeRecord } from './record-codec.ts';
import type { RecordEntry } from './record-entry.ts';
import { DELETED, LIVE, numberMonth, numberMonthIsExact, numberMonthSpan, numberMonthsRange, numberRange, keyFieldsOfTail, primaryOfTail, tailOfKey, timeKey, timeOfKey } from './record-keys.ts';
import type { RecordIndex } from './record-index.ts';
import { atSnapshot, type IndexReader } from './index-reader.ts';
import { dayStart, localDay, monthFirstDay, monthOfDay } from './local-day.ts';
import { countInCell } from './call-stats.ts';
import type { BoxStatistics } from './box-statistics.ts';
import { candidateDrivers, countRanges, driverSpans, memoryEstimate, refsOfHeads, scanRanges, spanTails, type Driver, type KeyRange, type Span } from './query-drivers.ts';
import {
  BATCH, TIME_MAX, countMatches, decodeHit, edgeTimes, makePlan, pickDriver, readPage, residualOf, valueTest, type Plan, type Residual,
} from './query-plan.ts';
import { byHistory, byStats } from './query-stats.ts';
import { readNumberMonths, readPrefixMonths } from './number-months.ts';

export { parseNumberPattern } from './query-plan.ts';

export type { QueryPlan, QueryResult, RecordQuery } from './record-query-types.ts';
import type { QueryResult, RecordQuery } from './record-query-types.ts';

export const NUMBER_PLAN_LIMIT = 20_000;
/** Batches of matches read on after a page to count a small range in the same pass. */
const COUNT_AHEAD = 2;
/** Number keys under a prefix worth comparing with a time range (about 40,000 keys). */
const TIME_PLAN_MIN_KEY_BYTES = 1 << 20;
/** A range this long takes most of the months it touches: the number plan reads less. */
const LONG_RANGE_MS = 62 * 86_400_000;
/** A prefix is common when one recording in this many has it (commonPrefix). */
const COMMON_PREFIX = 64;
/** A number prefix is counted from its numbers' months when no more numbers than this start with it. */
const PREFIX_NUMBERS_MAX = 2048;
/** ... and when their months take no more room on disk than this (LevelDB's estimate). */
const PREFIX_NUMBERS_MAX_BYTES = 128 << 10;

/** Answers a search; all its reads are made at one snapshot of the index, so its total and its page agree whatever is written meanwhile. */
export async function queryRecords(index: RecordIndex, q: RecordQuery): Promise<QueryResult> {
  const plan = makePlan(q);
  if (plan.from > plan.to) return { total: 0, items: [], plan: 'time-scan' };
  const snapshot = atSnapshot(index.db);
  try {
    return await search(index, snapshot.reader, plan);
  } finally {
    await snapshot.close();
  }
}

async function search(index: RecordIndex, db: IndexReader, plan: Plan): Promise<QueryResult> {
  const q = plan.q;
  // A short prefix common enough in the range: its total from the number cells, its page from the entries in time order.
  if (!q.deleted && plan.pattern?.kind === 'prefix' && !(plan.numberCells && commonPrefix(index.boxStats, plan))) {
    plan.cellAnswerable = false;
    const months = await byPrefixMonths(db, plan, plan.pattern.text);
    if (months) return months;
    const edges = await edgeTimes(db, plan);
    if (!edges) return { total: 0, items: [], plan: 'number' };
    const lo = Math.max(plan.from, edges[0]);
    const hi = Math.min(plan.to, edges[1]);
    if (!(await timeRangeIsSmaller(db, plan, plan.pattern.text, lo, hi))) {
      const r = await byNumberPrefix(db, plan, plan.pattern.text, lo, hi);
      if (r) return r;
    }
  }
  const bounds = await searchBounds(index, plan, db);
  if (!bounds) return { total: 0, items: [], plan: plan.cellAnswerable ? 'time-stats' : 'time-scan' };
  const [lo, hi] = bounds;
  const { driver, residual } = await chooseDriver(index, plan, lo, hi, db);
  if (plan.cellAnswerable) return byStats(db, index.boxStats, plan, driver, residual, lo, hi);
  if (q.store === 'history' && makePlan({ ...q, store: undefined }).cellAnswerable) return byHistory(db, index.channels, index.boxStats, plan, driver, residual, lo, hi);
  return byScan(db, plan, driver, residual, lo, hi);
}

/**
 * The driver a search reads in [lo, hi] and what is left to test of its hits;
 * notes in the plan the channel references a channel or line condition
 * narrows it to. An exact number first reads its months (number-months.ts).
 */
export async function chooseDriver(index: RecordIndex, plan: Plan, lo: number, hi: number, db: IndexReader = index.db): Promise<{ driver: Driver; residual: Residual }> {
  const text = plan.pattern?.kind === 'exact' && !plan.q.deleted ? plan.pattern.text : null;
  const exact = text === null ? null : { text, months: await readNumberMonths(db, text) };
  const drivers = candidateDrivers(index.channels, plan.q, exact, lo, hi);
  if (drivers.length > 1) for (const d of drivers) d.estimate = memoryEstimate(d, index.channels, index.boxStats, lo, hi);
  const scoped = drivers.find((d) => d.name === 'channel' || d.name === 'line');
  if (scoped) plan.refs = refsOfHeads(scoped.groups[0]!.heads);
  const driver = await pickDriver(db, plan, drivers, lo, hi);
  return { driver, residual: residualOf(plan, driver) };
}

/**
 * The time range a search reads, in whole days where it is not cut by its
 * own bounds; null when nothing lies in it. A range of whole local days (what
 * the search pages send) is taken as it is; an open or partial range is
 * narrowed to the months holding live recordings (the channel directory), or
 * for deleted ones to the days of the first and last, so the statistics count
 * whole days there.
 */
export async function searchBounds(index: RecordIndex, plan: Plan, db: IndexReader = index.db): Promise<[number, number] | null> {
  if (plan.from === dayStart(localDay(plan.from)) && plan.to === dayStart(localDay(plan.to) + 1) - 1) return [plan.from, plan.to];
  if (!plan.q.deleted) {
    // Live recordings: the months holding any are known without reading.
    const span = index.channels.span();
    if (!span) return null;
    const lo = Math.max(plan.from, dayStart(monthFirstDay(span[0])));
    const hi = Math.min(plan.to, dayStart(monthFirstDay(span[1] + 1)) - 1);
    return lo <= hi ? [lo, hi] : null;
  }
  const edges = await edgeTimes(db, plan);
  if (!edges) return null;
  // Nothing lies outside the first and last recordings: widen the bounds to whole days there.
  return [Math.max(plan.from, dayStart(localDay(edges[0]))), Math.min(plan.to, dayStart(localDay(edges[1]) + 1) - 1)];
}

// ------------------------------------------------------------------ totals counted from the driver

async function byScan(db: IndexReader, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<QueryResult> {
  const { limit, offset } = plan.q;
  if (d.groups.length > 1 && res.value === null && res.summary === null) return byGroups(db, plan, d, res);
  // A small range is counted while the page is read; a larger one in a second pass. A search key range
  // estimated to hold a read's worth of keys or fewer is read at once (its keys are small; the entries are fetched for the matches).
  const small = !d.primary && plan.driverKeys !== undefined && plan.driverKeys <= BATCH;
  const page = await readPage(db, plan, d, res, lo, hi, offset, limit, COUNT_AHEAD, small ? BATCH : undefined);
  const items = page.items;
  const total = page.total ?? (await countMatches(db, plan, d, res, lo, hi));
  return { total, items, plan: `${d.name}-scan` };
}

/**
 * A driver of several time spans (an exact number: one range per month)
 * whose keys answer every condition: the spans are counted (spanTails), the
 * page's tails kept newest first; then the page's entries are fetched
 * together.
 */
async function byGroups(db: IndexReader, plan: Plan, d: Driver, res: Residual): Promise<QueryResult> {
  // Cut to the search's own bounds: a month inside them is counted from the number's months even where no recording lies.
  const { total, tails } = await spanTails(db, driverSpans(d, plan.from, plan.to, res.ref !== null), res.ref, plan.q.offset, plan.q.limit);
  return { total, items: await entriesOfTails(db, plan, tails), plan: `${d.name}-scan` };
}

/** The entries of a page's tails, fetched together. */
async function entriesOfTails(db: IndexReader, plan: Plan, tails: Buffer[]): Promise<RecordEntry[]> {
  const values = tails.length ? await db.getMany(tails.map((t) => primaryOfTail(t, plan.prefix))) : [];
  const items: RecordEntry[] = [];
  values.forEach((v, i) => v && items.push(decodeHit(plan, tails[i]!, v)));
  return items;
}

// ------------------------------------------------------------------ number prefix plan

/**
 * Whether at least one recording in COMMON_PREFIX of the range's months has
 * a number with the prefix (from the box's month cells): then a page read
 * from the entries in time order finds its matches within a few hundred
 * entries, where the number keys of those months would all be read.
 */
function commonPrefix(boxStats: BoxStatistics, plan: Plan): boolean {
  const m0 = monthOfDay(localDay(plan.from));
  const m1 = monthOfDay(localDay(plan.to));
  const byPrefix = { numberPrefix: (plan.pattern as { text: string }).text };
  let matches = 0;
  let all = 0;
  for (const [, cell] of boxStats.range('month', m0, m1, 'numbers')) matches += countInCell(cell, byPrefix);
  for (const [, cell] of boxStats.range('month', m0, m1)) all += countInCell(cell, {});
  return matches > 0 && matches * COMMON_PREFIX >= all;
}

/**
 * A short prefix (`138%`) has number keys all through the years, which the
 * number plan reads whatever the time range; when the range's entries take
 * clearly less room than those keys, reading the range is cheaper. Sizes are
 * LevelDB's estimates from its table files (recent writes still in memory
 * count as nothing), so small or fresh indexes keep the number plan.
 */
async function timeRangeIsSmaller(db: IndexReader, plan: Plan, prefix: string, first: number, last: number): Promise<boolean> {
  // The number keys of the months a range touches are fewer than its entries unless the range is a small part of those months.
  if (last - first > LONG_RANGE_MS) return false;
  // The estimates are independent LevelDB calls: asked together.
  const sizes: Promise<number>[] = [];
  for (let m = numberMonth(first); m <= numberMonth(last); m++) {
    const numbers = numberRange(prefix, false, m);
    sizes.push(db.approximateSize(numbers.gte, numbers.lt));
  }
  const [entryBytes, ...months] = await Promise.all([db.approximateSize(timeKey(first, plan.prefix), timeKey(last + 1, plan.prefix)), ...sizes]);
  const keyBytes = months.reduce((a, b) => a + b, 0);
  if (keyBytes < TIME_PLAN_MIN_KEY_BYTES) return false;
  // An entry takes about 3.5 times the room of a number key on disk and costs about twice as much to read and test.
  return entryBytes < 1.5 * keyBytes;
}

/** What is left to test of a number prefix's keys: the channel reference from the key, the rest from the entries. */
function prefixResidual(plan: Plan): { ref: Residual['ref']; residual: Residual['value'] } {
  const ref = residualOf(plan, { name: 'number', groups: [], primary: false, summaries: false, satisfies: new Set(), keyBytes: 0 }).ref;
  return { ref, residual: valueTest({ ...plan.q, remoteNumber: undefined }, null, new Set()) };
}

/**
 * A number prefix with no other condition than time, over a range holding a
 * whole calendar month: the months of the numbers starting with it
 * (number-months.ts) give each month's count, so whole months are counted
 * and skipped without reading their keys; the months cut by the range, and
 * those holding the page, are read side by side. Null when the prefix has
 * too many numbers for that to pay.
 */
async function byPrefixMonths(db: IndexReader, plan: Plan, prefix: string): Promise<QueryResult | null> {
  const { ref, residual } = prefixResidual(plan);
  if (ref || residual || !holdsWholeMonth(plan.from, plan.to)) return null;
  const range = numberMonthsRange(prefix);
  if ((await db.approximateSize(range.gte, range.lt)) > PREFIX_NUMBERS_MAX_BYTES) return null;
  const months = await readPrefixMonths(db, prefix, PREFIX_NUMBERS_MAX);
  if (!months) return null;
  const spans: Span[] = [];
  for (const m of [...months.keys()].sort((a, b) => a - b)) {
    const [start, end] = numberMonthSpan(m);
    const a = Math.max(plan.from, start);
    const b = Math.min(plan.to, end);
    if (a > b) continue;
    // The first and last months also hold the keys of times beyond them (numberKeyMonth): read, never counted whole.
    const whole = a === start && b === end && numberMonthIsExact(m);
    spans.push({ range: numberRange(prefix, false, m), from: a, to: b, timeOrdered: false, ...(whole ? { keys: months.get(m)! } : {}) });
  }
  const { total, tails } = await spanTails(db, spans, null, plan.q.offset, plan.q.limit);
  return { total, items: await entriesOfTails(db, plan, tails), plan: 'number-months' };
}

/** [from, to] holds at least one whole month of number keys. */
function holdsWholeMonth(from: number, to: number): boolean {
  const m = numberMonth(from);
  const [start, end] = numberMonthSpan(m);
  return start === from ? end <= to : numberMonthSpan(m + 1)[1] <= to;
}

async function byNumberPrefix(db: IndexReader, plan: Plan, prefix: string, lo: number, hi: number): Promise<QueryResult | null> {
  const { limit, offset } = plan.q;
  // The prefix matched by its keys; what is left to test is in the entries.
  const { ref, residual } = prefixResidual(plan);
  let total = 0;
  const page: Buffer[] = [];
  const candidates: Buffer[] = [];
  const ranges: KeyRange[] = [];
  for (let m = numberMonth(lo); m <= numberMonth(hi); m++) ranges.push(numberRange(prefix, false, m));
  // Months newest first; within a month keys order by number, so a month's matches are sorted by time here.
  let month: Buffer[] = [];
  let tooMany = false;
  // Months older than those holding the page are only counted, several at once.
  let older = 0;
  await scanRanges(db, ranges, true, {
    key: (_, k) => {
      const t = timeOfKey(k);
      if (t < lo || t > hi) return;
      const tail = tailOfKey(k);
      if (ref && !ref(tail)) return;
      month.push(tail);
    },
    end: (i) => {
      const done = month.sort((a, b) => Buffer.compare(b, a));
      month = [];
      if (residual) {
        for (const t of done) candidates.push(t);
        tooMany = candidates.length > NUMBER_PLAN_LIMIT;
        return !tooMany;
      }
      for (const t of done) {
        if (total >= offset && page.length < limit) page.push(t);
        total++;
      }
      if (page.length < limit || total < offset) return true;
      older = i;
      return false;
    },
  });
  if (tooMany) return null;
  if (older > 0) {
    const keep = (k: Buffer) => {
      const t = timeOfKey(k);
      return t >= lo && t <= hi && (!ref || ref(tailOfKey(k)));
    };
    for (const n of await countRanges(db, ranges.slice(0, older), keep)) total += n;
  }
  const items: RecordEntry[] = [];
  if (!residual) {
    const values = page.length ? await db.getMany(page.map((t) => primaryOfTail(t))) : [];
    values.forEach((v, i) => v && items.push(decodeHit(plan, page[i]!, v)));
    return { total, items, plan: 'number' };
  }
  for (let i = 0; i < candidates.length; i += BATCH) {
    const tails = candidates.slice(i, i + BATCH);
    const values = await db.getMany(tails.map((t) => primaryOfTail(t)));
    values.forEach((v, j) => {
      if (!v || !residual(v)) return;
      if (total >= offset && items.length < limit) items.push(decodeHit(plan, tails[j]!, v));
      total++;
    });
  }
  return { total, items, plan: 'number' };
}

// ------------------------------------------------------------------ maintenance

/** The oldest recordings, oldest first; important ones are left out (disk maintenance never deletes them). */
export async function oldestRecords(index: RecordIndex, count: number, deleted = false): Promise<RecordEntry[]> {
  const out: RecordEntry[] = [];
  const prefix = deleted ? DELETED : LIVE;
  const it = index.db.iterator({ gte: timeKey(0, prefix), lt: timeKey(TIME_MAX + 1, prefix) });
  try {
    while (out.length < count) {
      const entries = await it.nextv(BATCH);
      if (!entries.length) break;
      for (const [k, v] of entries) {
        if (summarizeRecord(v).level === 'important') continue;
        out.push(decodeRecord(v, keyFieldsOfTail(k, 1, deleted)));
        if (out.length >= count) break;
      }
    }
  } finally {
    await it.close();
  }
  return out;
}
