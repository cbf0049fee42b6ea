/**
 * Benchmark of the recording index (firmware/recording/record-index.ts) and its
 * search engine (record-query.ts) at the size of a 64-line RDT after three
 * years: 10 million recordings.
 *
 *   node --import tsx bench/record-index.bench.ts
 *
 * Builds the index once through `RecordIndex.putMany` (the recorder's write
 * path, statistics included) from a deterministic generator, in
 * `.bench/index-<records>`; a marker file there records the generator's
 * parameters and the figures of the build, so later runs reuse the index.
 * Then times typical searches of the manual's recording pages (first page of
 * 16 rows with the total, and a page deep into the results), each ~30 times
 * with different days, channels and numbers, and checks totals against counts
 * kept while generating.
 *
 * Prints `BENCH <name> <value> <unit>`:
 *   index_insert_rate               records/s of the build (putMany batches of 2,000)
 *   index_bytes_per_record          index folder size / records, after a full compaction
 *   index_bytes_per_record_before_compaction
 *   index_build_rss                 peak RSS of the building process
 *   index_<query>_first_page_p50/_p95, index_<query>_deep_page_p50/_p95  ms
 *
 * Environment:
 *   BENCH_RECORDS  records in the index (default 10,000,000; e.g. 200000 for a quick check)
 *   BENCH_RUNS     runs of each query (default 30)
 *   BENCH_QUERIES  comma-separated query names to run (default: all)
 *   BENCH_REBUILD  1: build the index again even if it exists
 *
 * Days are the box's local days in Asia/Shanghai (China has no daylight saving).
 */
process.env.TZ = 'Asia/Shanghai';

import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallType, StartMode, StopMode } from '../firmware/calls/call-types.ts';
import { dayLabel, dayStart, localDay, monthFirstDay, monthOfDay, parseDayLabel } from '../firmware/recording/local-day.ts';
import { directionOf, recordId, type RecordEntry } from '../firmware/recording/record-entry.ts';
import { analogRef } from '../firmware/ports/channel-ref.ts';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { queryRecords, type QueryResult, type RecordQuery } from '../firmware/recording/record-query.ts';
import { recordingFile } from '../firmware/recording/recording-paths.ts';

// ------------------------------------------------------------------ parameters

const RECORDS = Math.max(1000, Math.round(Number(process.env.BENCH_RECORDS ?? 10_000_000) || 10_000_000));
const RUNS = Math.max(3, Math.round(Number(process.env.BENCH_RUNS ?? 30) || 30));
const ONLY = process.env.BENCH_QUERIES ? new Set(process.env.BENCH_QUERIES.split(',').map((s) => s.trim())) : null;
const CHANNELS = 64;
const DAYS = 1096; // three years
const LAST_DAY = parseDayLabel('2025-11-19')!;
const FIRST_DAY = LAST_DAY - DAYS + 1;
const SEED = 0x5eed_2025;
const BATCH = 2000;
const PAGE = 16;
const FREQUENT_CUSTOMERS = 3000;
/** Share of calls from or to the recurring customers. */
const FREQUENT_SHARE = 0.12;
/** Customers whose exact numbers and 7-digit prefixes are searched (the most frequent). */
const SEARCHED_CUSTOMERS = 200;
const GENERATOR = 'record-index-bench/1';

const root = path.resolve(import.meta.dirname, '..');
const label = RECORDS % 1_000_000 === 0 ? `${RECORDS / 1_000_000}m` : RECORDS % 1000 === 0 ? `${RECORDS / 1000}k` : String(RECORDS);
const indexDir = path.join(root, '.bench', `index-${label}`);
const dbDir = path.join(indexDir, 'db');
const markerFile = path.join(indexDir, 'built.json');

function line(name: string, value: number, unit: string): void {
  const a = Math.abs(value);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  console.log(`BENCH ${name} ${value.toFixed(digits)} ${unit}`);
}
const note = (text: string) => console.log(`bench: ${text}`);

// ------------------------------------------------------------------ deterministic randomness

