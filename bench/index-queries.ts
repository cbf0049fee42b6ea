/**
 * The searches the recording index benchmarks time, shared by every store
 * they compare (the LevelDB index, SQLite): the 16 query kinds of the
 * manual's recording pages, each run BENCH_RUNS times with parameters drawn
 * from a seeded generator, so every store answers exactly the same queries.
 * Every run's rows are checked against the query (conditions, newest first,
 * page length) and its total against the counts the record generator kept.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { dayStart, localDay, monthFirstDay, monthOfDay } from '../firmware/recording/local-day.ts';
import type { RecordEntry } from '../firmware/recording/record-entry.ts';
import type { RecordQuery } from '../firmware/recording/record-query.ts';
import { CHANNELS, DAYS, FIRST_DAY, LAST_DAY, RECORDS, Rng, SEED, TYPES, note, type Truth } from './record-generator.ts';

/** Rows of a page. */
export const PAGE = 16;
/** Runs of each query (BENCH_RUNS, default 30). */
export const RUNS = Math.max(3, Math.round(Number(process.env.BENCH_RUNS ?? 30) || 30));
/** Query kinds to run (BENCH_QUERIES, comma-separated; default all). */
export const ONLY = process.env.BENCH_QUERIES ? new Set(process.env.BENCH_QUERIES.split(',').map((s) => s.trim())) : null;

/** The generator's counts the totals are checked against, and the searched customers' numbers. */
export interface GeneratedCounts {
  truth: Truth;
  customers: string[];
}

/** What a store answers: the page's entries and the total. */
export interface SearchResult {
  total: number;
  items: RecordEntry[];
  /** How the store answered (plan or index used), for the report. */
  plan?: string;
}
export type Search = (q: RecordQuery) => Promise<SearchResult> | SearchResult;

export interface QueryCase {
  name: string;
  /** The query of run i (parameters vary with i). */
  make: (i: number, r: Rng) => RecordQuery;
  /** The brute-force total from the generator's counts, when it has one. */
  expect?: (q: RecordQuery) => number;
  /** Only the count (no rows). */
  countOnly?: boolean;
}

export interface QueryTimes {
  name: string;
  plan: string;
  /** ms of each run's first page with the total. */
  first: number[];
  /** ms of each run's deep page (half-way through the results), when there was more than a page. */
  deep: number[];
  totals: number[];
  /** Totals checked against the generator's counts. */
  checked: number;
  /** Per run: a digest of the total and the start times of both pages, to compare stores with. */
  answers: string[];
}

const dayOf = (q: RecordQuery) => localDay(q.from!) - FIRST_DAY;
const wholeDays = (d0: number, d1: number) => ({ from: dayStart(d0), to: dayStart(d1 + 1) - 1 });
const sumDays = (a: number[], q: RecordQuery, stride = 1, at = 0) => {
  let n = 0;
  for (let d = dayOf(q); d <= localDay(q.to!) - FIRST_DAY; d++) n += a[d * stride + at]!;
  return n;
};

