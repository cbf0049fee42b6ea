/**
 * The key ranges a search can be driven by (record-keys.ts): the entries in
 * time order, or the search keys of a condition, each ordered by time within
 * the condition's value. A driver yields the tails of its keys over a time
 * range, newest first (or oldest first for counting); several ranges of one
 * driver (a channel on several ports, a number over several months) are
 * merged into one time order.
 */
import { CALL_TYPES } from './record-codec.ts';
import {
  BY_CHANNEL, DELETED, IMPORTANT, LIVE, PENDING_ARCHIVE, TAIL, channelHead, exactNumberHead, numberKeyMonth, numberMonthIsExact, numberMonthSpan, tailOfKey,
  timeOfKey, timeRange,
} from './record-keys.ts';
import type { NumberMonths } from './number-months.ts';
import type { IndexReader } from './index-reader.ts';
import type { RecordQuery } from './record-query-types.ts';
import { PORT_TYPES } from '../ports/channel-ref.ts';
import { dayStart, localDay, monthFirstDay, monthOfDay } from './local-day.ts';
import type { ChannelDirectory } from './channel-directory.ts';
import type { BoxStatistics } from './box-statistics.ts';
import { countInCell, type CellFilter } from './call-stats.ts';

export type { DriverName } from './record-query-types.ts';
import type { DriverName } from './record-query-types.ts';

/** Conditions a driver's keys satisfy by themselves. */
export type Condition = 'ref' | 'line' | 'important' | 'number' | 'today';

export interface Driver {
  name: DriverName;
  /**
   * Key ranges, as heads followed by the time; groups lie in disjoint time
   * spans, oldest first. `keys`: how many keys the span holds, when known (a
   * number's months).
   */
  groups: { heads: Buffer[]; from: number; to: number; keys?: number }[];
  /** The keys are the entries themselves (values at hand). */
  primary: boolean;
  /** The keys' values hold the call type and level (channel keys). */
  summaries: boolean;
  satisfies: ReadonlySet<Condition>;
  /** About how many bytes one key takes on disk, to turn size estimates into key counts. */
  keyBytes: number;
  /** Keys in the search's range, estimated from what the index keeps in memory (memoryEstimate). */
  estimate?: number;
}

const ALL_TIME = { from: 0, to: 2 ** 48 - 1 };

/** Whether a port byte (port type and port) passes the query's port conditions. */
export function portTest(q: Pick<RecordQuery, 'portType' | 'port'>): ((b: number) => boolean) | null {
  if (q.portType === undefined && q.port === undefined) return null;
  const type = q.portType === undefined ? -1 : PORT_TYPES.indexOf(q.portType);
  return (b) => (type < 0 || b >> 6 === type) && (q.port === undefined || (b & 0x3f) === q.port);
}

