/**
 * The recording index in LevelDB (keys: record-keys.ts, values:
 * record-codec.ts). Every change of an entry also updates its search keys
 * (channel, important, remote number, not archived), its change-feed key
 * and the day and month statistics of its channel and of the box (counts,
 * and counts by number prefix) in the same atomic batch, so counts and keys
 * never disagree with the entries, whatever moment the power fails. Writes are applied one batch at a time, in the
 * order they were asked for. An index of an earlier format is converted when
 * opened: format 4 where it is (index-format4.ts), formats 2 and 3 into a
 * new index (index-conversion.ts).
 */
import { ClassicLevel } from 'classic-level';
import { applyToCell, applyToNumberCell, decodeCell, type StatsCell } from './call-stats.ts';
import { applyToNumberMonths, decodeNumberMonths } from './number-months.ts';
import { CALL_TYPES, decodeRecord, encodeRecord, feedSeqOf } from './record-codec.ts';
import { parseRecordId, type RecordEntry, type RecordIdParts } from './record-entry.ts';
import {
  DELETED, LIVE, PENDING_ARCHIVE, PENDING_PURGE, VERSION_KEY, boxStatsKey, channelKey, channelSummary, headKey, idOfKey, importantHead,
  keyOfId, numberKey, numberMonthsKey, partsOfKey, prefixRange, prefixStatsKey, recordKey, statsKey,
} from './record-keys.ts';
import { localDay, monthOfDay } from './local-day.ts';
import { feedKey, feedValue, nextSeqOf, readFeed, type FeedItem } from './change-feed.ts';
import { convertIfNeeded, finishInterruptedSwap, removeStaleConversion, type ConversionProgress } from './index-conversion.ts';
import { FORMAT_4, convertFormat4 } from './index-format4.ts';
import { FORMAT_5, convertFormat5 } from './index-format5.ts';

import { ChannelDirectory } from './channel-directory.ts';
import { BoxStatistics } from './box-statistics.ts';
import { Batch, DEFAULT_INDEX_OPTIONS, FORMAT_VERSION, PRESENT, writeCells, type Cells, type IndexDb, type IndexOptions } from './index-batch.ts';

export { Batch, DEFAULT_INDEX_OPTIONS, FORMAT_VERSION, type Cells, type IndexDb, type IndexOptions };

/** An index written by the first release (JSON entries under `r!<id>`). */
export class LegacyIndexError extends Error {
  constructor() {
    super('the index is in the first release\'s format');
  }
}

export class RecordIndex {
  readonly db: IndexDb;
  private writes: Promise<unknown> = Promise.resolve();

  readonly options: Required<IndexOptions>;
  /** The change feed's next sequence number (change-feed.ts). */
  private nextSeq = 1;
  /** The channels and line numbers of each month, for planning searches. */
  readonly channels = new ChannelDirectory();
  /** The box's day and month statistics, for search totals. */
  readonly boxStats = new BoxStatistics();

  /**
   * `onConversion`: told after each batch of a conversion run by `open()`
   * (an index of an earlier format), so a start-up that takes minutes shows
   * it is moving.
   */
  constructor(readonly location: string, options: IndexOptions = {}, private readonly hooks: { onConversion?: (p: ConversionProgress) => void } = {}) {
    this.options = { ...DEFAULT_INDEX_OPTIONS, ...options };
    this.db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', ...this.options });
  }

  /**
   * Opens the index; true when it was created just now (empty). An index of
   * format 2, 3 or 4 is converted first; a conversion cut short is resumed.
   */
  async open(): Promise<boolean> {
    await finishInterruptedSwap(this.location);
    await this.db.open();
    let version = (await this.db.get(VERSION_KEY))?.toString();
    if (version === undefined) {
      const any = await this.db.keys({ limit: 1 }).all();
      if (any.length) throw new LegacyIndexError();
      await this.db.put(VERSION_KEY, Buffer.from(FORMAT_VERSION));
      await this.loadMemory();
      return true;
    }
    const onBatch = this.hooks.onConversion;
    if (version === FORMAT_4) {
      await convertFormat4(this.db, onBatch);
      version = (await this.db.get(VERSION_KEY))?.toString();
    }
    if (version === FORMAT_5) {
      await convertFormat5(this.db, onBatch);
      version = (await this.db.get(VERSION_KEY))?.toString();
    }
    if (version !== FORMAT_VERSION) {
      await this.db.close();
      await convertIfNeeded(this.location, this.options, (location, options) => new RecordIndex(location, options), onBatch);
      await this.db.open();
      version = (await this.db.get(VERSION_KEY))?.toString();
    }
    if (version !== FORMAT_VERSION) throw new Error(`index format ${version} is not supported`);
    await removeStaleConversion(this.location);
    await this.loadMemory();
    return false;
  }