export function cases(m: GeneratedCounts): QueryCase[] {
  const t = m.truth;
  const base = { limit: PAGE, offset: 0 };
  // Recent days are searched most; any day of the three years can be.
  const someDay = (r: Rng) => (r.next() < 0.5 ? LAST_DAY - r.int(30) : FIRST_DAY + r.int(DAYS));
  const customerOf = (i: number) => m.customers[(i * 7) % m.customers.length]!;
  const customerIdx = (n: string) => m.customers.indexOf(n);
  return [
    { name: 'all_3y', make: () => ({ ...base }), expect: () => RECORDS },
    { name: 'day', make: (_, r) => { const d = someDay(r); return { ...base, ...wholeDays(d, d) }; }, expect: (q) => sumDays(t.dayTotal, q) },
    { name: 'week', make: (_, r) => { const d = someDay(r); return { ...base, ...wholeDays(Math.max(FIRST_DAY, d - 6), d) }; }, expect: (q) => sumDays(t.dayTotal, q) },
    { name: 'month', make: (_, r) => { const d = someDay(r); return { ...base, ...wholeDays(Math.max(FIRST_DAY, d - 29), d) }; }, expect: (q) => sumDays(t.dayTotal, q) },
    {
      name: 'calendar_month',
      make: (_, r) => { const mo = monthOfDay(FIRST_DAY) + 1 + r.int(34); return { ...base, ...wholeDays(monthFirstDay(mo), monthFirstDay(mo + 1) - 1) }; },
      expect: (q) => sumDays(t.dayTotal, q),
    },
    {
      name: 'channel_day',
      make: (i, r) => { const d = someDay(r); return { ...base, ...wholeDays(d, d), channel: i % CHANNELS }; },
      expect: (q) => sumDays(t.dayChannel, q, CHANNELS, q.channel!),
    },
    { name: 'channel_3y', make: (i) => ({ ...base, channel: (i * 5) % CHANNELS }), expect: (q) => sumDays(t.dayChannel, { ...q, ...wholeDays(FIRST_DAY, LAST_DAY) }, CHANNELS, q.channel!) },
    {
      name: 'calltype_day',
      make: (i, r) => { const d = someDay(r); return { ...base, ...wholeDays(d, d), callType: TYPES[i % 4]! }; },
      expect: (q) => sumDays(t.dayType, q, 4, TYPES.indexOf(q.callType!)),
    },
    { name: 'important_3y', make: () => ({ ...base, level: 'important' }), expect: () => t.dayImportant.reduce((a, b) => a + b, 0) },
    { name: 'number_exact_3y', make: (i) => ({ ...base, remoteNumber: customerOf(i) }), expect: (q) => t.customer[customerIdx(q.remoteNumber!)]! },
    { name: 'prefix_138_day', make: (_, r) => { const d = someDay(r); return { ...base, ...wholeDays(d, d), remoteNumber: '138%' }; }, expect: (q) => sumDays(t.day138, q) },
    {
      name: 'prefix_138_month',
      make: (_, r) => { const d = someDay(r); return { ...base, ...wholeDays(Math.max(FIRST_DAY, d - 29), d), remoteNumber: '138%' }; },
      expect: (q) => sumDays(t.day138, q),
    },
    {
      name: 'prefix7_3y',
      make: (i) => ({ ...base, remoteNumber: `${customerOf(i).slice(0, 7)}%` }),
      expect: (q) => t.customerPrefix7[m.customers.findIndex((n) => n.startsWith(q.remoteNumber!.slice(0, 7)))]!,
    },
    {
      name: 'combined_day',
      make: (i, r) => {
        const d = someDay(r);
        return { ...base, ...wholeDays(d, d), channel: (i * 3) % CHANNELS, callType: i % 2 ? 'outgoing' : 'incoming-answered', minDurationMs: 60_000, maxDurationMs: 600_000 };
      },
    },
    {
      name: 'line_month',
      make: (i, r) => { const d = someDay(r); return { ...base, ...wholeDays(Math.max(FIRST_DAY, d - 29), d), lineNumber: String(8000 + ((i * 11) % CHANNELS)) }; },
      expect: (q) => sumDays(t.dayChannel, q, CHANNELS, Number(q.lineNumber) - 8000),
    },
    { name: 'day_count', make: (_, r) => { const d = someDay(r); return { limit: 0, offset: 0, ...wholeDays(d, d) }; }, expect: (q) => sumDays(t.dayTotal, q), countOnly: true },
  ];
}

