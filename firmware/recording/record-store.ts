/**
 * Changes to finished recordings that touch both the files and the index,
 * each in an order that a power loss cannot turn into an index entry without
 * its file or a file without its entry:
 * - level and delete marks: sidecar line, then the index entry;
 * - purge (清空已删除录音, disk maintenance): a pending-purge key per entry,
 *   the files, a sidecar line, then the entries; pending purges are finished
 *   at the next start.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RecordLevel } from '../calls/call-types.ts';
import { RecorderError } from '../errors.ts';
import type { RecordEntry } from './record-entry.ts';
import type { RecordIndex } from './record-index.ts';
import { queryRecords } from './record-query.ts';
import { appendEntry, appendPurge } from './sidecar.ts';
import { syncFolder } from './durable-files.ts';
import { NO_CUSTODY, recordCustody, type CustodyLedger } from './custody-hook.ts';

const PURGE_BATCH = 500;

export class RecordStore {
  constructor(
    readonly dataDir: string,
    readonly index: RecordIndex,
    /** Signs a statement of each change into the custody chain. */
    private readonly custody: CustodyLedger = NO_CUSTODY,
  ) {}

  /** `by`: who asked (for the custody chain), e.g. `admin@10.0.0.5`. */
  async setLevel(id: string, level: RecordLevel, by = 'system'): Promise<RecordEntry> {
    const e = await this.change(id, (e) => ({ ...e, level }));
    await recordCustody(this.custody, { kind: 'level', entry: e, by });
    return e;
  }

  /** Marks a recording deleted (it leaves searches) or restores it. */
  async markDeleted(id: string, deleted: boolean, by = 'system'): Promise<RecordEntry> {
    const e = await this.change(id, (e) => ({ ...e, deleted }));
    await recordCustody(this.custody, { kind: deleted ? 'deleted' : 'restored', entry: e, by });
    return e;
  }

  private async change(id: string, f: (e: RecordEntry) => RecordEntry): Promise<RecordEntry> {
    const next = await this.index.update(id, async (e) => {
      const n = f(e);
      await appendEntry(this.dataDir, n);
      return n;
    });
    if (!next) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${id}`);
    return next;
  }

  /** Removes every recording marked deleted, files and entries (清空已删除录音). Returns how many. */
  async purgeDeleted(by = 'system'): Promise<number> {
    let purged = 0;
    for (;;) {
      const { items } = await queryRecords(this.index, { deleted: true, limit: PURGE_BATCH, offset: 0 });
      if (!items.length) return purged;
      await this.purge(items, by);
      purged += items.length;
    }
  }

  /** Removes recordings for good: files first, entries last. */
  async purge(entries: readonly RecordEntry[], by = 'system'): Promise<void> {
    if (!entries.length) return;
    await this.index.beginPurge(entries);
    // The chain says who removed them before they go.
    await Promise.all(entries.map((entry) => recordCustody(this.custody, { kind: 'purged', entry, by })));
    const folders = new Set<string>();
    for (const e of entries) {
      if (e.file) {
        await fs.promises.rm(path.join(this.dataDir, e.file), { force: true });
        folders.add(path.dirname(path.join(this.dataDir, e.file)));
      }
      await appendPurge(this.dataDir, e);
    }
    for (const dir of folders) await syncFolder(dir).catch(() => undefined);
    await this.index.finishPurge(entries.map((e) => e.id));
  }

  /** Finishes purges a power loss interrupted. */
  async finishPendingPurges(): Promise<number> {
    const pending = await this.index.pendingPurges();
    if (!pending.length) return 0;
    for (const p of pending) {
      if (p.file) await fs.promises.rm(path.join(this.dataDir, p.file), { force: true });
      const e = await this.index.get(p.id);
      if (e) await appendPurge(this.dataDir, e);
    }
    await this.index.finishPurge(pending.map((p) => p.id));
    return pending.length;
  }
}
