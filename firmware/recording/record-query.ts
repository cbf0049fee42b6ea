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
 * planner takes the driver whose range LevelDB estimates smallest (ties: the
 * usually most selective condition) and tests only what that range returns:
 * port and channel from the key itself, other conditions from the entry.
 *
 * Totals: when every condition is one the statistics cells answer (line
 * number, port type, port, channel, call type, level), whole days and months
 * are counted from the cells and only partial days at the ends are counted
 * from the driver's keys; a deep page skips whole months and days the same
 * way. Otherwise the driver's range is counted, reading entries only for
 * conditions its keys cannot answer (duration, history, patterns).
 *
 * A remote number prefix (`5588%`) reads the number keys, grouped by month,
 * newest month first, unless LevelDB's size estimates say the time range is
 * smaller.
 */
import type { CallType, PortType, RecordLevel } from '../calls/call-types.ts';
import { countInCell, decodeCell, type CellFilter } from './call-stats.ts';
import { decodeRecord, numberSpans, summarizeRecord } from './record-codec.ts';
import type { RecordEntry } from './record-entry.ts';
import {
  DELETED, LIVE, numberMonth, numberRange, partsOfTail, periodOfStatsKey, primaryOfTail, statsKey, statsRange, tailOfKey, timeKey,
  timeOfKey, type StatsUnit,
} from './record-keys.ts';
import type { IndexDb, RecordIndex } from './record-index.ts';
import { dayStart, localDay, monthFirstDay, monthOfDay } from './local-day.ts';
import { splitDays } from './stats-query.ts';
import {
  candidateDrivers, driverHits, estimateKeys, portTest, summaryCallType, summaryImportant, type Condition, type Driver, type DriverName, type Hit,
} from './query-drivers.ts';

export interface RecordQuery {
  /** Start time bounds, inclusive (ms since the epoch). */
  from?: number;
  to?: number;
  lineNumber?: string;
  /** Exact number, or a pattern where `%` stands for any digits (`5588%`: starts with 5588). */
  remoteNumber?: string;
  portType?: PortType;
  /** Port of its type (E1 trunk, VoIP interface); analog lines are on port 0. */
  port?: number;
  /** Channel within its port: analog line, E1 timeslot, VoIP extension (0..65535). */
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

/** `<driver>-stats`: total from statistics; `<driver>-scan`: total counted from the driver's range; `number`: a number prefix's keys. */
export type QueryPlan = 'number' | `${DriverName}-stats` | `${DriverName}-scan`;

export interface QueryResult {
  total: number;
  items: RecordEntry[];
  /** Which plan answered (for diagnostics and benchmarks). */
  plan: QueryPlan;
}

export const NUMBER_PLAN_LIMIT = 20_000;
/** Number keys under a prefix worth comparing with a time range (about 40,000 keys). */
const TIME_PLAN_MIN_KEY_BYTES = 1 << 20;
const TIME_MAX = 2 ** 48 - 2;
const BATCH = 512;
/** Statistics cells read per step. */
const STATS_BATCH = 1024;
/** Statistics cells read by key rather than by range, at most. */
const EXACT_CELLS = 4096;
const NO_REF = { portType: 'analog', port: 0, channel: 0 } as const;
/** Relative cost of reading a key, and of fetching an entry by its key, against reading entries in order. */
const KEY_COST = 0.3;
const FETCH_COST = 4;
/** Ties (equal estimates, such as an index still in memory) go to the usually most selective driver. */
const PRIORITY: DriverName[] = ['number', 'important', 'channel', 'line', 'today', 'time'];

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
  /** Every condition is one the statistics cells answer. */
  cellAnswerable: boolean;
  ports: ((b: number) => boolean) | null;
  /** The channel references (port byte, channel) a channel or line number condition narrows the search to, once known. */
  refs: Buffer[] | null;
}

/** What is left to test of a driver's hits: the reference from the tail, call type and level from a channel key's summary, the rest from the entry. */
interface Residual {
  ref: ((tail: Buffer) => boolean) | null;
  summary: ((s: number) => boolean) | null;
  value: ((value: Uint8Array) => boolean) | null;
}