/** Every row meets the query and rows come newest first. */
export function checkRows(name: string, q: RecordQuery, r: SearchResult): void {
  let prev = Infinity;
  for (const e of r.items) {
    const bad =
      e.startedAt > prev ||
      (q.from !== undefined && e.startedAt < q.from) ||
      (q.to !== undefined && e.startedAt > q.to) ||
      (q.channel !== undefined && e.channel !== q.channel) ||
      (q.callType !== undefined && e.callType !== q.callType) ||
      (q.level !== undefined && e.level !== q.level) ||
      (q.lineNumber !== undefined && e.lineNumber !== q.lineNumber) ||
      (q.minDurationMs !== undefined && e.durationMs < q.minDurationMs) ||
      (q.maxDurationMs !== undefined && e.durationMs > q.maxDurationMs) ||
      (q.remoteNumber !== undefined &&
        (q.remoteNumber.endsWith('%') ? !e.remoteNumber.startsWith(q.remoteNumber.slice(0, -1)) : e.remoteNumber !== q.remoteNumber));
    if (bad) throw new Error(`${name}: row ${e.id} does not meet ${JSON.stringify(q)}`);
    prev = e.startedAt;
  }
  const want = Math.min(q.limit, Math.max(0, r.total - q.offset));
  if (r.items.length !== want) throw new Error(`${name}: ${r.items.length} rows for total ${r.total} at offset ${q.offset}, expected ${want}`);
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

const digest = (r: SearchResult, d: SearchResult | null) =>
  createHash('sha1')
    .update(`${r.total}:${r.items.map((e) => e.startedAt).join(',')}/${d ? `${d.total}:${d.items.map((e) => e.startedAt).join(',')}` : ''}`)
    .digest('hex')
    .slice(0, 12);

/**
 * How the page cache stands when the timed runs start (BENCH_CACHE): `warm`:
 * each kind's runs are made once untimed first, the same parameters, so the
 * timed runs read what the operating system already holds, as a box does for
 * the searches its users repeat; otherwise the runs read whatever the
 * system holds of the store (`cold`: nothing, the caller dropped the page
 * cache).
 */
export const CACHE = process.env.BENCH_CACHE === 'warm' || process.env.BENCH_CACHE === 'cold' ? process.env.BENCH_CACHE : 'as-found';

/**
 * Runs every query kind (or those of BENCH_QUERIES) RUNS times through search,
 * after one untimed run (or, with a warm cache, the RUNS runs untimed), and a
 * page half-way through the results of each run that has more than a page.
 * Throws on the first wrong answer. `side` starts each progress line.
 */
export async function runQueries(search: Search, m: GeneratedCounts, side = ''): Promise<QueryTimes[]> {
  const out: QueryTimes[] = [];
  for (const c of cases(m)) {
    if (ONLY && !ONLY.has(c.name)) continue;
    const rng = () => new Rng(SEED ^ c.name.length * 7919 ^ c.name.charCodeAt(0));
    if (CACHE === 'warm') await runCase(search, c, rng());
    const t = await runCase(search, c, rng());
    out.push(t);
    const f = (xs: number[]) => (xs.length ? `${pct(xs, 50).toFixed(1)} / ${pct(xs, 95).toFixed(1)} ms` : '-');
    note(`${side}${c.name.padEnd(18)} plan ${t.plan.padEnd(10)} first page ${f(t.first).padEnd(20)} deep page ${f(t.deep).padEnd(20)} total median ${pct(t.totals, 50)}${t.checked ? `, ${t.checked} totals checked` : ''}`);
  }
  return out;
}

/** One kind's RUNS runs (the queries r draws), timed and checked. */
async function runCase(search: Search, c: QueryCase, r: Rng): Promise<QueryTimes> {
  const first: number[] = [];
  const deep: number[] = [];
  const totals: number[] = [];
  const answers: string[] = [];
  const plans = new Set<string>();
  let checked = 0;
  await search(c.make(RUNS, r)); // warm-up, not timed
  for (let i = 0; i < RUNS; i++) {
    const q = c.make(i, r);
    let t0 = performance.now();
    const res = await search(q);
    first.push(performance.now() - t0);
    if (res.plan) plans.add(res.plan);
    totals.push(res.total);
    checkRows(c.name, q, res);
    if (c.expect) {
      const want = c.expect(q);
      if (res.total !== want) throw new Error(`${c.name}: total ${res.total} for ${JSON.stringify(q)}, the generator made ${want}`);
      checked++;
    }
    if (c.countOnly || res.total <= PAGE) {
      answers.push(digest(res, null));
      continue;
    }
    // A page half-way through the results.
    const dq = { ...q, offset: Math.floor(res.total / 2 / PAGE) * PAGE };
    t0 = performance.now();
    const dres = await search(dq);
    deep.push(performance.now() - t0);
    if (dres.total !== res.total) throw new Error(`${c.name}: total ${dres.total} at offset ${dq.offset}, ${res.total} on the first page`);
    checkRows(c.name, dq, dres);
    answers.push(digest(res, dres));
  }
  return { name: c.name, plan: [...plans].join('+'), first, deep, totals, checked, answers };
}
