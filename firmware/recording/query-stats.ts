/**
 * Plans whose totals come from the statistics cells (call-stats.ts): whole
 * days and months counted from the cells, partial days from the driver; a
 * page skips whole months and days before its offset.
 */
import { countInCell, decodeCell, type CellFilter } from './call-stats.ts';
import type { RecordEntry } from './record-entry.ts';
import { periodOfStatsKey, statsKey, statsRange, type StatsUnit } from './record-keys.ts';
import type { IndexReader } from './index-reader.ts';
import type { ChannelDirectory } from './channel-directory.ts';
import type { BoxStatistics } from './box-statistics.ts';
import { dayStart, localDay, monthFirstDay, monthOfDay } from './local-day.ts';
import { splitDays } from './stats-query.ts';
import { candidateDrivers, type Driver } from './query-drivers.ts';
import { BATCH, countMatches, makePlan, readPage, residualOf, type Plan, type Residual } from './query-plan.ts';
import type { QueryResult } from './record-query-types.ts';

/** Statistics cells read per step. */
const STATS_BATCH = 1024;
/** Statistics cells read by key rather than by range, at most. */
const EXACT_CELLS = 4096;
const NO_REF = { portType: 'analog', port: 0, channel: 0 } as const;

/** Matches counted from the statistics of periods from..to (whole days or months); the box's cells are in memory. */
async function countCells(db: IndexReader, boxCells: BoxStatistics, plan: Plan, unit: StatsUnit, from: number, to: number): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (from > to) return out;
  const q = plan.q;
  // A channel or a line number needs the channels' cells; other conditions the box's.
  const box = q.channel === undefined && q.lineNumber === undefined;
  const filter: CellFilter = box
    ? { ports: plan.ports ?? undefined, callType: q.callType, level: q.level }
    : { lineNumber: q.lineNumber, callType: q.callType, level: q.level };
  if (box || plan.numberCells) {
    // The box's cells, in memory: counts, or the number prefixes'.
    const cells = boxCells.range(unit, from, to, plan.numberCells ? 'numbers' : 'counts');
    const by: CellFilter = plan.numberCells ? { numberPrefix: (plan.pattern as { text: string }).text } : filter;
    for (const [period, cell] of cells) {
      const n = countInCell(cell, by);
      if (n) out.set(period, n);
    }
    return out;
  }
  if (plan.refs && (to - from + 1) * plan.refs.length <= EXACT_CELLS) {
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
  const it = db.iterator(statsRange(unit, from, to));
  try {
    for (let cells = await it.nextv(STATS_BATCH); cells.length; cells = await it.nextv(STATS_BATCH)) {
      for (const [k, v] of cells) {
        if (plan.ports && !plan.ports(k[5]!)) continue;
        if (q.channel !== undefined && k.readUInt16BE(6) !== q.channel) continue;
        const n = countInCell(decodeCell(v), filter);
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
async function statsTotal(db: IndexReader, boxCells: BoxStatistics, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<number> {
  let d0 = localDay(lo);
  let d1 = localDay(hi);
  if (d0 === d1 && (dayStart(d0) < lo || dayStart(d0 + 1) - 1 > hi)) return countMatches(db, plan, d, res, lo, hi);
  // Partial days at the ends from the driver, whole days and months from the cells: independent reads, asked together.
  const parts: Promise<number>[] = [];
  if (dayStart(d0) < lo) {
    parts.push(countMatches(db, plan, d, res, lo, dayStart(d0 + 1) - 1));
    d0++;
  }
  if (dayStart(d1 + 1) - 1 > hi) {
    parts.push(countMatches(db, plan, d, res, dayStart(d1), hi));
    d1--;
  }
  for (const r of splitDays(d0, d1)) parts.push(countCells(db, boxCells, plan, r.unit, r.from, r.to).then(sum));
  return (await Promise.all(parts)).reduce((a, b) => a + b, 0);
}

/**
 * The page, walking days newest first: whole months and days before the
 * offset, and whole days without a match, are skipped from their statistics;
 * a driver of one condition reads from the day where the page starts on, the
 * entries in time order (which hold every condition) only the days with
 * matches.
 */
async function pageByDays(db: IndexReader, boxCells: BoxStatistics, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<RecordEntry[]> {
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
        const m = (await countCells(db, boxCells, plan, 'month', month, month)).get(month) ?? 0;
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
        counts = await countCells(db, boxCells, plan, 'day', countedFrom, day);
      }
      const n = counts.get(day) ?? 0;
      if (n === 0) continue;
      if (skip >= n) {
        skip -= n;
        continue;
      }
    }
    // A whole day read in time order: its first read sized from the day's share of matches, to hold the page at once.
    const whole = s === dayStart(day) && e === dayStart(day + 1) - 1;
    const firstRead = dayByDay && whole ? entriesToRead(boxCells, day, counts.get(day) ?? 0, skip + limit - items.length) : undefined;
    const page = await readPage(db, plan, d, res, dayByDay ? s : lo, e, skip, limit - items.length, 0, firstRead);
    if (!dayByDay) return page.items;
    skip -= page.skipped;
    items.push(...page.items);
  }
  return items;
}

/**
 * Entries of a day to read, newest first, to meet `wanted` of its `matches`
 * (the day's share of matches spread evenly, a quarter more for the spread),
 * from the box's day cell; undefined when the day is not counted there.
 */
function entriesToRead(boxCells: BoxStatistics, day: number, matches: number, wanted: number): number | undefined {
  const cell = boxCells.range('day', day, day)[0]?.[1];
  const entries = cell ? countInCell(cell, {}) : 0;
  if (!entries || !matches) return undefined;
  if (wanted >= matches) return Math.min(BATCH, entries + 1);
  return Math.min(BATCH, Math.ceil(((wanted * entries) / matches) * 1.25) + 8);
}

export async function byStats(db: IndexReader, boxCells: BoxStatistics, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<QueryResult> {
  const [items, total] = await Promise.all([pageByDays(db, boxCells, plan, d, res, lo, hi), statsTotal(db, boxCells, plan, d, res, lo, hi)]);
  return { total, items, plan: `${d.name}-stats` };
}

/**
 * History (历史录音) with conditions the statistics answer: the total is
 * every match from the statistics less today's, counted from the keys of the
 * recordings not archived yet.
 */
export async function byHistory(
  db: IndexReader, channels: ChannelDirectory, boxCells: BoxStatistics, plan: Plan, d: Driver, res: Residual, lo: number, hi: number,
): Promise<QueryResult> {
  const { items } = await readPage(db, plan, d, res, lo, hi, plan.q.offset);
  const all = { ...makePlan({ ...plan.q, store: undefined }), refs: plan.refs };
  const today = makePlan({ ...plan.q, store: 'today' });
  const todayDriver = (candidateDrivers(channels, today.q, null, lo, hi)).find((x) => x.name === 'today')!;
  const allDriver = d.name === 'today' ? (candidateDrivers(channels, all.q, null, lo, hi))[0]! : d;
  const total = (await statsTotal(db, boxCells, all, allDriver, residualOf(all, allDriver), lo, hi)) - (await countMatches(db, today, todayDriver, residualOf(today, todayDriver), lo, hi));
  return { total, items, plan: `${d.name}-stats` };
}