  /** What the index keeps in memory, from its keys (after a format too: an empty index, whose feed numbers go on growing). */
  private async loadMemory(): Promise<void> {
    this.nextSeq = Math.max(this.nextSeq, await nextSeqOf(this.db));
    await this.channels.load(this.db);
    await this.boxStats.load(this.db);
  }

  /**
   * Gives a recording's feed key the next sequence number, removing its
   * previous one (`previous`: the number its entry held, if any); returns
   * the number, for the entry.
   */
  private feedChange(batch: Batch, tail: Uint8Array, live: boolean, previous: number | null): number {
    const hex = Buffer.from(tail).toString('hex');
    const before = batch.feed.get(hex) ?? previous;
    if (before !== null) batch.del(feedKey(before));
    const seq = this.nextSeq++;
    batch.put(feedKey(seq), feedValue(tail, live));
    batch.feed.set(hex, seq);
    return seq;
  }

  /** Changes of the index after `cursor` (change-feed.ts), oldest first. */
  changesSince(cursor: number, limit: number, keep: (p: RecordIdParts) => boolean = () => true): Promise<{ items: FeedItem[]; last: number; more: boolean }> {
    return readFeed(this.db, cursor, limit, keep);
  }

  /** The last sequence number of the change feed (0 when empty). */
  get feedHead(): number {
    return this.nextSeq - 1;
  }

  async close(): Promise<void> {
    await this.writes.catch(() => undefined);
    await this.db.close();
  }

  /** Inserts or replaces an entry (idempotent: safe to repeat after a crash). */
  put(entry: RecordEntry): Promise<void> {
    return this.putMany([entry]);
  }

  /** Inserts or replaces entries in one atomic batch. */
  putMany(entries: readonly RecordEntry[]): Promise<void> {
    return this.serial(() => this.write(entries));
  }

  private async write(entries: readonly RecordEntry[]): Promise<void> {
    {
      const batch = new Batch();
      const cells: Cells = new Map();
      const seqs = new Map<string, number>();
      const existing = await this.lookup(entries.map((e) => e.id), seqs);
      for (const e of entries) {
        const old = existing.get(e.id);
        if (old) await this.unlink(batch, old, cells, old.deleted !== e.deleted);
        await this.link(batch, e, cells, seqs.get(e.id) ?? null);
        existing.set(e.id, e);
      }
      const written = writeCells(batch, cells);
      await batch.write(this.db);
      this.cellsWritten(written);
    }
  }

  /**
   * Writes entries known not to be in the index (a conversion, a fresh
   * build), without looking them up, in one batch with `more`. A caller
   * that is the index's only writer may keep `cells` from one call to the
   * next: only the cells changed are written.
   */
  appendNew(entries: readonly RecordEntry[], more: (batch: Batch) => void = () => undefined, cells: Cells = new Map()): Promise<void> {
    return this.serial(async () => {
      const batch = new Batch();
      for (const e of entries) await this.link(batch, e, cells, null);
      const written = writeCells(batch, cells);
      more(batch);
      await batch.write(this.db);
      this.cellsWritten(written);
    });
  }

  async get(id: string): Promise<RecordEntry | null> {
    return (await this.lookup([id])).get(id) ?? null;
  }

  /** Changes fields of an entry; null when there is no such entry. */
  update(id: string, change: (e: RecordEntry) => RecordEntry | Promise<RecordEntry>): Promise<RecordEntry | null> {
    // Read and write in one queued step, so concurrent changes compose.
    return this.serial(async () => {
      const e = await this.get(id);
      if (!e) return null;
      const next = await change({ ...e });
      await this.write([next]);
      return next;
    });
  }