/** Every driver the query's conditions allow, the entries' own time order first. */
export function candidateDrivers(channels: ChannelDirectory, q: RecordQuery, exactNumber: { text: string; months: NumberMonths } | null, from: number, to: number): Driver[] {
  const make = (name: DriverName, heads: Buffer[], satisfies: Condition[], keyBytes: number, summaries = false): Driver =>
    ({ name, groups: [{ heads, ...ALL_TIME }], primary: false, summaries, satisfies: new Set(satisfies), keyBytes });
  const time: Driver = { ...make('time', [Buffer.from([q.deleted ? DELETED : LIVE])], [], 60), primary: true };
  if (q.deleted) return [time];
  const out = [time];
  const ports = portTest(q);
  const m0 = monthOfDay(localDay(from));
  const m1 = monthOfDay(localDay(to));
  if (q.channel !== undefined) {
    const bytes = channels.portsOf(q.channel, m0, m1).filter((b) => !ports || ports(b));
    out.push(make('channel', bytes.map((b) => channelHead(q.channel!, b)), ['ref'], 12, true));
  } else if (q.lineNumber) {
    // A line number is on one channel or a few: their channel keys; each entry's line is tested unless the channels had no other line then.
    const found = channels.refsOfLine(q.lineNumber, m0, m1);
    const heads = found.refs.filter((r) => !ports || ports(r[0]!)).map((r) => channelHead(r.readUInt16BE(1), r[0]!));
    out.push(make('line', heads, found.pure ? ['ref', 'line'] : ['ref'], 12, true));
  }
  if (q.level === 'important') out.push(make('important', [Buffer.from([IMPORTANT])], ['important'], 12));
  if (q.store === 'today') out.push(make('today', [Buffer.from([PENDING_ARCHIVE])], ['today'], 12));
  if (exactNumber !== null) {
    // Only the months holding the number, each with its count.
    const groups: Driver['groups'] = [];
    const first = numberKeyMonth(from);
    const last = numberKeyMonth(to);
    for (const [m, keys] of [...exactNumber.months].sort((a, b) => a[0] - b[0])) {
      if (m < first || m > last) continue;
      // The first and last months also hold the keys of times beyond them (numberKeyMonth): counted by reading.
      const [from, to] = numberMonthSpan(m);
      groups.push({ heads: [exactNumberHead(exactNumber.text, m)], from, to, ...(numberMonthIsExact(m) ? { keys } : {}) });
    }
    out.push({ ...make('number', [], ['number'], 20), groups });
  }
  return out;
}

/** The channel references (`<port byte> <channel:2>`) of channel key heads. */
export function refsOfHeads(heads: Buffer[]): Buffer[] {
  return heads.map((h) => Buffer.from([h[3]!, h[1]!, h[2]!]));
}

/**
 * Keys of a driver in [lo, hi] estimated from the statistics the index keeps
 * in memory, without a LevelDB read: the entries from the box's month cells
 * (box-statistics.ts), a channel's or a line's keys from its channels' month
 * cells (channel-directory.ts), the important keys from the box's cells;
 * each the count of the months [lo, hi] touches scaled to the part of them
 * it takes. Unlike LevelDB's size estimates they count the recordings still
 * in memory (today's). Undefined for drivers the cells do not count.
 */
export function memoryEstimate(d: Driver, channels: ChannelDirectory, boxStats: BoxStatistics, lo: number, hi: number): number | undefined {
  const m0 = monthOfDay(localDay(lo));
  const m1 = monthOfDay(localDay(hi));
  const share = (hi - lo + 1) / (dayStart(monthFirstDay(m1 + 1)) - dayStart(monthFirstDay(m0)));
  const box = (f: CellFilter) => boxStats.range('month', m0, m1).reduce((n, [, cell]) => n + countInCell(cell, f), 0);
  switch (d.name) {
    case 'time':
      return box({}) * share;
    case 'important':
      return box({ level: 'important' }) * share;
    case 'channel':
    case 'line':
      return channels.recordsOf(refsOfHeads(d.groups[0]!.heads), m0, m1) * share;
    default:
      return undefined;
  }
}

/**
 * Estimated keys of a driver in [from, to]: a group's known count, the part
 * of it the range covers; otherwise LevelDB's table size estimates (memtable
 * writes count as nothing).
 */
export async function estimateKeys(db: IndexReader, d: Driver, from: number, to: number): Promise<number> {
  const sizes: Promise<number>[] = [];
  let known = 0;
  for (const g of d.groups) {
    const lo = Math.max(from, g.from);
    const hi = Math.min(to, g.to);
    if (lo > hi) continue;
    if (g.keys !== undefined) {
      known += (g.keys * (hi - lo + 1)) / (g.to - g.from + 1);
      continue;
    }
    for (const h of g.heads) {
      const r = timeRange(h, lo, hi);
      sizes.push(db.approximateSize(r.gte, r.lt));
    }
  }
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  return known + bytes / d.keyBytes;
}

/**
 * A part of a driver's keys lying in one calendar month: a key range, and
 * the times [from, to] its keys are wanted for. `timeOrdered`: the range is a
 * head followed by the time, already cut to [from, to] (an exact number's
 * month); otherwise its keys order by number first (a number prefix's month)
 * and are tested for the time. `keys`: how many keys of the range are wanted,
 * when known without reading.
 */
