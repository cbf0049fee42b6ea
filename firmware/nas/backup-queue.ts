/**
 * The NAS backup queue, persisted in LevelDB (every write synced, so a kill
 * or a power loss loses nothing): per target, the recordings still to copy
 * in order, the ones copied and checked, the backup runs (automatic at
 * archive time or manual, with their counters, updated in the same batch as
 * each item), and the automatic backup's watermark.
 *
 * Keys: `q!<slot>!<seq>` → item; `i!<slot>!<id>` → seq (already queued);
 * `d!<slot>!<id>` → copied; `r!<run>` → run; `w!<slot>` → watermark; `m!seq`, `m!run`.
 */
import { ClassicLevel } from 'classic-level';

export interface QueueItem {
  seq: number;
  slot: number;
  id: string;
  run: number;
}

export interface CopiedMark {
  at: number;
  bytes: number;
  remote: string;
}

export type RunState = 'running' | 'done' | 'failed';

export interface BackupRun {
  id: number;
  slot: number;
  kind: 'auto' | 'manual';
  /** The recordings' start times covered. */
  from: number;
  to: number;
  total: number;
  done: number;
  /** Recordings gone from the box (deleted) before their turn. */
  skipped: number;
  /** Recordings whose file could not be read. */
  failed: number;
  bytes: number;
  createdAt: number;
  endedAt: number | null;
  state: RunState;
  /** Who asked (manual runs). */
  by: string;
}

export type ItemOutcome = { kind: 'done'; mark: CopiedMark } | { kind: 'skipped' } | { kind: 'failed' };

const SYNC = { sync: true } as const;
const pad = (n: number) => String(n).padStart(12, '0');

export class BackupQueue {
  private readonly db: ClassicLevel<string, string>;
  private seq = 0;
  private runSeq = 0;
  private readonly counts: number[] = [];
  private readonly runs = new Map<number, BackupRun>();
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(location: string) {
    this.db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
  }

  static async open(location: string, slots: number): Promise<BackupQueue> {
    const q = new BackupQueue(location);
    await q.db.open();
    q.seq = Number((await q.db.get('m!seq')) ?? 0);
    q.runSeq = Number((await q.db.get('m!run')) ?? 0);
    for (let s = 0; s < slots; s++) {
      let n = 0;
      for await (const _ of q.db.keys({ gt: `q!${s}!`, lt: `q!${s}!~` })) n++;
      q.counts[s] = n;
    }
    for await (const v of q.db.values({ gt: 'r!', lt: 'r!~', reverse: true, limit: 200 })) {
      const run = JSON.parse(v) as BackupRun;
      if (run.state === 'running') q.runs.set(run.id, run);
    }
    return q;
  }

  /** Recordings waiting on a target. */
  queued(slot: number): number {
    return this.counts[slot] ?? 0;
  }

  /** The runs still going (items queued) on a target, oldest first. */
  activeRuns(slot: number): BackupRun[] {
    return [...this.runs.values()].filter((r) => r.slot === slot).sort((a, b) => a.id - b.id);
  }

  /** The latest runs, newest first. */
  async recentRuns(limit: number, slot?: number): Promise<BackupRun[]> {
    const out: BackupRun[] = [];
    for await (const v of this.db.values({ gt: 'r!', lt: 'r!~', reverse: true })) {
      const r = JSON.parse(v) as BackupRun;
      if (slot === undefined || r.slot === slot) out.push(this.runs.get(r.id) ?? r);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * A new run with these recordings queued on the target (those already
   * queued there are left where they are and not counted); a run with
   * nothing to copy is done at once.
   */
  enqueue(slot: number, ids: readonly string[], run: Omit<BackupRun, 'id' | 'total' | 'done' | 'skipped' | 'failed' | 'bytes' | 'endedAt' | 'state'>): Promise<BackupRun> {
    return this.inTurn(async () => {
      const batch = this.db.batch();
      const id = ++this.runSeq;
      let total = 0;
      const seen = new Set<string>();
      for (const rid of ids) {
        if (seen.has(rid)) continue;
        seen.add(rid);
        if ((await this.db.get(`i!${slot}!${rid}`)) !== undefined) continue;
        const seq = ++this.seq;
        batch.put(`q!${slot}!${pad(seq)}`, JSON.stringify({ seq, slot, id: rid, run: id } satisfies QueueItem));
        batch.put(`i!${slot}!${rid}`, String(seq));
        total++;
      }
      const record: BackupRun = { ...run, id, slot, total, done: 0, skipped: 0, failed: 0, bytes: 0, endedAt: total ? null : run.createdAt, state: total ? 'running' : 'done' };
      batch.put(`r!${pad(id)}`, JSON.stringify(record));
      batch.put('m!seq', String(this.seq));
      batch.put('m!run', String(this.runSeq));
      await batch.write(SYNC);
      this.counts[slot] = (this.counts[slot] ?? 0) + total;
      if (total) this.runs.set(id, record);
      return record;
    });
  }

  /** The first items of a target's queue, in order. */
  async next(slot: number, limit: number): Promise<QueueItem[]> {
    const out: QueueItem[] = [];
    for await (const v of this.db.values({ gt: `q!${slot}!`, lt: `q!${slot}!~`, limit })) out.push(JSON.parse(v) as QueueItem);
    return out;
  }

  /** Removes an item with its outcome, counted in its run, in one synced batch. */
  complete(item: QueueItem, outcome: ItemOutcome, now: number): Promise<BackupRun | null> {
    return this.inTurn(async () => {
      const key = `q!${item.slot}!${pad(item.seq)}`;
      if ((await this.db.get(key)) === undefined) return null;
      const batch = this.db.batch().del(key).del(`i!${item.slot}!${item.id}`);
      if (outcome.kind === 'done') batch.put(`d!${item.slot}!${item.id}`, JSON.stringify(outcome.mark));
      const run = this.runs.get(item.run);
      let updated: BackupRun | null = null;
      if (run) {
        updated = { ...run, [outcome.kind]: run[outcome.kind] + 1, bytes: run.bytes + (outcome.kind === 'done' ? outcome.mark.bytes : 0) };
        if (updated.done + updated.skipped + updated.failed >= updated.total) {
          updated.state = updated.failed ? 'failed' : 'done';
          updated.endedAt = now;
        }
        batch.put(`r!${pad(run.id)}`, JSON.stringify(updated));
      }
      await batch.write(SYNC);
      this.counts[item.slot] = Math.max(0, (this.counts[item.slot] ?? 1) - 1);
      if (updated) {
        if (updated.state === 'running') this.runs.set(updated.id, updated);
        else this.runs.delete(updated.id);
      }
      return updated;
    });
  }

  /** Where a recording was copied on a target, if it was. */
  async copied(slot: number, id: string): Promise<CopiedMark | null> {
    const v = await this.db.get(`d!${slot}!${id}`);
    return v === undefined ? null : (JSON.parse(v) as CopiedMark);
  }

  async watermark(slot: number): Promise<number | null> {
    const v = await this.db.get(`w!${slot}`);
    return v === undefined ? null : Number(v);
  }

  async setWatermark(slot: number, t: number): Promise<void> {
    await this.db.put(`w!${slot}`, String(t), SYNC);
  }

  async close(): Promise<void> {
    await this.turn.catch(() => undefined);
    await this.db.close();
  }

  private inTurn<T>(job: () => Promise<T>): Promise<T> {
    const run = this.turn.then(job, job);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