export async function queryRecords(index: RecordIndex, q: RecordQuery): Promise<QueryResult> {
  const db = index.db;
  const plan = makePlan(q);
  if (plan.from > plan.to) return { total: 0, items: [], plan: 'time-scan' };
  if (!q.deleted && plan.pattern?.kind === 'prefix' && !(await timeRangeIsSmaller(db, plan, plan.pattern.text))) {
    const r = await byNumberPrefix(db, plan, plan.pattern.text);
    if (r) return r;
  }
  const first = await edgeTime(db, plan, false);
  if (first === null) return { total: 0, items: [], plan: plan.cellAnswerable ? 'time-stats' : 'time-scan' };
  const last = (await edgeTime(db, plan, true))!;
  // Nothing lies outside [first, last]: widen the bounds to whole days there.
  const lo = Math.max(plan.from, dayStart(localDay(first)));
  const hi = Math.min(plan.to, dayStart(localDay(last) + 1) - 1);
  const exact = plan.pattern?.kind === 'exact' ? plan.pattern.text : null;
  const drivers = await candidateDrivers(db, q, exact, lo, hi);
  const scoped = drivers.find((d) => d.name === 'channel' || d.name === 'line');
  if (scoped) plan.refs = scoped.groups[0]!.heads.map((h) => Buffer.from([h[3]!, h[1]!, h[2]!]));
  const driver = await pickDriver(db, plan, drivers, lo, hi);
  const residual = residualOf(plan, driver);
  if (plan.cellAnswerable) return byStats(db, plan, driver, residual, lo, hi);
  if (q.store === 'history' && makePlan({ ...q, store: undefined }).cellAnswerable) return byHistory(db, plan, driver, residual, lo, hi);
  return byScan(db, plan, driver, residual, lo, hi);
}

/**
 * History (历史录音) with conditions the statistics answer: the total is
 * every match from the statistics less today's, counted from the keys of the
 * recordings not archived yet.
 */