export interface Span {
  range: KeyRange;
  from: number;
  to: number;
  timeOrdered: boolean;
  keys?: number;
}

/** A driver's groups (an exact number's months) as spans cut to [lo, hi]; a month wholly inside keeps its known count. */
export function driverSpans(d: Driver, lo: number, hi: number, keyTest: boolean): Span[] {
  const spans: Span[] = [];
  for (const g of d.groups) {
    const a = Math.max(lo, g.from);
    const b = Math.min(hi, g.to);
    if (a > b) continue;
    const whole = !keyTest && g.keys !== undefined && a === g.from && b === g.to && g.heads.length === 1;
    for (const h of g.heads) spans.push({ range: timeRange(h, a, b), from: a, to: b, timeOrdered: true, ...(whole ? { keys: g.keys } : {}) });
  }
  return spans;
}

/**
 * Tails of spans (oldest first) newest first: how many keys pass `keep`,
 * and those from `skip` on, up to `limit`. A span is counted from its known
 * count when it has one, else by reading it (several side by side); then the
 * spans holding the page, known from the counts, are read side by side: a
 * page over months costs one trip to LevelDB, not one a month.
 */
export async function spanTails(db: IndexReader, spans: Span[], keep: ((tail: Buffer) => boolean) | null, skip: number, limit: number): Promise<{ total: number; tails: Buffer[] }> {
  if (!spans.length) return { total: 0, tails: [] };
  const wanted = (s: Span, k: Buffer) => {
    const tail = k.subarray(k.length - TAIL);
    if (!s.timeOrdered) {
      const t = timeOfKey(k);
      if (t < s.from || t > s.to) return false;
    }
    return !keep || keep(tail);
  };
  // Spans without a known count are read to count them; those not in time order keep their tails, newest first.
  const counts = spans.map((s) => s.keys ?? 0);
  const read = new Map<number, Buffer[]>();
  const unknown = spans.flatMap((s, i) => (s.keys === undefined ? [i] : []));
  await readSpans(db, unknown.map((i) => spans[i]!), wanted, (j, n, tails) => {
    counts[unknown[j]!] = n;
    if (tails) read.set(unknown[j]!, tails);
  });
  // The spans the page falls in, newest first, with how many of each to skip and take.
  const parts: { i: number; skip: number; take: number }[] = [];
  for (let i = spans.length - 1, need = limit; i >= 0 && need > 0; i--) {
    if (skip >= counts[i]!) {
      skip -= counts[i]!;
      continue;
    }
    const take = Math.min(need, counts[i]! - skip);
    parts.push({ i, skip, take });
    need -= take;
    skip = 0;
  }
  const pages = await Promise.all(parts.map(async (p) => {
    const have = read.get(p.i);
    if (have) return have.slice(p.skip, p.skip + p.take);
    const s = spans[p.i]!;
    if (!s.timeOrdered) {
      let got: Buffer[] = [];
      await readSpans(db, [s], wanted, (_, __, tails) => (got = tails!));
      return got.slice(p.skip, p.skip + p.take);
    }
    return pageOfSpan(db, s, keep, p.skip, p.take);
  }));
  return { total: counts.reduce((a, b) => a + b, 0), tails: pages.flat() };
}

/** Up to `take` tails of a time-ordered span passing `keep`, newest first, after skipping `skip`. */
async function pageOfSpan(db: IndexReader, s: Span, keep: ((tail: Buffer) => boolean) | null, skip: number, take: number): Promise<Buffer[]> {
  const tails: Buffer[] = [];
  const it = db.keys({ ...s.range, reverse: true });
  try {
    for (let size = Math.min(1024, skip + take + 8); tails.length < take; ) {
      const keys = await it.nextv(size);
      for (const k of keys) {
        const tail = k.subarray(k.length - TAIL);
        if (keep && !keep(tail)) continue;
        if (skip > 0) skip--;
        else if (tails.length < take) tails.push(tail);
      }
      // A read may return fewer keys than asked (LevelDB's reads stop at 16 KiB): only none means the end.
      if (!keys.length) break;
    }
  } finally {
    await it.close();
  }
  return tails;
}