  /**
   * First step of removing recordings for good: a pending-purge key per
   * entry, so a purge interrupted by a power loss is finished at the next start.
   */
  beginPurge(entries: readonly RecordEntry[]): Promise<void> {
    return this.serial(async () => {
      const batch = new Batch();
      for (const e of entries) {
        const p = parseRecordId(e.id);
        if (p) batch.put(recordKey(p, PENDING_PURGE), e.file ? Buffer.from(e.file) : PRESENT);
      }
      await batch.write(this.db);
    });
  }

  /** Last step of a purge: the entries, their keys and statistics go. */
  finishPurge(ids: readonly string[]): Promise<void> {
    return this.serial(async () => {
      const batch = new Batch();
      const cells: Cells = new Map();
      const seqs = new Map<string, number>();
      const existing = await this.lookup(ids, seqs);
      for (const id of ids) {
        const old = existing.get(id);
        if (old) {
          await this.unlink(batch, old, cells, true);
          this.feedChange(batch, recordKey(parseRecordId(id)!, LIVE).subarray(1), false, seqs.get(id) ?? null);
        }
        const k = keyOfId(id, PENDING_PURGE);
        if (k) batch.del(k);
      }
      const written = writeCells(batch, cells);
      await batch.write(this.db);
      this.cellsWritten(written);
    });
  }

  private cellsWritten(cells: { key: Buffer; cell: StatsCell }[]): void {
    for (const c of cells) {
      this.channels.setCell(c.key, c.cell);
      this.boxStats.setCell(c.key, c.cell);
    }
  }

  /** Purges begun and not finished: id and file path. */
  async pendingPurges(): Promise<{ id: string; file: string | null }[]> {
    const out: { id: string; file: string | null }[] = [];
    for await (const [key, value] of this.db.iterator(prefixRange(PENDING_PURGE))) {
      const id = idOfKey(key);
      // A recording without a file is marked PRESENT (earlier: an empty value).
      out.push({ id, file: value.length && !(value.length === 1 && value[0] === 0) ? value.toString() : null });
    }
    return out;
  }

  /** Ids of recordings not archived yet, oldest first. */
  async notArchived(limit: number): Promise<string[]> {
    const keys = await this.db.keys({ ...prefixRange(PENDING_ARCHIVE), limit }).all();
    return keys.map(idOfKey);
  }

  /** Serialises a step with the index's writes (maintenance uses it to read a consistent snapshot). */
  serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.writes.then(job, job);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** The entries of `ids` that are in the index; `seqs` gets their change-feed numbers. */
  private async lookup(ids: readonly string[], seqs?: Map<string, number>): Promise<Map<string, RecordEntry>> {
    const keys: Buffer[] = [];
    const valid: string[] = [];
    for (const id of ids) {
      const live = keyOfId(id, LIVE);
      const del = keyOfId(id, DELETED);
      if (!live || !del) continue;
      valid.push(id);
      keys.push(live, del);
    }
    const out = new Map<string, RecordEntry>();
    if (!keys.length) return out;
    const values = await this.db.getMany(keys);
    valid.forEach((id, i) => {
      const live = values[2 * i];
      const del = values[2 * i + 1];
      const value = live ?? del;
      if (!value) return;
      const key = keys[live ? 2 * i : 2 * i + 1]!;
      out.set(id, decodeRecord(value, { ...partsOfKey(key), deleted: !live }));
      const seq = seqs && feedSeqOf(value);
      if (seqs && seq !== null && seq !== undefined) seqs.set(id, seq);
    });
    return out;
  }

  /**
   * Adds an entry, its search keys and statistics to a batch (the entry must
   * not be in the index; `previous`: the feed number its earlier version held).
   */
  private async link(batch: Batch, e: RecordEntry, cells: Cells, previous: number | null): Promise<void> {
    const p = parseRecordId(e.id);
    if (!p) throw new RangeError(`invalid record id ${e.id}`);
    const key = recordKey(p, e.deleted ? DELETED : LIVE);
    const seq = this.feedChange(batch, key.subarray(1), !e.deleted, previous);
    batch.put(key, encodeRecord(e, folderDayOf(e), seq));
    if (e.deleted) return;
    for (const [k, v] of searchKeys(e, p)) batch.put(k, v);
    for (const c of await this.cellsOf(e, cells)) {
      if (c.months) applyToNumberMonths(c.months, e, 1);
      else c.cell = c.numbers ? applyToNumberCell(c.cell, e, 1) : applyToCell(c.cell, e, 1, c.box);
      c.dirty = true;
    }
  }

