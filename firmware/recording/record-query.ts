/**
 * The search engine of the manual's recording pages (3.9 当日录音, 3.10 历史
 * 录音): conditions on time, line and remote number, port, channel, call type,
 * level and duration; newest first, a page at an offset, and the total count.
 *
 * Plans, chosen per query:
 * - by remote number (exact, or a prefix written `5588%`): the number keys,
 *   grouped by month, give exactly the matching entries, newest month first;
 *   beyond the page they are only counted. With conditions the keys cannot
 *   answer, the entries are read while they are fewer than NUMBER_PLAN_LIMIT,
 *   else the time plan filters instead. A short prefix over a short range
 *   reads the range when LevelDB's size estimates say it is smaller;
 * - by time: entries are read newest first. When every condition is one the
 *   day statistics answer (line number, port, channel, call type, level),
 *   whole days and months are counted from the statistics, days without a
 *   match are skipped and deep pages skip whole days; only the partial days
 *   at the ends of the range are read.
 */
import type { CallType, PortType, RecordLevel } from '../calls/call-types.ts';
import { countInCell, decodeCell, type CellFilter } from './call-stats.ts';
import { decodeRecord, numberSpans, PORT_TYPES, summarizeRecord } from './record-codec.ts';
import type { RecordEntry } from './record-entry.ts';
import {
  DELETED, LIVE, numberRange, numberTimeRange, partsOfKey, partsOfStatsKey, recordKey, statsRange,
  numberMonth, timeKey, timeOfNumberKey, type StatsUnit,
} from './record-keys.ts';
import type { IndexDb, RecordIndex } from './record-index.ts';
import { dayStart, localDay, monthFirstDay, monthOfDay } from './local-day.ts';
import { splitDays } from './stats-query.ts';

export interface RecordQuery {
  /** Start time bounds, inclusive (ms since the epoch). */
  from?: number;
  to?: number;
  lineNumber?: string;
  /** Exact number, or a pattern where `%` stands for any digits (`5588%`: starts with 5588). */
  remoteNumber?: string;
  portType?: PortType;
  channel?: number;
  callType?: CallType;
  level?: RecordLevel;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Today's recordings (not archived yet) or history. */
  store?: 'today' | 'history';
  /** Search the recordings marked deleted instead of the others. */
  deleted?: boolean;
  limit: number;
  offset: number;
}

export interface QueryResult {
  total: number;
  items: RecordEntry[];
  /** Which plan answered (for diagnostics and benchmarks). */
  plan: 'number' | 'time-stats' | 'time-scan';
}

export const NUMBER_PLAN_LIMIT = 20_000;
/** Number keys under a prefix worth comparing with a time range (about 40,000 keys). */
const TIME_PLAN_MIN_KEY_BYTES = 1 << 20;
const TIME_MAX = 2 ** 48 - 2;
const BATCH = 512;
/** Statistics cells read per step (a month of one day per channel is 64 cells). */
const STATS_BATCH = 1024;

type NumberPattern = { kind: 'exact' | 'prefix'; text: string } | { kind: 'like'; re: RegExp };