/**
 * Reads whole spans side by side (scanLanes): how many of each span's keys
 * are wanted, and for a span not in time order its wanted tails, newest
 * first.
 */
async function readSpans(db: IndexReader, spans: Span[], wanted: (s: Span, key: Buffer) => boolean, done: (i: number, count: number, tails: Buffer[] | null) => void): Promise<void> {
  const counts = spans.map(() => 0);
  const tails = spans.map((s) => (s.timeOrdered ? null : ([] as Buffer[])));
  await scanLanes(db, spans.map((s) => s.range), (i, k) => {
    if (!wanted(spans[i]!, k)) return;
    counts[i]!++;
    tails[i]?.push(k.subarray(k.length - TAIL));
  });
  counts.forEach((n, i) => done(i, n, tails[i]?.sort((a, b) => Buffer.compare(b, a)) ?? null));
}

/** Ranges read side by side: spans far apart in a large index lie in different table files, each opened and read on its own. */
const COUNT_LANES = 4;

/** Visits every key of several ranges (`i`: the range's index); the ranges are split between a few iterators reading at once. */
async function scanLanes(db: IndexReader, ranges: KeyRange[], key: (i: number, key: Buffer) => void): Promise<void> {
  const per = Math.ceil(ranges.length / COUNT_LANES);
  const lanes: Promise<void>[] = [];
  for (let at = 0; at < ranges.length; at += per) {
    const first = at;
    lanes.push(scanRanges(db, ranges.slice(at, at + per), false, { key: (i, k) => key(first + i, k) }));
  }
  await Promise.all(lanes);
}

/** Keys in each of several ranges passing `keep`, read side by side (scanLanes). */
export async function countRanges(db: IndexReader, ranges: KeyRange[], keep: ((key: Buffer) => boolean) | null): Promise<number[]> {
  const counts = ranges.map(() => 0);
  await scanLanes(db, ranges, (i, k) => {
    if (!keep || keep(k)) counts[i]!++;
  });
  return counts;
}

export interface KeyRange {
  gte: Buffer;
  lt: Buffer;
}

/**
 * Bytes of keys one read of a range may return (classic-level stops a read
 * there, 16 KiB by default): a month of one number's keys, even a frequent
 * one's, comes in one read.
 */
const RANGE_READ_BYTES = 64 << 10;

/**
 * Visits the keys of several ranges, each in key order, the ranges first to
 * last (or last to first). Each range is read by an iterator bounded to it: a
 * read returns the range's keys and nothing beyond it, and the read that
 * reaches its end marks the iterator ended, so a range of up to a few
 * thousand keys costs one trip to LevelDB (an iterator that seeks from range
 * to range reads past each range's end and needs a trip more to find it).
 * `end` returning false stops the scan.
 */
export async function scanRanges(
  db: IndexReader,
  ranges: KeyRange[],
  lastFirst: boolean,
  visit: { key: (i: number, key: Buffer) => void; end?: (i: number) => boolean | void },
): Promise<void> {
  for (let n = 0; n < ranges.length; n++) {
    const i = lastFirst ? ranges.length - 1 - n : n;
    const r = ranges[i]!;
    const it = db.keys({ gte: r.gte, lt: r.lt, highWaterMarkBytes: RANGE_READ_BYTES });
    try {
      // A read may return fewer keys than asked (at RANGE_READ_BYTES): only none means the end.
      for (let keys = await it.nextv(4096); keys.length; keys = await it.nextv(4096)) {
        for (const k of keys) visit.key(i, k);
      }
    } finally {
      await it.close();
    }
    if (visit.end?.(i) === false) return;
  }
}

