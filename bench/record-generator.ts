/**
 * The seeded record generator shared by the recording index benchmarks
 * (record-index.bench.ts, index-vs-sqlite.bench.ts): what a 64-line RDT holds
 * after three years, 10 million recordings by default, with the counts kept
 * while generating that the search totals are checked against. The same seed
 * and parameters give the same entries, in the same order, in every process.
 *
 * Days are the box's local days in Asia/Shanghai (China has no daylight saving).
 */
process.env.TZ = 'Asia/Shanghai';

import path from 'node:path';
import type { CallType, StartMode, StopMode } from '../firmware/calls/call-types.ts';
import { dayLabel, dayStart, localDay, parseDayLabel } from '../firmware/recording/local-day.ts';
import { directionOf, recordId, type RecordEntry } from '../firmware/recording/record-entry.ts';
import { analogRef } from '../firmware/ports/channel-ref.ts';
import { recordingFile } from '../firmware/recording/recording-paths.ts';

// ------------------------------------------------------------------ parameters

/** Records generated (BENCH_RECORDS, default 10,000,000). */
export const RECORDS = Math.max(1000, Math.round(Number(process.env.BENCH_RECORDS ?? 10_000_000) || 10_000_000));
export const CHANNELS = 64;
export const DAYS = 1096; // three years
export const LAST_DAY = parseDayLabel('2025-11-19')!;
export const FIRST_DAY = LAST_DAY - DAYS + 1;
export const SEED = 0x5eed_2025;
const FREQUENT_CUSTOMERS = 3000;
/** Share of calls from or to the recurring customers. */
const FREQUENT_SHARE = 0.12;
/** Customers whose exact numbers and 7-digit prefixes are searched (the most frequent). */
export const SEARCHED_CUSTOMERS = 200;
const GENERATOR = 'record-index-bench/1';

/** What makes two generated sets the same: stores built with equal parameters are reused. */
export const params = { generator: GENERATOR, records: RECORDS, days: DAYS, lastDay: dayLabel(LAST_DAY), channels: CHANNELS, seed: SEED };

export const root = path.resolve(import.meta.dirname, '..');
/** `10m`, `200k`: names the stores built in .bench/. */
export const label = RECORDS % 1_000_000 === 0 ? `${RECORDS / 1_000_000}m` : RECORDS % 1000 === 0 ? `${RECORDS / 1000}k` : String(RECORDS);

/** Prints `BENCH <name> <value> <unit>` (3 decimals under 1, 2 under 10, 1 under 100). */
export function line(name: string, value: number, unit: string): void {
  const a = Math.abs(value);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  console.log(`BENCH ${name} ${value.toFixed(digits)} ${unit}`);
}
export const note = (text: string) => console.log(`bench: ${text}`);

// ------------------------------------------------------------------ deterministic randomness

/** sfc32: small, fast, good enough for test data. */
export class Rng {
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
export class Weighted {
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
/** What a built store records of the generated data set it holds (its marker file), so a run can tell whether to rebuild. */
export interface DataSetMarker {
  generator: string;
  records: number;
  days: number;
  lastDay: string;
  channels: number;
  seed: number;
  builtAt: string;
}

export interface Truth {
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
export const TYPES: readonly CallType[] = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'];

export interface Generator {
  days(): DayIterator;
  truth: Truth;
  customers: string[];
}
export type DayIterator = IterableIterator<{ day: number; entries: RecordEntry[] }>;

export function makeGenerator(): Generator {
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
