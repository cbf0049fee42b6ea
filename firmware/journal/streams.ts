/**
 * Counting and paging over streams (journal-keys.ts): newest first, with an
 * offset or a cursor, in bounded memory. A query on one stream (no filter,
 * or one facet) counts from the per-hour counters and skips whole hours by
 * their counters, so its cost does not grow with the offset or the log. A
 * query on several facets scans the smallest of their streams over the time
 * range and checks the others in the facet key's value, never decoding an
 * entry that is not on the page.
 */
import type { ClassicLevel, Snapshot } from 'classic-level';
import {
  END_OF_TIME, HOUR_MS, clampTime, counterKey, cursorOf, facetMatcher, facetStream, hourOf, hourOfCounterKey, posOfKey, streamKey,
  timeBound, type Facet,
} from './journal-keys.ts';

export type JournalLevel = ClassicLevel<Buffer, Buffer>;
export type JournalBatch = ReturnType<JournalLevel['batch']>;
/** Reads of one query see one snapshot, so its total and its page agree. */
export interface ReadOptions {
  snapshot?: Snapshot;
}

const READ_BATCH = 1000;

/** Changes of stream counters gathered for one atomic batch. */
export class CounterDeltas {
  private readonly deltas = new Map<string, { key: Buffer; delta: number }>();

  add(stream: Buffer, time: number, delta: number): void {
    const key = counterKey(stream, hourOf(time));
    const id = key.toString('latin1');
    const d = this.deltas.get(id);
    if (d) d.delta += delta;
    else this.deltas.set(id, { key, delta });
  }

  /** Adds the new counter values to the batch (read from the database: call inside the write queue). */
  async apply(db: JournalLevel, batch: JournalBatch): Promise<void> {
    const list = [...this.deltas.values()].filter((d) => d.delta !== 0);
    if (!list.length) return;
    const values = await db.getMany(list.map((d) => d.key));
    list.forEach((d, i) => {
      const n = Math.max(0, (values[i]?.readUInt32BE(0) ?? 0) + d.delta);
      if (n === 0) batch.del(d.key);
      else {
        const v = Buffer.alloc(4);
        v.writeUInt32BE(n);
        batch.put(d.key, v);
      }
    });
  }
}

/** Times `from` (inclusive) to `to` (exclusive), in ms. */
export interface TimeRange {
  from: number;
  to: number;
}

/**
 * Called for each piece of a stream's range, newest first, with its number
 * of keys and its upper key bound; returns true to stop.
 */
type SegmentVisitor = (count: number, upper: () => Buffer) => boolean;

export async function countKeys(db: JournalLevel, gte: Buffer, lt: Buffer, ro: ReadOptions = {}): Promise<number> {
  const it = db.keys({ ...ro, gte, lt });
  let n = 0;
  try {
    for (let keys = await it.nextv(READ_BATCH); keys.length; keys = await it.nextv(READ_BATCH)) n += keys.length;
  } finally {
    await it.close();
  }
  return n;
}

function normalize(r: TimeRange): TimeRange {
  return { from: clampTime(r.from), to: Math.min(Math.max(0, Math.ceil(r.to)), END_OF_TIME) };
}

/** Visits the stream's keys in the range in pieces, newest first: partial hours counted by keys, whole hours by counters. */
async function walkSegments(db: JournalLevel, stream: Buffer, range: TimeRange, ro: ReadOptions, visit: SegmentVisitor): Promise<void> {
  const { from, to } = normalize(range);
  if (to <= from) return;
  const piece = async (a: number, b: number): Promise<boolean> => {
    const lt = timeBound(stream, b);
    return visit(await countKeys(db, timeBound(stream, a), lt, ro), () => lt);
  };
  const firstHour = Math.floor(from / HOUR_MS);
  const lastHour = Math.ceil(to / HOUR_MS) - 1;
  const firstFull = from % HOUR_MS === 0 ? firstHour : firstHour + 1;
  const lastFull = to % HOUR_MS === 0 ? lastHour : lastHour - 1;
  if (firstFull > lastFull) {
    await piece(from, to);
    return;
  }
  if (lastFull < lastHour && (await piece((lastFull + 1) * HOUR_MS, to))) return;
  const it = db.iterator({ ...ro, gte: counterKey(stream, firstFull), lte: counterKey(stream, lastFull), reverse: true });
  try {
    for (let rows = await it.nextv(READ_BATCH); rows.length; rows = await it.nextv(READ_BATCH)) {
      for (const [k, v] of rows) {
        if (visit(v.readUInt32BE(0), () => timeBound(stream, (hourOfCounterKey(k) + 1) * HOUR_MS))) return;
      }
    }
  } finally {
    await it.close();
  }
  if (firstFull > firstHour) await piece(from, firstFull * HOUR_MS);
}