export interface Hit {
  /** `<time:6> <ref:3> <part:1>` */
  tail: Buffer;
  /** The entry's value, when the driver's keys are the entries or it was fetched. */
  value?: Buffer;
  /** Call type << 1 | important, from a channel key. */
  summary?: number;
}

/** The call type index and importance in a channel key's summary. */
export const summaryCallType = (s: number) => CALL_TYPES[s >> 1];
export const summaryImportant = (s: number) => (s & 1) === 1;

/**
 * Tails of a driver's keys in [from, to], in batches, newest first when
 * `reverse`. Batches start small (a first page needs few) and grow.
 */
export async function* driverHits(db: IndexReader, d: Driver, from: number, to: number, reverse: boolean, withValues: boolean, firstBatch = 64): AsyncGenerator<Hit[]> {
  const groups = reverse ? [...d.groups].reverse() : d.groups;
  let size = firstBatch;
  const mode = d.primary ? (withValues ? 'entries' : 'keys') : d.summaries ? 'summaries' : 'keys';
  for (const g of groups) {
    const lo = Math.max(from, g.from);
    const hi = Math.min(to, g.to);
    if (lo > hi || !g.heads.length) continue;
    const streams = g.heads.map((h) => new HeadStream(db, h, lo, hi, reverse, mode));
    try {
      for (;;) {
        const batch = streams.length === 1 ? await streams[0]!.take(size) : await merge(streams, size, reverse);
        if (!batch.length) break;
        yield batch;
        size = Math.min(size * 4, 1024);
      }
    } finally {
      for (const s of streams) await s.close();
    }
  }
}

class HeadStream {
  private readonly it;
  private buf: Hit[] = [];
  private at = 0;
  private done = false;
  constructor(db: IndexReader, head: Buffer, lo: number, hi: number, reverse: boolean, private readonly mode: 'entries' | 'keys' | 'summaries') {
    const r = timeRange(head, lo, hi);
    // A read of entries stops at RANGE_READ_BYTES rather than 16 KiB: a page of a rare condition, read in time order, comes in one.
    this.it = mode === 'keys' ? db.keys({ ...r, reverse }) : db.iterator({ ...r, reverse, highWaterMarkBytes: RANGE_READ_BYTES });
  }
  /** The next hit without taking it; null at the end. */
  async peek(size: number): Promise<Hit | null> {
    if (this.at < this.buf.length) return this.buf[this.at]!;
    if (this.done) return null;
    const rows = await this.it.nextv(size);
    if (!rows.length) {
      this.done = true;
      return null;
    }
    const tail = (k: Buffer) => (k[0] === BY_CHANNEL ? tailOfKey(k) : k.subarray(k.length - TAIL));
    if (this.mode === 'keys') this.buf = (rows as Buffer[]).map((k) => ({ tail: tail(k) }));
    else if (this.mode === 'entries') this.buf = (rows as [Buffer, Buffer][]).map(([k, v]) => ({ tail: k.subarray(1), value: v }));
    else this.buf = (rows as [Buffer, Buffer][]).map(([k, v]) => ({ tail: tail(k), summary: v[0] }));
    this.at = 0;
    return this.buf[0]!;
  }
  shift(): void {
    this.at++;
  }
  async take(size: number): Promise<Hit[]> {
    if (!(await this.peek(size))) return [];
    const out = this.buf.slice(this.at);
    this.at = this.buf.length;
    return out;
  }
  close(): Promise<void> {
    return this.it.close();
  }
}

async function merge(streams: HeadStream[], size: number, reverse: boolean): Promise<Hit[]> {
  const out: Hit[] = [];
  while (out.length < size) {
    let best: Hit | null = null;
    let bestAt = -1;
    for (let i = 0; i < streams.length; i++) {
      const h = await streams[i]!.peek(size);
      if (!h) continue;
      const c = best ? Buffer.compare(h.tail, best.tail) : 0;
      if (!best || (reverse ? c > 0 : c < 0)) {
        best = h;
        bestAt = i;
      }
    }
    if (!best) break;
    streams[bestAt]!.shift();
    out.push(best);
  }
  return out;
}
