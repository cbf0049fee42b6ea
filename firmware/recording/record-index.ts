/**
 * The recording index in LevelDB (keys: record-keys.ts, values:
 * record-codec.ts). Every change of an entry also updates the remote-number
 * keys and its channel's day statistics in the same atomic batch, so counts
 * and keys never disagree with the entries, whatever moment the power fails.
 * Writes are applied one batch at a time, in the order they were asked for.
 */
import { ClassicLevel } from 'classic-level';
import { applyToCell, decodeCell, encodeCell, type StatsCell } from './call-stats.ts';
import { decodeRecord, encodeRecord, numberSpans } from './record-codec.ts';
import { parseRecordId, type RecordEntry } from './record-entry.ts';
import {
  DELETED, LIVE, NUMBER, PENDING_ARCHIVE, PENDING_PURGE, VERSION_KEY, idOfKey, keyOfId, numberKey, partsOfKey, prefixRange, recordKey, statsKey,
} from './record-keys.ts';
import { localDay, monthOfDay } from './local-day.ts';

export type IndexDb = ClassicLevel<Buffer, Buffer>;
const FORMAT_VERSION = '3';

type Batch = ReturnType<IndexDb['batch']>;

/** An index written by the first release (JSON entries under `r!<id>`). */
export class LegacyIndexError extends Error {
  constructor() {
    super('the index is in the first release\'s format');
  }
}

export class RecordIndex {
  readonly db: IndexDb;
  private writes: Promise<unknown> = Promise.resolve();

  constructor(readonly location: string) {
    this.db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  }

  /** Opens the index; true when it was created just now (empty). */
  async open(): Promise<boolean> {
    await this.db.open();
    const version = await this.db.get(VERSION_KEY);
    if (version === undefined) {
      const any = await this.db.keys({ limit: 1 }).all();
      if (any.length) throw new LegacyIndexError();
      await this.db.put(VERSION_KEY, Buffer.from(FORMAT_VERSION));
      return true;
    }
    if (version.toString() === '2') await this.regroupNumberKeys();
    else if (version.toString() !== FORMAT_VERSION) throw new Error(`index format ${version.toString()} is not supported`);
    return false;
  }