export function parseNumberPattern(p: string): NumberPattern {
  if (!p.includes('%')) return { kind: 'exact', text: p };
  const head = p.replace(/%+$/, '');
  if (!head.includes('%')) return { kind: 'prefix', text: head };
  const re = new RegExp(`^${p.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return { kind: 'like', re };
}

interface Plan {
  q: RecordQuery;
  from: number;
  to: number;
  prefix: number;
  pattern: NumberPattern | null;
  /** Conditions the statistics answer; null when some condition needs the entries. */
  cellFilter: CellFilter | null;
  valueTest: ((key: Uint8Array, value: Uint8Array) => boolean) | null;
  portIdx: number | null;
}

export async function queryRecords(index: RecordIndex, q: RecordQuery): Promise<QueryResult> {
  const plan = makePlan(q);
  if (plan.from > plan.to) return { total: 0, items: [], plan: 'time-scan' };
  if (!q.deleted && plan.pattern && plan.pattern.kind !== 'like' && !(await timeRangeIsSmaller(index.db, plan, plan.pattern))) {
    const r = await byNumber(index.db, plan, plan.pattern);
    if (r) return r;
  }
  return byTime(index.db, plan);
}

/**
 * A short prefix (`138%`) has number keys all through the years, which the
 * number plan reads whatever the time range; when the range's entries take
 * clearly less room than those keys, reading the range is cheaper. Sizes are
 * LevelDB's estimates from its table files (recent writes still in memory
 * count as nothing), so small or fresh indexes keep the number plan.
 */
async function timeRangeIsSmaller(db: IndexDb, plan: Plan, pattern: { kind: 'exact' | 'prefix'; text: string }): Promise<boolean> {
  // An exact number's keys are read from the range's first time on.
  if (pattern.kind === 'exact') return false;
  const first = await edgeTime(db, plan, false);
  if (first === null) return false;
  const last = (await edgeTime(db, plan, true))!;
  let keyBytes = 0;
  for (let m = numberMonth(first); m <= numberMonth(last); m++) {
    const numbers = numberRange(pattern.text, false, m);
    keyBytes += await db.approximateSize(numbers.gte, numbers.lt);
  }
  if (keyBytes < TIME_PLAN_MIN_KEY_BYTES) return false;
  const entryBytes = await db.approximateSize(timeKey(first, plan.prefix), timeKey(last + 1, plan.prefix));
  // An entry takes about 3.5 times the room of a number key on disk (72 against 21 bytes) and
  // costs about twice as much to read and test (10 million records: 2.8 against 1.3 µs).
  return entryBytes < 1.5 * keyBytes;
}

function makePlan(q: RecordQuery): Plan {
  const pattern = q.remoteNumber ? parseNumberPattern(q.remoteNumber) : null;
  const needsEntries = pattern !== null || q.minDurationMs !== undefined || q.maxDurationMs !== undefined || q.store !== undefined || !!q.deleted;
  const cellFilter: CellFilter | null = needsEntries ? null : { lineNumber: q.lineNumber, callType: q.callType, level: q.level };
  const summaryTest = q.callType !== undefined || q.level !== undefined || q.minDurationMs !== undefined || q.maxDurationMs !== undefined || q.store !== undefined;
  const fullTest = q.lineNumber !== undefined || pattern !== null;
  let valueTest: Plan['valueTest'] = null;
  if (summaryTest || fullTest) {
    // Numbers are compared as the UTF-8 bytes the value holds, without decoding the entry.
    const line = q.lineNumber !== undefined ? Buffer.from(q.lineNumber, 'utf8') : null;
    const number = pattern && pattern.kind !== 'like' ? Buffer.from(pattern.text, 'utf8') : null;
    valueTest = (_key, value) => {
      if (summaryTest) {
        const s = summarizeRecord(value);
        if (q.callType !== undefined && s.callType !== q.callType) return false;
        if (q.level !== undefined && s.level !== q.level) return false;
        if (q.minDurationMs !== undefined && s.durationMs < q.minDurationMs) return false;
        if (q.maxDurationMs !== undefined && s.durationMs > q.maxDurationMs) return false;
        if (q.store !== undefined && s.archived !== (q.store === 'history')) return false;
      }
      if (!fullTest) return true;
      const [l0, l1, r0, r1] = numberSpans(value);
      if (line && !bytesEqual(value, l0, l1, line)) return false;
      if (pattern) {
        if (pattern.kind === 'exact' && !bytesEqual(value, r0, r1, number!)) return false;
        if (pattern.kind === 'prefix' && (r1 - r0 < number!.length || !bytesEqual(value, r0, r0 + number!.length, number!))) return false;
        if (pattern.kind === 'like' && !pattern.re.test(utf8.decode(value.subarray(r0, r1)))) return false;
      }
      return true;
    };
  }
  return {
    q,
    from: Math.max(0, q.from ?? 0),
    to: Math.min(TIME_MAX, q.to ?? TIME_MAX),
    prefix: q.deleted ? DELETED : LIVE,
    pattern,
    cellFilter,
    valueTest,
    portIdx: q.portType === undefined ? null : PORT_TYPES.indexOf(q.portType),
  };
}

const utf8 = new TextDecoder();

/** value[start..end) holds exactly the bytes of b. */
function bytesEqual(value: Uint8Array, start: number, end: number, b: Uint8Array): boolean {
  if (end - start !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (value[start + i] !== b[i]) return false;
  return true;
}

/** Port and channel, read from a key's last bytes. */
function keyMatches(plan: Plan, key: Uint8Array): boolean {
  const n = key.length;
  if (plan.portIdx !== null && key[n - 3] !== plan.portIdx) return false;
  if (plan.q.channel !== undefined && key[n - 2] !== plan.q.channel) return false;
  return true;
}

function decode(key: Uint8Array, value: Uint8Array, deleted: boolean): RecordEntry {
  return decodeRecord(value, { ...partsOfKey(key), deleted });
}

// ------------------------------------------------------------------ number plan

async function byNumber(db: IndexDb, plan: Plan, pattern: { kind: 'exact' | 'prefix'; text: string }): Promise<QueryResult | null> {
  const first = await edgeTime(db, plan, false);
  if (first === null) return { total: 0, items: [], plan: 'number' };
  const last = (await edgeTime(db, plan, true))!;
  const lo = Math.max(plan.from, first);
  const hi = Math.min(plan.to, last);
  const { limit, offset } = plan.q;
  // The number matched by its keys; what is left to test is in the entries.
  const residual = plan.valueTest !== null && (plan.q.callType !== undefined || plan.q.level !== undefined || plan.q.minDurationMs !== undefined ||
    plan.q.maxDurationMs !== undefined || plan.q.store !== undefined || plan.q.lineNumber !== undefined);
  let total = 0;
  const page: Buffer[] = [];
  const candidates: Buffer[] = [];
  // Months newest first; within a month keys order by number, so a prefix's are sorted by time here.
  for (let m = numberMonth(hi); m >= numberMonth(lo); m--) {
    const range = pattern.kind === 'exact' ? numberTimeRange(pattern.text, m, lo, hi + 1) : numberRange(pattern.text, false, m);
    const counting = !residual && page.length >= limit && total >= offset;
    const month: Buffer[] = [];
    const it = db.keys({ ...range, reverse: pattern.kind === 'exact' });
    try {
      for (let keys = await it.nextv(BATCH); keys.length; keys = await it.nextv(BATCH)) {
        for (const k of keys) {
          if (pattern.kind === 'prefix') {
            const t = timeOfNumberKey(k);
            if (t < lo || t > hi) continue;
          }
          if (!keyMatches(plan, k)) continue;
          if (counting) total++;
          else month.push(recordKey(partsOfKey(k)));
        }
      }
    } finally {
      await it.close();
    }
    if (counting) continue;
    if (pattern.kind === 'prefix') month.sort((a, b) => Buffer.compare(b, a));
    if (residual) {
      for (const k of month) candidates.push(k);
      if (candidates.length > NUMBER_PLAN_LIMIT) return null;
      continue;
    }
    for (const k of month) {
      if (total >= offset && page.length < limit) page.push(k);
      total++;
    }
  }
  if (!residual) {
    const values = page.length ? await db.getMany(page) : [];
    const items = values.flatMap((v, i) => (v ? [decode(page[i]!, v, false)] : []));
    return { total, items, plan: 'number' };
  }
  const items: RecordEntry[] = [];
  for (let i = 0; i < candidates.length; i += BATCH) {
    const keys = candidates.slice(i, i + BATCH);
    const values = await db.getMany(keys);
    values.forEach((v, j) => {
      if (!v || !plan.valueTest!(keys[j]!, v)) return;
      if (total >= offset && items.length < limit) items.push(decode(keys[j]!, v, false));
      total++;
    });
  }
  return { total, items, plan: 'number' };
}

// ------------------------------------------------------------------ time plan

async function edgeTime(db: IndexDb, plan: Plan, reverse: boolean): Promise<number | null> {
  const keys = await db.keys({ gte: timeKey(plan.from, plan.prefix), lt: timeKey(plan.to + 1, plan.prefix), reverse, limit: 1 }).all();
  return keys.length ? partsOfKey(keys[0]!).startedAt : null;
}

/** Visits matching entries of [lo, hi] (inclusive times); `visit` returns false to stop. */
async function scan(db: IndexDb, plan: Plan, lo: number, hi: number, reverse: boolean, visit: (k: Buffer, v: Buffer) => boolean): Promise<void> {
  const it = db.iterator({ gte: timeKey(lo, plan.prefix), lt: timeKey(hi + 1, plan.prefix), reverse });
  try {
    for (;;) {
      const entries = await it.nextv(BATCH);
      if (!entries.length) return;
      for (const [k, v] of entries) {
        if (!keyMatches(plan, k)) continue;
        if (plan.valueTest && !plan.valueTest(k, v)) continue;
        if (!visit(k, v)) return;
      }
    }
  } finally {
    await it.close();
  }
}

async function countScan(db: IndexDb, plan: Plan, lo: number, hi: number): Promise<number> {
  let n = 0;
  if (!plan.valueTest && plan.portIdx === null && plan.q.channel === undefined) {
    const it = db.keys({ gte: timeKey(lo, plan.prefix), lt: timeKey(hi + 1, plan.prefix) });
    try {
      for (let keys = await it.nextv(4096); keys.length; keys = await it.nextv(4096)) n += keys.length;
    } finally {
      await it.close();
    }
    return n;
  }
  await scan(db, plan, lo, hi, false, () => {
    n++;
    return true;
  });
  return n;
}

/** Matches counted from the statistics of periods from..to (whole days or months). */
async function countCells(db: IndexDb, plan: Plan, unit: StatsUnit, from: number, to: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (from > to) return out;
  const it = db.iterator(statsRange(unit, from, to));
  try {
    for (let cells = await it.nextv(STATS_BATCH); cells.length; cells = await it.nextv(STATS_BATCH)) {
      for (const [k, v] of cells) {
        // Port and channel are the key's last two bytes.
        if (plan.portIdx !== null && k[5] !== plan.portIdx) continue;
        if (plan.q.channel !== undefined && k[6] !== plan.q.channel) continue;
        const n = countInCell(decodeCell(v), plan.cellFilter!);
        if (!n) continue;
        const period = partsOfStatsKey(k).period;
        out.set(period, (out.get(period) ?? 0) + n);
      }
    }
  } finally {
    await it.close();
  }
  return out;
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Total from statistics: whole months, whole days, and the partial days read. */
async function statsTotal(db: IndexDb, plan: Plan, lo: number, hi: number): Promise<number> {
  let d0 = localDay(lo);
  let d1 = localDay(hi);
  if (d0 === d1 && (dayStart(d0) < lo || dayStart(d0 + 1) - 1 > hi)) return countScan(db, plan, lo, hi);
  let total = 0;
  if (dayStart(d0) < lo) {
    total += await countScan(db, plan, lo, dayStart(d0 + 1) - 1);
    d0++;
  }
  if (dayStart(d1 + 1) - 1 > hi) {
    total += await countScan(db, plan, dayStart(d1), hi);
    d1--;
  }
  for (const r of splitDays(d0, d1)) total += sum(await countCells(db, plan, r.unit, r.from, r.to));
  return total;
}

async function byTime(db: IndexDb, plan: Plan): Promise<QueryResult> {
  const first = await edgeTime(db, plan, false);
  if (first === null) return { total: 0, items: [], plan: plan.cellFilter ? 'time-stats' : 'time-scan' };
  const last = (await edgeTime(db, plan, true))!;
  // Nothing lies outside [first, last]: widen the bounds to whole days there.
  const lo = Math.max(plan.from, dayStart(localDay(first)));
  const hi = Math.min(plan.to, dayStart(localDay(last) + 1) - 1);
  const { limit, offset } = plan.q;
  const items: RecordEntry[] = [];
  const deleted = !!plan.q.deleted;

  if (!plan.cellFilter) {
    let total = 0;
    await scan(db, plan, lo, hi, true, (k, v) => {
      if (total >= offset && items.length < limit) items.push(decode(k, v, deleted));
      total++;
      return true;
    });
    return { total, items, plan: 'time-scan' };
  }

  // Page: walk days newest first, skipping days without matches and whole days and months before the offset.
  let skip = offset;
  const firstDay = localDay(lo);
  let counts = new Map<number, number>();
  let countedFrom = Infinity;
  let window = 1;
  for (let day = localDay(hi); day >= firstDay && items.length < limit; day--) {
    const s = Math.max(lo, dayStart(day));
    const e = Math.min(hi, dayStart(day + 1) - 1);
    if (s === dayStart(day) && e === dayStart(day + 1) - 1) {
      const month = monthOfDay(day);
      const monthFirst = monthFirstDay(month);
      if (skip > 0 && monthFirstDay(month + 1) - 1 === day && monthFirst >= firstDay && dayStart(monthFirst) >= lo) {
        // A whole month before the offset is skipped from its month statistics.
        const n = (await countCells(db, plan, 'month', month, month)).get(month) ?? 0;
        if (skip >= n) {
          skip -= n;
          day = monthFirst;
          continue;
        }
      }
      if (day < countedFrom) {
        // Day statistics are read in growing windows (1, 4, 16, then 32 days): a first page
        // usually needs only the newest day, a deep page skips many.
        countedFrom = Math.max(firstDay, day - window + 1);
        window = Math.min(window * 4, 32);
        counts = await countCells(db, plan, 'day', countedFrom, day);
      }
      const n = counts.get(day) ?? 0;
      if (n === 0) continue;
      if (skip >= n) {
        skip -= n;
        continue;
      }
    }
    await scan(db, plan, s, e, true, (k, v) => {
      if (skip > 0) skip--;
      else items.push(decode(k, v, deleted));
      return items.length < limit;
    });
  }
  return { total: await statsTotal(db, plan, lo, hi), items, plan: 'time-stats' };
}

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
        out.push(decode(k, v, deleted));
        if (out.length >= count) break;
      }
    }
  } finally {
    await it.close();
  }
  return out;
}
