/**
 * A search's plan (record-query.ts): its conditions, the driver it reads
 * (query-drivers.ts) and what is left to test of each hit, and reading a
 * driver's matches, a page or a count, in bounded batches.
 */
import { NUMBER_PREFIX_LENGTH } from './call-stats.ts';
import { decodeRecord, numberSpans, summarizeRecord, textCallIdOf } from './record-codec.ts';
import type { RecordEntry } from './record-entry.ts';
import { DELETED, LIVE, keyFieldsOfTail, primaryOfTail, timeKey, timeOfKey } from './record-keys.ts';
import type { IndexReader } from './index-reader.ts';
import {
  driverHits, estimateKeys, portTest, summaryCallType, summaryImportant, type Condition, type Driver, type DriverName, type Hit,
} from './query-drivers.ts';
import type { RecordQuery } from './record-query-types.ts';

export const TIME_MAX = 2 ** 48 - 2;
export const BATCH = 512;
/** Relative cost of reading a key, and of fetching an entry by its key, against reading entries in order. */
const KEY_COST = 0.3;
const FETCH_COST = 4;
/** Ties (equal estimates) go to the usually most selective driver. */
const PRIORITY: DriverName[] = ['number', 'important', 'channel', 'line', 'today', 'time'];

export type NumberPattern = { kind: 'exact' | 'prefix'; text: string } | { kind: 'like'; re: RegExp };