  private async unlink(batch: Batch, old: RecordEntry, cells: Cells, removeKey: boolean): Promise<void> {
    const p = parseRecordId(old.id)!;
    if (removeKey) batch.del(recordKey(p, old.deleted ? DELETED : LIVE));
    if (old.deleted) return;
    for (const [k] of searchKeys(old, p)) batch.del(k);
    for (const c of await this.cellsOf(old, cells)) {
      if (c.months) applyToNumberMonths(c.months, old, -1);
      else c.cell = c.numbers ? applyToNumberCell(c.cell, old, -1) : applyToCell(c.cell, old, -1, c.box);
      c.dirty = true;
    }
  }

  /**
   * The cells an entry counts in (channel, box, number prefix; day and
   * month) and its number's months, those not in `cells` read in one call.
   */
  private async cellsOf(e: RecordEntry, cells: Cells) {
    const day = localDay(e.startedAt);
    const month = monthOfDay(day);
    const wanted: { key: Buffer; box: boolean; numbers: boolean; months?: boolean }[] = [
      { key: statsKey('day', day, e), box: false, numbers: false },
      { key: statsKey('month', month, e), box: false, numbers: false },
      { key: boxStatsKey('day', day), box: true, numbers: false },
      { key: boxStatsKey('month', month), box: true, numbers: false },
    ];
    if (e.remoteNumber) {
      wanted.push(
        { key: prefixStatsKey('day', day), box: true, numbers: true },
        { key: prefixStatsKey('month', month), box: true, numbers: true },
        { key: numberMonthsKey(e.remoteNumber), box: false, numbers: false, months: true },
      );
    }
    const hexes = wanted.map((w) => w.key.toString('hex'));
    const missing = wanted.filter((_, i) => !cells.has(hexes[i]!));
    if (missing.length) {
      const values = await this.db.getMany(missing.map((w) => w.key));
      missing.forEach((w, i) => {
        const read = w.months
          ? { key: w.key, cell: [], box: false, months: decodeNumberMonths(values[i]), dirty: false }
          : { key: w.key, cell: decodeCell(values[i], w.box && !w.numbers), box: w.box, numbers: w.numbers, dirty: false };
        cells.set(w.key.toString('hex'), read);
      });
    }
    return hexes.map((h) => cells.get(h)!);
  }
}


/** The search keys of a live entry, with their values. */
export function searchKeys(e: RecordEntry, p: RecordIdParts): [Buffer, Buffer][] {
  const keys: [Buffer, Buffer][] = [[channelKey(p), channelSummary(CALL_TYPES.indexOf(e.callType), e.level === 'important')]];
  if (e.level === 'important') keys.push([headKey(importantHead(), p), PRESENT]);
  if (e.remoteNumber) keys.push([numberKey(e.remoteNumber, p), PRESENT]);
  if (!e.archived) keys.push([recordKey(p, PENDING_ARCHIVE), PRESENT]);
  return keys;
}

/** The day folder of an entry's file (`…/YYYY/MM/DD/<channel folder>/…`), else its local start day. */
export function folderDayOf(e: Pick<RecordEntry, 'file' | 'startedAt'>): number {
  const m = e.file ? /(\d{4})[/\\](\d{2})[/\\](\d{2})[/\\][^/\\]+[/\\][^/\\]+$/.exec(e.file) : null;
  if (!m) return localDay(e.startedAt);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}

/** Converts an index of an earlier format at `location` to the current one (what `open()` does first), reporting each batch. */
export async function convertIndex(location: string, options: IndexOptions = {}, onBatch?: (p: ConversionProgress) => void, round?: number): Promise<void> {
  await convertIfNeeded(location, options, (l, o) => new RecordIndex(l, o), onBatch, round);
  const db: IndexDb = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer', createIfMissing: false, ...options });
  await db.open();
  try {
    await convertFormat4(db, onBatch, round);
    await convertFormat5(db, onBatch, round);
  } finally {
    await db.close();
  }
}