  /** Format 2 to 3: number keys grouped by month; rewritten from the entries, then the version. */
  private async regroupNumberKeys(): Promise<void> {
    await this.db.clear(prefixRange(NUMBER));
    const it = this.db.iterator(prefixRange(LIVE));
    try {
      for (let entries = await it.nextv(2000); entries.length; entries = await it.nextv(2000)) {
        const batch = this.db.batch();
        for (const [k, v] of entries) {
          const [, , r0, r1] = numberSpans(v);
          if (r1 > r0) batch.put(numberKey(Buffer.from(v.subarray(r0, r1)).toString('latin1'), partsOfKey(k)), Buffer.alloc(0));
        }
        await batch.write();
      }
    } finally {
      await it.close();
    }
    await this.db.put(VERSION_KEY, Buffer.from(FORMAT_VERSION));
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
      const batch = this.db.batch();
      const cells = new Map<string, { key: Buffer; cell: StatsCell }>();
      const existing = await this.lookup(entries.map((e) => e.id));
      for (const e of entries) {
        const old = existing.get(e.id);
        if (old) await this.unlink(batch, old, cells, old.deleted !== e.deleted);
        await this.link(batch, e, cells);
        existing.set(e.id, e);
      }
      for (const { key, cell } of cells.values()) {
        if (cell.length) batch.put(key, encodeCell(cell));
        else batch.del(key);
      }
      await batch.write();
    }
  }

  async get(id: string): Promise<RecordEntry | null> {
    return (await this.lookup([id])).get(id) ?? null;
  }

  /** Changes fields of an entry; null when there is no such entry. */
  update(id: string, change: (e: RecordEntry) => RecordEntry): Promise<RecordEntry | null> {
    // Read and write in one queued step, so concurrent changes compose.
    return this.serial(async () => {
      const e = await this.get(id);
      if (!e) return null;
      const next = change({ ...e });
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
      const batch = this.db.batch();
      for (const e of entries) {
        const p = parseRecordId(e.id);
        if (p) batch.put(recordKey(p, PENDING_PURGE), Buffer.from(e.file ?? ''));
      }
      await batch.write();
    });
  }

  /** Last step of a purge: the entries, their keys and statistics go. */
  finishPurge(ids: readonly string[]): Promise<void> {
    return this.serial(async () => {
      const batch = this.db.batch();
      const cells = new Map<string, { key: Buffer; cell: StatsCell }>();
      const existing = await this.lookup(ids);
      for (const id of ids) {
        const old = existing.get(id);
        if (old) await this.unlink(batch, old, cells, true);
        const k = keyOfId(id, PENDING_PURGE);
        if (k) batch.del(k);
      }
      for (const { key, cell } of cells.values()) {
        if (cell.length) batch.put(key, encodeCell(cell));
        else batch.del(key);
      }
      await batch.write();
    });
  }

  /** Purges begun and not finished: id and file path. */
  async pendingPurges(): Promise<{ id: string; file: string | null }[]> {
    const out: { id: string; file: string | null }[] = [];
    for await (const [key, value] of this.db.iterator(prefixRange(PENDING_PURGE))) {
      const id = idOfKey(key);
      out.push({ id, file: value.length ? value.toString() : null });
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

  private async lookup(ids: readonly string[]): Promise<Map<string, RecordEntry>> {
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
    });
    return out;
  }

  private async link(batch: Batch, e: RecordEntry, cells: Map<string, { key: Buffer; cell: StatsCell }>): Promise<void> {
    const p = parseRecordId(e.id);
    if (!p) throw new RangeError(`invalid record id ${e.id}`);
    batch.put(recordKey(p, e.deleted ? DELETED : LIVE), encodeRecord(e, folderDayOf(e)));
    if (e.deleted) return;
    if (e.remoteNumber) batch.put(numberKey(e.remoteNumber, p), Buffer.alloc(0));
    if (!e.archived) batch.put(recordKey(p, PENDING_ARCHIVE), Buffer.alloc(0));
    for (const c of await this.cellsOf(e, cells)) c.cell = applyToCell(c.cell, e, 1);
  }

  private async unlink(batch: Batch, old: RecordEntry, cells: Map<string, { key: Buffer; cell: StatsCell }>, removeKey: boolean): Promise<void> {
    const p = parseRecordId(old.id)!;
    if (removeKey) batch.del(recordKey(p, old.deleted ? DELETED : LIVE));
    if (old.deleted) return;
    if (old.remoteNumber) batch.del(numberKey(old.remoteNumber, p));
    if (!old.archived) batch.del(recordKey(p, PENDING_ARCHIVE));
    for (const c of await this.cellsOf(old, cells)) c.cell = applyToCell(c.cell, old, -1);
  }

  private async cellsOf(e: RecordEntry, cells: Map<string, { key: Buffer; cell: StatsCell }>) {
    const day = localDay(e.startedAt);
    return [
      await this.cellOf(statsKey('day', day, e.portType, e.channel), cells),
      await this.cellOf(statsKey('month', monthOfDay(day), e.portType, e.channel), cells),
    ];
  }

  private async cellOf(key: Buffer, cells: Map<string, { key: Buffer; cell: StatsCell }>) {
    const hex = key.toString('hex');
    let c = cells.get(hex);
    if (!c) {
      c = { key, cell: decodeCell(await this.db.get(key)) };
      cells.set(hex, c);
    }
    return c;
  }
}

/** The day folder of an entry's file (`…/YYYY/MM/DD/chNN/…`), else its local start day. */
export function folderDayOf(e: Pick<RecordEntry, 'file' | 'startedAt'>): number {
  const m = e.file ? /(\d{4})[/\\](\d{2})[/\\](\d{2})[/\\]ch\d+/.exec(e.file) : null;
  if (!m) return localDay(e.startedAt);
  return Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 86_400_000);
}