/** Number of keys of a stream in a time range. */
export async function countStream(db: JournalLevel, stream: Buffer, range: TimeRange, ro: ReadOptions = {}): Promise<number> {
  let n = 0;
  await walkSegments(db, stream, range, ro, (count) => {
    n += count;
    return false;
  });
  return n;
}

export interface PageRequest extends TimeRange {
  limit: number;
  offset: number;
  /** Position of the last entry of the previous page; the page starts after it. */
  cursor: Buffer | null;
}

export interface PositionPage {
  total: number;
  /** Positions of the page's entries, newest first. */
  positions: Buffer[];
  /** Cursor of the next page; null on the last page. */
  next: string | null;
}

/**
 * A page of the entries of `all` (the stream of every entry) holding every
 * facet in `facets` (facet keys under `facetKind`), newest first.
 */
export async function queryPage(
  db: JournalLevel, all: Buffer, facetKind: number, facets: readonly Facet[], req: PageRequest, ro: ReadOptions = {},
): Promise<PositionPage> {
  const streams = facets.length ? facets.map((f) => facetStream(facetKind, f)) : [all];
  if (streams.length === 1) return singleStreamPage(db, streams[0]!, req, ro);
  const counts = await Promise.all(streams.map((s) => countStream(db, s, req, ro)));
  const smallest = counts.indexOf(Math.min(...counts));
  if (counts[smallest] === 0) return { total: 0, positions: [], next: null };
  return scanPage(db, streams[smallest]!, facetMatcher(facets), req, ro);
}

async function singleStreamPage(db: JournalLevel, stream: Buffer, req: PageRequest, ro: ReadOptions): Promise<PositionPage> {
  const total = await countStream(db, stream, req, ro);
  const { from, to } = normalize(req);
  const gte = timeBound(stream, from);
  let lt = timeBound(stream, to);
  let skip = 0;
  if (req.cursor) {
    const c = streamKey(stream, req.cursor);
    if (Buffer.compare(c, lt) < 0) lt = c;
  } else if (req.offset > 0) {
    let left = req.offset;
    let found = false;
    await walkSegments(db, stream, req, ro, (count, upper) => {
      if (left < count) {
        lt = upper();
        found = true;
        return true;
      }
      left -= count;
      return false;
    });
    if (!found) return { total, positions: [], next: null };
    skip = left;
  }
  const positions: Buffer[] = [];
  const it = db.keys({ ...ro, gte, lt, reverse: true });
  try {
    for (let keys = await it.nextv(READ_BATCH); keys.length && positions.length <= req.limit; keys = await it.nextv(READ_BATCH)) {
      for (const k of keys) {
        if (skip > 0) skip--;
        else if (positions.length <= req.limit) positions.push(Buffer.from(posOfKey(k)));
      }
    }
  } finally {
    await it.close();
  }
  return finish(total, positions, req.limit);
}

function finish(total: number, positions: Buffer[], limit: number): PositionPage {
  const more = positions.length > limit;
  const page = positions.slice(0, limit);
  return { total, positions: page, next: more && page.length ? cursorOf(page[page.length - 1]!) : null };
}

/** Scans a stream over the range, newest first, keeping the keys whose value passes `match`. */
async function scanPage(
  db: JournalLevel, stream: Buffer, match: (value: Buffer) => boolean, req: PageRequest, ro: ReadOptions,
): Promise<PositionPage> {
  const { from, to } = normalize(req);
  const it = db.iterator({ ...ro, gte: timeBound(stream, from), lt: timeBound(stream, to), reverse: true });
  let total = 0;
  const positions: Buffer[] = [];
  try {
    for (let rows = await it.nextv(READ_BATCH); rows.length; rows = await it.nextv(READ_BATCH)) {
      for (const [k, v] of rows) {
        if (!match(v)) continue;
        const p = posOfKey(k);
        const onPage = req.cursor ? Buffer.compare(p, req.cursor) < 0 : total >= req.offset;
        total++;
        if (onPage && positions.length <= req.limit) positions.push(Buffer.from(p));
      }
    }
  } finally {
    await it.close();
  }
  return finish(total, positions, req.limit);
}