/** sfc32: small, fast, good enough for test data. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    return this.u32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(48 + this.int(10));
    return s;
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  hex32(): string {
    let s = '';
    for (let i = 0; i < 8; i++) s += this.u32().toString(16).padStart(8, '0');
    return s;
  }
}

/** Picks index i with probability weights[i] / sum (cumulative table, binary search). */
class Weighted {
  private readonly cum: Float64Array;
  constructor(weights: readonly number[]) {
    this.cum = new Float64Array(weights.length);
    let s = 0;
    weights.forEach((w, i) => (this.cum[i] = s += w));
    for (let i = 0; i < this.cum.length; i++) this.cum[i]! /= s;
  }
  pick(r: Rng): number {
    const x = r.next();
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

// ------------------------------------------------------------------ numbers

// Mobile prefixes with rough market shares (China Mobile 134-139/15x/18x, Unicom, Telecom).
const MOBILE = Object.entries({
  '138': 6, '139': 7, '135': 5, '136': 5, '137': 4, '134': 3, '130': 3, '131': 3, '132': 3, '133': 3,
  '150': 3, '151': 3, '152': 3, '153': 2, '155': 2, '156': 2, '157': 2, '158': 4, '159': 4,
  '180': 2, '181': 2, '182': 2, '183': 2, '185': 2, '186': 4, '187': 3, '188': 3, '189': 4,
});
const mobilePick = new Weighted(MOBILE.map(([, w]) => w));
const AREA = Object.entries({
  '010': 8, '021': 8, '020': 5, '0755': 6, '0571': 3, '025': 3, '027': 3, '028': 3, '023': 3, '022': 2,
  '0512': 2, '0769': 2, '0591': 1, '0731': 1, '0532': 1, '029': 2, '024': 1,
});
const areaPick = new Weighted(AREA.map(([, w]) => w));

/** A number the way caller ID or the dialled digits show it: '' when the caller sent none. */
function externalNumber(r: Rng): string {
  const x = r.next();
  if (x < 0.5) return MOBILE[mobilePick.pick(r)]![0] + r.digits(8);
  if (x < 0.65) return AREA[areaPick.pick(r)]![0] + String(2 + r.int(8)) + r.digits(7);
  if (x < 0.85) return String(2 + r.int(7)) + r.digits(7); // local landline (Shenzhen, 8 digits)
  if (x < 0.93) return String(6000 + r.int(2000)); // internal extension
  return '';
}

// ------------------------------------------------------------------ the generated days

/** Records of a day, by weekday: office lines are quiet at weekends. */
function dayWeight(day: number): number {
  const wd = new Date(day * 86_400_000).getUTCDay();
  return wd === 0 ? 0.35 : wd === 6 ? 0.5 : 1;
}
const WEEKDAY_HOURS = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 6, 10, 11, 10, 6, 7, 10, 10, 9, 7, 4, 2.5, 2, 1.5, 1, 0.5];
const WEEKEND_HOURS = [0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1, 3, 5, 6, 6, 5, 5, 6, 6, 5, 4, 3, 2.5, 2, 1.5, 1, 0.6];
const weekdayHour = new Weighted(WEEKDAY_HOURS);
const weekendHour = new Weighted(WEEKEND_HOURS);
// Hunting groups fill the first lines first: line 0 is about twice as busy as line 63.
const channelPick = new Weighted(Array.from({ length: CHANNELS }, (_, c) => 2 - c / CHANNELS));

/** Counts kept while generating, to check the search totals against. */
interface Truth {
  dayTotal: number[];
  /** [day * CHANNELS + channel] */
  dayChannel: number[];
  /** [day * 4 + call type] */
  dayType: number[];
  dayImportant: number[];
  /** Numbers starting 138, per day. */
  day138: number[];
  /** Records of each searched customer's exact number. */
  customer: number[];
  /** Records whose number starts with a searched customer's first 7 digits. */
  customerPrefix7: number[];
}
const TYPES: readonly CallType[] = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'];

interface Generator {
  days(): DayIterator;
  truth: Truth;
  customers: string[];
}
type DayIterator = IterableIterator<{ day: number; entries: RecordEntry[] }>;

function makeGenerator(): Generator {
  const rng = new Rng(SEED);
  // Recurring customers: Zipf-like (s = 0.5) shares, from ~10 calls a day for the first to one a week for the last.
  const customers: string[] = [];
  const seen = new Set<string>();
  while (customers.length < FREQUENT_CUSTOMERS) {
    const n = externalNumber(rng);
    if (n.length < 8 || seen.has(n)) continue;
    seen.add(n);
    customers.push(n);
  }
  const customerPick = new Weighted(customers.map((_, i) => 1 / Math.sqrt(i + 1)));
  const searched = new Map(customers.slice(0, SEARCHED_CUSTOMERS).map((n, i) => [n, i]));
  const prefixes7 = new Map<string, number[]>();
  customers.slice(0, SEARCHED_CUSTOMERS).forEach((n, i) => {
    const p = n.slice(0, 7);
    prefixes7.set(p, [...(prefixes7.get(p) ?? []), i]);
  });

  // Records per day: exactly RECORDS in all, shared by the weekday weights.
  const weights = Array.from({ length: DAYS }, (_, i) => dayWeight(FIRST_DAY + i));
  const wsum = weights.reduce((a, b) => a + b, 0);
  const perDay: number[] = [];
  let acc = 0;
  let given = 0;
  for (const w of weights) {
    acc += (RECORDS * w) / wsum;
    const n = Math.round(acc) - given;
    perDay.push(n);
    given += n;
  }

  const truth: Truth = {
    dayTotal: new Array(DAYS).fill(0),
    dayChannel: new Array(DAYS * CHANNELS).fill(0),
    dayType: new Array(DAYS * 4).fill(0),
    dayImportant: new Array(DAYS).fill(0),
    day138: new Array(DAYS).fill(0),
    customer: new Array(SEARCHED_CUSTOMERS).fill(0),
    customerPrefix7: new Array(SEARCHED_CUSTOMERS).fill(0),
  };

  function* days(): DayIterator {
    for (let di = 0; di < DAYS; di++) {
      const day = FIRST_DAY + di;
      const t0 = dayStart(day);
      const t1 = dayStart(day + 1);
      const archived = day !== LAST_DAY;
      const hours = dayWeight(day) === 1 ? weekdayHour : weekendHour;
      // Calls of each channel, one after the other.
      const calls: { channel: number; at: number; type: CallType; durationMs: number }[][] = Array.from({ length: CHANNELS }, () => []);
      let made = 0;
      const want = perDay[di]!;
      while (made < want) {
        const x = rng.next();
        const type: CallType = x < 0.45 ? 'incoming-answered' : x < 0.85 ? 'outgoing' : x < 0.95 ? 'incoming-missed' : 'idle';
        const durationMs =
          type === 'incoming-missed' ? 5000 + rng.int(35_000) : Math.min(4 * 3_600_000, Math.max(2000, Math.round(90_000 * Math.exp(rng.normal()))));
        // Calls longer than the maximum file length (1 h) are split into linked parts.
        const parts = type === 'incoming-missed' ? 1 : Math.ceil(durationMs / 3_600_000);
        if (made + parts > want) continue;
        const channel = channelPick.pick(rng);
        const at = t0 + hours.pick(rng) * 3_600_000 + rng.int(3_600_000);
        calls[channel]!.push({ channel, at, type, durationMs });
        made += parts;
      }
      const entries: RecordEntry[] = [];
      for (const list of calls) {
        list.sort((a, b) => a.at - b.at);
        let free = t0;
        let last = 0;
        for (const c of list) {
          // A line carries one call at a time; a busy hour pushes calls later (within the day when they fit).
          const at = Math.max(last + 1, Math.min(Math.max(c.at, free), t1 - 1));
          free = at + c.durationMs + 1000 + rng.int(20_000);
          last = c.type === 'incoming-missed' ? at : at + (Math.ceil(c.durationMs / 3_600_000) - 1) * 3_600_000;
          pushCall(entries, c.channel, at, c.type, c.durationMs, archived);
        }
      }
      // Keys are unique: a channel never starts two files in the same millisecond.
      entries.sort((a, b) => a.startedAt - b.startedAt || a.channel - b.channel || a.part - b.part);
      for (let i = 1; i < entries.length; i++) {
        if (entries[i]!.id === entries[i - 1]!.id) throw new Error(`duplicate id ${entries[i]!.id}`);
      }
      for (const e of entries) {
        const d = localDay(e.startedAt) - FIRST_DAY;
        truth.dayTotal[d]!++;
        truth.dayChannel[d * CHANNELS + e.channel]!++;
        truth.dayType[d * 4 + TYPES.indexOf(e.callType)]!++;
        if (e.level === 'important') truth.dayImportant[d]!++;
        if (e.remoteNumber.startsWith('138')) truth.day138[d]!++;
        const ci = searched.get(e.remoteNumber);
        if (ci !== undefined) truth.customer[ci]!++;
        for (const i of prefixes7.get(e.remoteNumber.slice(0, 7)) ?? []) truth.customerPrefix7[i]!++;
      }
      yield { day, entries };
    }
  }

  function pushCall(out: RecordEntry[], channel: number, at: number, type: CallType, durationMs: number, archived: boolean): void {
    const remoteNumber = type === 'idle' ? '' : rng.next() < FREQUENT_SHARE ? customers[customerPick.pick(rng)]! : externalNumber(rng);
    const level = rng.next() < 0.01 ? 'important' : 'normal';
    const callId = `${channel}-${at}`;
    const base = {
      callId, channel, portType: 'analog' as const, port: 0, lineNumber: String(8000 + channel), remoteNumber, callerName: '',
      localName: '', direction: directionOf(type), participants: '', stereo: false,
      callType: type, level: level as RecordEntry['level'], sealed: false, deleted: false, archived,
    };
    if (type === 'incoming-missed') {
      out.push({
        ...base, id: recordId(at, analogRef(channel), 'm'), part: 0, startedAt: at, durationMs, startMode: 'ring', stopMode: null,
        file: null, sizeBytes: 0, codec: null, sha256: null,
      });
      return;
    }
    const startMode: StartMode = type === 'idle' ? 'voice' : type === 'incoming-answered' && rng.next() < 0.1 ? 'ring' : 'voltage';
    const y = rng.next();
    const lastStop: StopMode = type === 'idle' ? 'silence' : y < 0.85 ? 'hangup' : y < 0.97 ? 'busy-tone' : 'disconnect';
    for (let part = 1, left = durationMs; left > 0; part++, left -= 3_600_000) {
      const startedAt = at + (part - 1) * 3_600_000;
      const partMs = Math.min(left, 3_600_000);
      const id = recordId(startedAt, analogRef(channel), part);
      out.push({
        ...base, id, part, startedAt, durationMs: partMs, startMode, stopMode: left > 3_600_000 ? 'max-length' : lastStop,
        file: recordingFile(startedAt, analogRef(channel), id, archived, 'alaw'), sizeBytes: partMs * 8 + 46, codec: 'alaw', sha256: rng.hex32(),
      });
    }
  }

  return { days, truth, customers };
}

// ------------------------------------------------------------------ build or reuse

interface Marker {
  generator: string;
  records: number;
  days: number;
  lastDay: string;
  channels: number;
  seed: number;
  builtAt: string;
  buildSeconds: number;
  insertRate: number;
  generateSeconds: number;
  buildPeakRssMiB: number;
  bytesBeforeCompaction: number;
  bytesAfterCompaction: number;
  compactSeconds: number;
  truth: Truth;
  customers: string[];
}

const params = { generator: GENERATOR, records: RECORDS, days: DAYS, lastDay: dayLabel(LAST_DAY), channels: CHANNELS, seed: SEED };

function folderBytes(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    n += f.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return n;
}

function readMarker(): Marker | null {
  try {
    const m = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    for (const [k, v] of Object.entries(params)) if ((m as unknown as Record<string, unknown>)[k] !== v) return null;
    return m;
  } catch {
    return null;
  }
}

async function build(): Promise<Marker> {
  fs.rmSync(indexDir, { recursive: true, force: true });
  fs.mkdirSync(dbDir, { recursive: true });
  const index = new RecordIndex(dbDir);
  await index.open();
  const gen = makeGenerator();
  note(`building ${RECORDS.toLocaleString('en')} records over ${DAYS} days (${dayLabel(FIRST_DAY)} .. ${dayLabel(LAST_DAY)}), ${CHANNELS} channels, in ${path.relative(root, dbDir)}`);
  const t0 = performance.now();
  let genMs = 0;
  let written = 0;
  let pending: Promise<void> = Promise.resolve();
  let batch: RecordEntry[] = [];
  let lastReport = t0;
  const it = gen.days();
  for (;;) {
    const g0 = performance.now();
    const next = it.next();
    genMs += performance.now() - g0;
    if (next.done) break;
    for (const e of next.value.entries) {
      batch.push(e);
      if (batch.length === BATCH) {
        await pending; // one batch in flight while the next is generated
        pending = index.putMany(batch);
        written += batch.length;
        batch = [];
      }
    }
    const now = performance.now();
    if (now - lastReport > 30_000) {
      lastReport = now;
      note(`  ${written.toLocaleString('en')} records, ${Math.round(written / ((now - t0) / 1000)).toLocaleString('en')} records/s, up to ${dayLabel(next.value.day)}`);
    }
  }
  await pending;
  if (batch.length) await index.putMany(batch);
  written += batch.length;
  const buildSeconds = (performance.now() - t0) / 1000;
  if (written !== RECORDS) throw new Error(`generated ${written} records, expected ${RECORDS}`);
  await index.close();
  const bytesBeforeCompaction = folderBytes(dbDir);
  note(`built in ${buildSeconds.toFixed(1)} s (generator ${(genMs / 1000).toFixed(1)} s of it); compacting the whole key space`);
  const reopened = new RecordIndex(dbDir);
  await reopened.open();
  const c0 = performance.now();
  await reopened.db.compactRange(Buffer.from([0x00]), Buffer.from([0xff]));
  const compactSeconds = (performance.now() - c0) / 1000;
  await reopened.close();
  const marker: Marker = {
    ...params,
    builtAt: new Date().toISOString(),
    buildSeconds,
    insertRate: RECORDS / buildSeconds,
    generateSeconds: genMs / 1000,
    buildPeakRssMiB: process.resourceUsage().maxRSS / 1024,
    bytesBeforeCompaction,
    bytesAfterCompaction: folderBytes(dbDir),
    compactSeconds,
    truth: gen.truth,
    customers: gen.customers.slice(0, SEARCHED_CUSTOMERS),
  };
  fs.writeFileSync(markerFile, JSON.stringify(marker));
  return marker;
}

// ------------------------------------------------------------------ queries

interface QueryCase {
  name: string;
  /** The query of run i (parameters vary with i). */
  make: (i: number, r: Rng) => RecordQuery;
  /** The brute-force total from the generator's counts, when it has one. */
  expect?: (q: RecordQuery) => number;
  /** Only the count (no rows). */
  countOnly?: boolean;
}

const dayOf = (q: RecordQuery) => localDay(q.from!) - FIRST_DAY;
const wholeDays = (d0: number, d1: number) => ({ from: dayStart(d0), to: dayStart(d1 + 1) - 1 });
const sumDays = (a: number[], q: RecordQuery, stride = 1, at = 0) => {
  let n = 0;
  for (let d = dayOf(q); d <= localDay(q.to!) - FIRST_DAY; d++) n += a[d * stride + at]!;
  return n;
};

function cases(m: Marker): QueryCase[] {
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
function checkRows(name: string, q: RecordQuery, r: QueryResult): void {
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

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function runQueries(index: RecordIndex, m: Marker): Promise<{ name: string; plan: string; first: number[]; deep: number[]; totals: number[]; checked: number }[]> {
  const out = [];
  for (const c of cases(m)) {
    if (ONLY && !ONLY.has(c.name)) continue;
    const r = new Rng(SEED ^ c.name.length * 7919 ^ c.name.charCodeAt(0));
    const first: number[] = [];
    const deep: number[] = [];
    const totals: number[] = [];
    const plans = new Set<string>();
    let checked = 0;
    await queryRecords(index, c.make(RUNS, r)); // warm-up, not timed
    for (let i = 0; i < RUNS; i++) {
      const q = c.make(i, r);
      let t0 = performance.now();
      const res = await queryRecords(index, q);
      first.push(performance.now() - t0);
      plans.add(res.plan);
      totals.push(res.total);
      checkRows(c.name, q, res);
      if (c.expect) {
        const want = c.expect(q);
        if (res.total !== want) throw new Error(`${c.name}: total ${res.total} for ${JSON.stringify(q)}, the generator made ${want}`);
        checked++;
      }
      if (c.countOnly || res.total <= PAGE) continue;
      // A page half-way through the results.
      const dq = { ...q, offset: Math.floor(res.total / 2 / PAGE) * PAGE };
      t0 = performance.now();
      const dres = await queryRecords(index, dq);
      deep.push(performance.now() - t0);
      if (dres.total !== res.total) throw new Error(`${c.name}: total ${dres.total} at offset ${dq.offset}, ${res.total} on the first page`);
      checkRows(c.name, dq, dres);
    }
    out.push({ name: c.name, plan: [...plans].join('+'), first, deep, totals, checked });
    const f = (xs: number[]) => (xs.length ? `${pct(xs, 50).toFixed(1)} / ${pct(xs, 95).toFixed(1)} ms` : '-');
    note(`${c.name.padEnd(18)} plan ${[...plans].join('+').padEnd(10)} first page ${f(first).padEnd(20)} deep page ${f(deep).padEnd(20)} total median ${pct(totals, 50)}${checked ? `, ${checked} totals checked` : ''}`);
  }
  return out;
}

// ------------------------------------------------------------------ main

let marker = process.env.BENCH_REBUILD === '1' ? null : readMarker();
if (marker) {
  note(`reusing the index in ${path.relative(root, dbDir)} built ${marker.builtAt} (same parameters); figures of that build follow`);
} else {
  marker = await build();
  note('index built');
}
line('index_insert_rate', marker.insertRate, 'records/s');
line('index_build_rss', marker.buildPeakRssMiB, 'MiB');
line('index_bytes_per_record_before_compaction', marker.bytesBeforeCompaction / RECORDS, 'bytes');
line('index_bytes_per_record', marker.bytesAfterCompaction / RECORDS, 'bytes');
note(`build ${marker.buildSeconds.toFixed(0)} s (generator ${marker.generateSeconds.toFixed(0)} s), compaction ${marker.compactSeconds.toFixed(0)} s, index ${(marker.bytesAfterCompaction / 2 ** 20).toFixed(0)} MiB on disk now ${(folderBytes(dbDir) / 2 ** 20).toFixed(0)} MiB`);

const index = new RecordIndex(dbDir);
await index.open();
const results = await runQueries(index, marker);
await index.close();
for (const r of results) {
  line(`index_${r.name}_first_page_p50`, pct(r.first, 50), 'ms');
  line(`index_${r.name}_first_page_p95`, pct(r.first, 95), 'ms');
  if (r.deep.length) {
    line(`index_${r.name}_deep_page_p50`, pct(r.deep, 50), 'ms');
    line(`index_${r.name}_deep_page_p95`, pct(r.deep, 95), 'ms');
  }
}

// Targets of the issue: any first page under 50 ms (p95), a day's count under 50 ms, under 150 bytes per record.
const misses: string[] = [];
for (const r of results) if (pct(r.first, 95) >= 50) misses.push(`${r.name} first page p95 ${pct(r.first, 95).toFixed(1)} ms`);
if (marker.bytesAfterCompaction / RECORDS >= 150) misses.push(`${(marker.bytesAfterCompaction / RECORDS).toFixed(0)} bytes per record`);
note(misses.length ? `targets missed: ${misses.join('; ')}` : 'targets met: every first page and day count p95 < 50 ms, < 150 bytes per record');