export function parseNumberPattern(p: string): NumberPattern {
  if (!p.includes('%')) return { kind: 'exact', text: p };
  const head = p.replace(/%+$/, '');
  if (!head.includes('%')) return { kind: 'prefix', text: head };
  const re = new RegExp(`^${p.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return { kind: 'like', re };
}

export interface Plan {
  q: RecordQuery;
  from: number;
  to: number;
  prefix: number;
  pattern: NumberPattern | null;
  /** Every condition is one the statistics cells answer. */
  cellAnswerable: boolean;
  /** The number condition is a prefix the box's number cells count (call-stats NUMBER_PREFIX_LENGTH), with no other condition but time. */
  numberCells: boolean;
  ports: ((b: number) => boolean) | null;
  /** The channel references (port byte, channel) a channel or line number condition narrows the search to, once known. */
  refs: Buffer[] | null;
  /** The picked driver's estimated keys in the range, when the planner estimated them. */
  driverKeys?: number;
}

/** What is left to test of a driver's hits: the reference from the tail, call type and level from a channel key's summary, the rest from the entry. */
export interface Residual {
  ref: ((tail: Buffer) => boolean) | null;
  summary: ((s: number) => boolean) | null;
  value: ((value: Uint8Array) => boolean) | null;
}

export function makePlan(q: RecordQuery): Plan {
  const parsed = q.remoteNumber ? parseNumberPattern(q.remoteNumber) : null;
  // `%` alone matches every recording, those without a number too: no condition (the number keys hold only numbers).
  const pattern = parsed?.kind === 'prefix' && parsed.text === '' ? null : parsed;
  const ports = portTest(q);
  const prefixLength = pattern?.kind === 'prefix' ? Array.from(pattern.text).length : 0;
  const numberCells = prefixLength >= 1 && prefixLength <= NUMBER_PREFIX_LENGTH && ports === null &&
    q.channel === undefined && q.lineNumber === undefined && q.callType === undefined && q.level === undefined;
  const cellAnswerable = (pattern === null || numberCells) &&
    q.minDurationMs === undefined && q.maxDurationMs === undefined && q.store === undefined && !q.deleted && q.callId === undefined;
  return {
    q,
    from: Math.max(0, q.from ?? 0),
    to: Math.min(TIME_MAX, q.to ?? TIME_MAX),
    prefix: q.deleted ? DELETED : LIVE,
    pattern,
    cellAnswerable,
    numberCells: cellAnswerable && numberCells,
    ports,
    refs: null,
  };
}

export async function pickDriver(db: IndexReader, plan: Plan, drivers: Driver[], lo: number, hi: number): Promise<Driver> {
  if (drivers.length === 1) return drivers[0]!;
  // Keys that leave nothing to fetch are a part of the range's entries and cost less each: they beat the entries in time order.
  const free = drivers.filter((d) => !d.primary && residualOf(plan, d).value === null);
  if (free.length === 1) return free[0]!;
  if (free.length > 1) drivers = free;
  let best = drivers[0]!;
  let bestCost = Infinity;
  // Estimates not known from memory are independent LevelDB calls: asked together, not one after another.
  const estimates = await Promise.all(drivers.map((d) => d.estimate ?? estimateKeys(db, d, lo, hi)));
  for (const [i, d] of drivers.entries()) {
    const keys = estimates[i]!;
    const cost = keys * (d.primary ? 1 : KEY_COST + (residualOf(plan, d).value ? FETCH_COST : 0));
    if (cost < bestCost || (cost === bestCost && PRIORITY.indexOf(d.name) < PRIORITY.indexOf(best.name))) {
      best = d;
      bestCost = cost;
      plan.driverKeys = keys;
    }
  }
  return best;
}

export function residualOf(plan: Plan, d: Driver): Residual {
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
export function valueTest(q: RecordQuery, pattern: NumberPattern | null, satisfied: ReadonlySet<Condition>): Residual['value'] {
  const callType = q.callType;
  const level = q.level;
  const store = q.store === 'today' && satisfied.has('today') ? undefined : q.store;
  const lineNumber = satisfied.has('line') ? undefined : q.lineNumber;
  const number = pattern && !(pattern.kind === 'exact' && satisfied.has('number')) ? pattern : null;
  const summaryTest = callType !== undefined || level !== undefined || q.minDurationMs !== undefined || q.maxDurationMs !== undefined || store !== undefined;
  const fullTest = lineNumber !== undefined || number !== null;
  const callIds = q.callId !== undefined ? new Set([q.callId, `siprec:${q.callId}`]) : null;
  if (!summaryTest && !fullTest && !callIds) return null;
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
    if (callIds) {
      const id = textCallIdOf(value);
      if (id === null || !callIds.has(id)) return false;
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

export function decodeHit(plan: Plan, tail: Buffer, value: Uint8Array): RecordEntry {
  return decodeRecord(value, keyFieldsOfTail(tail, 0, !!plan.q.deleted));
}

// ------------------------------------------------------------------ reading a driver

/**
 * The driver's hits in [lo, hi] that pass every condition, in batches; with
 * `needValues` (or a residual the entries answer) each hit carries its entry.
 */
async function* matches(db: IndexReader, plan: Plan, d: Driver, res: Residual, lo: number, hi: number, reverse: boolean, needValues: boolean, firstBatch = 64): AsyncGenerator<Hit[]> {
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

export async function countMatches(db: IndexReader, plan: Plan, d: Driver, res: Residual, lo: number, hi: number): Promise<number> {
  let n = 0;
  for await (const hits of matches(db, plan, d, res, lo, hi, false, false, BATCH)) n += hits.length;
  return n;
}

/**
 * A page: up to `limit` matches newest first in [lo, hi] after skipping
 * `skip`; also how many were skipped. With `countAhead`, reading goes on for
 * up to that many batches of matches after the page is full, counting: when
 * that reaches the start of the range, `total` is every match in it (else
 * null), so a small range is read once for both. `firstRead`: how many of
 * the driver's keys the first read takes.
 */
export async function readPage(
  db: IndexReader, plan: Plan, d: Driver, res: Residual, lo: number, hi: number, skip: number, limit = plan.q.limit, countAhead = 0, firstRead?: number,
): Promise<{ items: RecordEntry[]; skipped: number; total: number | null }> {
  const page: Hit[] = [];
  let skipped = 0;
  if (limit <= 0 || lo > hi) return { items: [], skipped, total: lo > hi ? 0 : null };
  let after = 0;
  let ahead = 0;
  let exhausted = true;
  // The entries in time order are read with their values when tested anyway or when few are skipped; else a page fetches its own.
  const withValues = d.primary && (res.value !== null || skip <= 64);
  // The first read: what the caller expects to hold the page (from the statistics), else a guess.
  const first = firstRead ?? Math.min(BATCH, d.primary && res.value !== null ? Math.max(128, 4 * (limit + skip)) : limit + skip + 8);
  for await (const hits of matches(db, plan, d, res, lo, hi, true, withValues, first)) {
    const full = page.length >= limit;
    for (const h of hits) {
      if (skipped < skip) skipped++;
      else if (page.length < limit) page.push(h);
      else if (countAhead > 0) after++;
      else break;
    }
    if (page.length >= limit && (countAhead <= 0 || (full && ++ahead >= countAhead))) {
      exhausted = false;
      break;
    }
  }
  const missing = page.filter((h) => !h.value);
  if (missing.length) {
    const got = await db.getMany(missing.map((h) => primaryOfTail(h.tail, plan.prefix)));
    missing.forEach((h, i) => (h.value = got[i]));
  }
  const items = page.flatMap((h) => (h.value ? [decodeHit(plan, h.tail, h.value)] : []));
  return { items, skipped, total: exhausted ? skipped + page.length + after : null };
}

/** The start times of the first and last recording within the plan's range; null when none. */
export async function edgeTimes(db: IndexReader, plan: Plan): Promise<[number, number] | null> {
  const [first, last] = await Promise.all([edgeTime(db, plan, false), edgeTime(db, plan, true)]);
  return first === null ? null : [first, last ?? first];
}

export async function edgeTime(db: IndexReader, plan: Plan, reverse: boolean): Promise<number | null> {
  const keys = await db.keys({ gte: timeKey(plan.from, plan.prefix), lt: timeKey(plan.to + 1, plan.prefix), reverse, limit: 1 }).all();
  return keys.length ? timeOfKey(keys[0]!) : null;
}