async function byHistory(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<QueryResult> {
  const { items } = await readPage(db, plan, d, res, lo, hi, plan.q.offset);
  const all = { ...makePlan({ ...plan.q, store: undefined }), refs: plan.refs };
  const today = makePlan({ ...plan.q, store: 'today' });
  const todayDriver = (await candidateDrivers(db, today.q, null, lo, hi)).find((x) => x.name === 'today')!;
  const allDriver = d.name === 'today' ? (await candidateDrivers(db, all.q, null, lo, hi))[0]! : d;
  const total = (await statsTotal(db, all, allDriver, residualOf(all, allDriver), lo, hi)) - (await countMatches(db, today, todayDriver, residualOf(today, todayDriver), lo, hi));
  return { total, items, plan: `${d.name}-stats` };
}

function makePlan(q: RecordQuery): Plan {
  const pattern = q.remoteNumber ? parseNumberPattern(q.remoteNumber) : null;
  const cellAnswerable = pattern === null && q.minDurationMs === undefined && q.maxDurationMs === undefined && q.store === undefined && !q.deleted;
  return {
    q,
    from: Math.max(0, q.from ?? 0),
    to: Math.min(TIME_MAX, q.to ?? TIME_MAX),
    prefix: q.deleted ? DELETED : LIVE,
    pattern,
    cellAnswerable,
    ports: portTest(q),
    refs: null,
  };
}

async function pickDriver(db: IndexDb, plan: Plan, drivers: Driver[], lo: number, hi: number): Promise<Driver> {
  if (drivers.length === 1) return drivers[0]!;
  let best = drivers[0]!;
  let bestCost = Infinity;
  for (const d of drivers) {
    const keys = await estimateKeys(db, d, lo, hi);
    const cost = keys * (d.primary ? 1 : KEY_COST + (residualOf(plan, d).value ? FETCH_COST : 0));
    if (cost < bestCost || (cost === bestCost && PRIORITY.indexOf(d.name) < PRIORITY.indexOf(best.name))) {
      best = d;
      bestCost = cost;
    }
  }
  return best;
}

function residualOf(plan: Plan, d: Driver): Residual {
  const q = plan.q;
  let ref: Residual['ref'] = null;
  if (!d.satisfies.has('ref') && (plan.ports || q.channel !== undefined)) {
    const ports = plan.ports;
    const channel = q.channel;
    ref = (tail) => (!ports || ports(tail[6]!)) && (channel === undefined || tail.readUInt16BE(7) === channel);
  }
  const level = q.level === 'important' && d.satisfies.has('important') ? undefined : q.level;
  let summary: Residual['summary'] = null;
  let rest = { ...q, level };
  if (d.summaries && (q.callType !== undefined || level !== undefined)) {
    const type = q.callType;
    summary = (b) => (type === undefined || summaryCallType(b) === type) && (level === undefined || summaryImportant(b) === (level === 'important'));
    rest = { ...rest, callType: undefined, level: undefined };
  }
  return { ref, summary, value: valueTest(rest, plan.pattern, d.satisfies) };
}

/** A test of the conditions an entry's value must answer, reading only the bytes needed; null when none. */
function valueTest(q: RecordQuery, pattern: NumberPattern | null, satisfied: ReadonlySet<Condition>): Residual['value'] {
  const callType = q.callType;
  const level = q.level;
  const store = q.store === 'today' && satisfied.has('today') ? undefined : q.store;
  const lineNumber = q.lineNumber;
  const number = pattern && !(pattern.kind === 'exact' && satisfied.has('number')) ? pattern : null;
  const summaryTest = callType !== undefined || level !== undefined || q.minDurationMs !== undefined || q.maxDurationMs !== undefined || store !== undefined;
  const fullTest = lineNumber !== undefined || number !== null;
  if (!summaryTest && !fullTest) return null;
  // Numbers are compared as the UTF-8 bytes the value holds, without decoding the entry.
  const line = lineNumber !== undefined ? Buffer.from(lineNumber, 'utf8') : null;
  const text = number && number.kind !== 'like' ? Buffer.from(number.text, 'utf8') : null;
  return (value) => {
    if (summaryTest) {
      const s = summarizeRecord(value);
      if (callType !== undefined && s.callType !== callType) return false;
      if (level !== undefined && s.level !== level) return false;
      if (q.minDurationMs !== undefined && s.durationMs < q.minDurationMs) return false;
      if (q.maxDurationMs !== undefined && s.durationMs > q.maxDurationMs) return false;
      if (store !== undefined && s.archived !== (store === 'history')) return false;
    }
    if (!fullTest) return true;
    const [l0, l1, r0, r1] = numberSpans(value);
    if (line && !bytesEqual(value, l0, l1, line)) return false;
    if (number) {
      if (number.kind === 'exact' && !bytesEqual(value, r0, r1, text!)) return false;
      if (number.kind === 'prefix' && (r1 - r0 < text!.length || !bytesEqual(value, r0, r0 + text!.length, text!))) return false;
      if (number.kind === 'like' && !number.re.test(utf8.decode(value.subarray(r0, r1)))) return false;
    }
    return true;
  };
}

const utf8 = new TextDecoder();

/** value[start..end) holds exactly the bytes of b. */
function bytesEqual(value: Uint8Array, start: number, end: number, b: Uint8Array): boolean {
  if (end - start !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (value[start + i] !== b[i]) return false;
  return true;
}

function decodeHit(plan: Plan, tail: Buffer, value: Uint8Array): RecordEntry {
  return decodeRecord(value, { ...partsOfTail(tail), deleted: !!plan.q.deleted });
}

// ------------------------------------------------------------------ reading a driver

/**
 * The driver's hits in [lo, hi] that pass every condition, in batches; with
 * `needValues` (or a residual the entries answer) each hit carries its entry.
 */
async function* matches(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number, reverse: boolean, needValues: boolean, firstBatch = 64): AsyncGenerator<Hit[]> {
  const values = needValues || res.value !== null;
  for await (const batch of driverHits(db, d, lo, hi, reverse, values, firstBatch)) {
    let hits = res.ref ? batch.filter((h) => res.ref!(h.tail)) : batch;
    if (res.summary) hits = hits.filter((h) => res.summary!(h.summary!));
    if (values && !d.primary && hits.length) {
      const got = await db.getMany(hits.map((h) => primaryOfTail(h.tail, plan.prefix)));
      hits = hits.flatMap((h, i) => (got[i] ? [{ tail: h.tail, value: got[i] }] : []));
    }
    if (res.value) hits = hits.filter((h) => res.value!(h.value!));
    if (hits.length) yield hits;
  }
}

async function countMatches(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<number> {
  let n = 0;
  for await (const hits of matches(db, plan, d, res, lo, hi, false, false, BATCH)) n += hits.length;
  return n;
}

/** A page: up to `limit` matches newest first in [lo, hi] after skipping `skip`; also how many were skipped. */
async function readPage(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number, skip: number, limit = plan.q.limit): Promise<{ items: RecordEntry[]; skipped: number }> {
  const page: Hit[] = [];
  let skipped = 0;
  if (limit <= 0 || lo > hi) return { items: [], skipped };
  // Values are read with the hits only when they are tested anyway; a page fetches its own.
  for await (const hits of matches(db, plan, d, res, lo, hi, true, d.primary && res.value !== null, Math.min(BATCH, limit + skip + 8))) {
    for (const h of hits) {
      if (skipped < skip) skipped++;
      else page.push(h);
      if (page.length >= limit) break;
    }
    if (page.length >= limit) break;
  }
  const missing = page.filter((h) => !h.value);
  if (missing.length) {
    const got = await db.getMany(missing.map((h) => primaryOfTail(h.tail, plan.prefix)));
    missing.forEach((h, i) => (h.value = got[i]));
  }
  return { items: page.flatMap((h) => (h.value ? [decodeHit(plan, h.tail, h.value)] : [])), skipped };
}

async function edgeTime(db: IndexDb, plan: Plan, reverse: boolean): Promise<number | null> {
  const keys = await db.keys({ gte: timeKey(plan.from, plan.prefix), lt: timeKey(plan.to + 1, plan.prefix), reverse, limit: 1 }).all();
  return keys.length ? timeOfKey(keys[0]!) : null;
}

// ------------------------------------------------------------------ totals counted from the driver

async function byScan(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<QueryResult> {
  const { limit, offset } = plan.q;
  const { items } = await readPage(db, plan, d, res, lo, hi, offset);
  // A short result holds everything: no second pass.
  const total = items.length < limit && (items.length > 0 || offset === 0) ? offset + items.length : await countMatches(db, plan, d, res, lo, hi);
  return { total, items, plan: `${d.name}-scan` };
}

// ------------------------------------------------------------------ totals from statistics

/** Matches counted from the statistics of periods from..to (whole days or months). */
async function countCells(db: IndexDb, plan: Plan, unit: StatsUnit, from: number, to: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (from > to) return out;
  const q = plan.q;
  // A channel or a line number needs the channels' cells; other conditions the box's.
  const box = q.channel === undefined && q.lineNumber === undefined;
  const filter: CellFilter = box
    ? { ports: plan.ports ?? undefined, callType: q.callType, level: q.level }
    : { lineNumber: q.lineNumber, callType: q.callType, level: q.level };
  if (!box && plan.refs && (to - from + 1) * plan.refs.length <= EXACT_CELLS) {
    // Few channels: their cells by key.
    const keys: Buffer[] = [];
    for (let period = from; period <= to; period++) for (const ref of plan.refs) keys.push(Buffer.concat([statsKey(unit, period, NO_REF).subarray(0, 5), ref]));
    const values = await db.getMany(keys);
    values.forEach((v, i) => {
      const n = v ? countInCell(decodeCell(v), filter) : 0;
      if (n) out.set(periodOfStatsKey(keys[i]!), (out.get(periodOfStatsKey(keys[i]!)) ?? 0) + n);
    });
    return out;
  }
  const it = db.iterator(statsRange(unit, from, to, box));
  try {
    for (let cells = await it.nextv(STATS_BATCH); cells.length; cells = await it.nextv(STATS_BATCH)) {
      for (const [k, v] of cells) {
        if (!box) {
          if (plan.ports && !plan.ports(k[5]!)) continue;
          if (q.channel !== undefined && k.readUInt16BE(6) !== q.channel) continue;
        }
        const n = countInCell(decodeCell(v, box), filter);
        if (!n) continue;
        const period = periodOfStatsKey(k);
        out.set(period, (out.get(period) ?? 0) + n);
      }
    }
  } finally {
    await it.close();
  }
  return out;
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** Total from statistics: whole months, whole days, and the partial days counted from the driver. */
async function statsTotal(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<number> {
  let d0 = localDay(lo);
  let d1 = localDay(hi);
  if (d0 === d1 && (dayStart(d0) < lo || dayStart(d0 + 1) - 1 > hi)) return countMatches(db, plan, d, res, lo, hi);
  let total = 0;
  if (dayStart(d0) < lo) {
    total += await countMatches(db, plan, d, res, lo, dayStart(d0 + 1) - 1);
    d0++;
  }
  if (dayStart(d1 + 1) - 1 > hi) {
    total += await countMatches(db, plan, d, res, dayStart(d1), hi);
    d1--;
  }
  for (const r of splitDays(d0, d1)) total += sum(await countCells(db, plan, r.unit, r.from, r.to));
  return total;
}

/**
 * The page, walking days newest first: whole months and days before the
 * offset, and whole days without a match, are skipped from their statistics;
 * a driver of one condition reads from the day where the page starts on, the
 * entries in time order (which hold every condition) only the days with
 * matches.
 */
async function pageByDays(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<RecordEntry[]> {
  const { limit } = plan.q;
  let skip = plan.q.offset;
  const items: RecordEntry[] = [];
  // Reading the entries in order past days without matches costs more than the statistics of those days.
  const dayByDay = d.primary && (res.ref !== null || res.value !== null);
  if (skip === 0 && !dayByDay) return (await readPage(db, plan, d, res, lo, hi, 0)).items;
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
        const m = (await countCells(db, plan, 'month', month, month)).get(month) ?? 0;
        if (skip >= m) {
          skip -= m;
          day = monthFirst;
          continue;
        }
      }
      if (day < countedFrom) {
        // Day statistics are read in growing windows (1, 4, 16, then 32 days): a first page usually needs only the newest day.
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
    const page = await readPage(db, plan, d, res, dayByDay ? s : lo, e, skip, limit - items.length);
    if (!dayByDay) return page.items;
    skip -= page.skipped;
    items.push(...page.items);
  }
  return items;
}

async function byStats(db: IndexDb, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<QueryResult> {
  const items = await pageByDays(db, plan, d, res, lo, hi);
  return { total: await statsTotal(db, plan, d, res, lo, hi), items, plan: `${d.name}-stats` };
}

// ------------------------------------------------------------------ number prefix plan

/**
 * A short prefix (`138%`) has number keys all through the years, which the
 * number plan reads whatever the time range; when the range's entries take
 * clearly less room than those keys, reading the range is cheaper. Sizes are
 * LevelDB's estimates from its table files (recent writes still in memory
 * count as nothing), so small or fresh indexes keep the number plan.
 */
async function timeRangeIsSmaller(db: IndexDb, plan: Plan, prefix: string): Promise<boolean> {
  const first = await edgeTime(db, plan, false);
  if (first === null) return false;
  const last = (await edgeTime(db, plan, true))!;
  let keyBytes = 0;
  for (let m = numberMonth(first); m <= numberMonth(last); m++) {
    const numbers = numberRange(prefix, false, m);
    keyBytes += await db.approximateSize(numbers.gte, numbers.lt);
  }
  if (keyBytes < TIME_PLAN_MIN_KEY_BYTES) return false;
  const entryBytes = await db.approximateSize(timeKey(first, plan.prefix), timeKey(last + 1, plan.prefix));
  // An entry takes about 3.5 times the room of a number key on disk and costs about twice as much to read and test.
  return entryBytes < 1.5 * keyBytes;
}

async function byNumberPrefix(db: IndexDb, plan: Plan, prefix: string): Promise<QueryResult | null> {
  const first = await edgeTime(db, plan, false);
  if (first === null) return { total: 0, items: [], plan: 'number' };
  const last = (await edgeTime(db, plan, true))!;
  const lo = Math.max(plan.from, first);
  const hi = Math.min(plan.to, last);
  const { limit, offset } = plan.q;
  const ref = residualOf(plan, { name: 'number', groups: [], primary: false, summaries: false, satisfies: new Set(), keyBytes: 0 }).ref;
  // The prefix matched by its keys; what is left to test is in the entries.
  const residual = valueTest({ ...plan.q, remoteNumber: undefined }, null, new Set());
  let total = 0;
  const page: Buffer[] = [];
  const candidates: Buffer[] = [];
  // Months newest first; within a month keys order by number, so a prefix's are sorted by time here.
  for (let m = numberMonth(hi); m >= numberMonth(lo); m--) {
    const counting = !residual && page.length >= limit && total >= offset;
    const month: Buffer[] = [];
    const it = db.keys(numberRange(prefix, false, m));
    try {
      for (let keys = await it.nextv(BATCH); keys.length; keys = await it.nextv(BATCH)) {
        for (const k of keys) {
          const t = timeOfKey(k);
          if (t < lo || t > hi) continue;
          const tail = tailOfKey(k);
          if (ref && !ref(tail)) continue;
          if (counting) total++;
          else month.push(tail);
        }
      }
    } finally {
      await it.close();
    }
    if (counting) continue;
    month.sort((a, b) => Buffer.compare(b, a));
    if (residual) {
      for (const t of month) candidates.push(t);
      if (candidates.length > NUMBER_PLAN_LIMIT) return null;
      continue;
    }
    for (const t of month) {
      if (total >= offset && page.length < limit) page.push(t);
      total++;
    }
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
        out.push(decodeRecord(v, { ...partsOfTail(k, 1), deleted }));
        if (out.length >= count) break;
      }
    }
  } finally {
    await it.close();
  }
  return out;
}
