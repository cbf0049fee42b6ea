/**
 * Which channels had recordings in each month, and on which line numbers,
 * kept in memory from the channels' month statistics (call-stats.ts): loaded
 * when the index opens and changed with every month cell the index writes, so
 * it is exact whenever the cells are (they count live recordings, not those
 * marked deleted).
 *
 * A search learns from it without reading LevelDB the months holding
 * recordings at all, and the ports a channel number had recordings on.
 *
 * A search by line number (本机号码) reads the channel keys of the channels
 * that had the line in its months. A channel that had no other line in those
 * months is *pure*: every one of its recordings there is on the line, so its
 * keys answer the condition without fetching entries. A few hundred channels
 * over years take a few thousand small arrays.
 *
 * Each channel month also keeps how many recordings it had: the planner
 * compares a channel's keys with the box's entries (box-statistics.ts)
 * without asking LevelDB for estimates.
 */
import { countInCell, decodeCell, type StatsCell } from './call-stats.ts';
import { MONTH_STATS, periodOfStatsKey, prefixRange } from './record-keys.ts';
import type { IndexDb } from './index-batch.ts';

/** `<port byte:1> <channel:2>` as one number. */
const refOfKey = (k: Uint8Array) => (k[5]! << 16) | (k[6]! << 8) | k[7]!;

export interface LineRefs {
  /** Channel references `<port byte> <channel:2>` that had the line in the months. */
  refs: Buffer[];
  /** No other line was on any of them in those months. */
  pure: boolean;
}

/** What a channel's month cell says: its line numbers and how many live recordings it had. */
interface ChannelMonth {
  lines: string[];
  records: number;
}

export class ChannelDirectory {
  /** month → reference → its month. */
  private readonly months = new Map<number, Map<number, ChannelMonth>>();

  async load(db: IndexDb): Promise<void> {
    this.months.clear();
    const it = db.iterator(prefixRange(MONTH_STATS));
    try {
      for (let rows = await it.nextv(1024); rows.length; rows = await it.nextv(1024)) {
        for (const [k, v] of rows) this.setCell(k, decodeCell(v));
      }
    } finally {
      await it.close();
    }
  }

  /** A channel month cell as written (an empty cell: removed). Other cells are ignored. */
  setCell(key: Uint8Array, cell: StatsCell): void {
    if (key[0] !== MONTH_STATS || key.length !== 8) return;
    const month = periodOfStatsKey(key);
    const ref = refOfKey(key);
    const lines = [...new Set(cell.map((r) => String(r.group)))];
    let refs = this.months.get(month);
    if (!lines.length) {
      refs?.delete(ref);
      if (refs && !refs.size) this.months.delete(month);
      return;
    }
    if (!refs) this.months.set(month, (refs = new Map()));
    refs.set(ref, { lines, records: countInCell(cell, {}) });
  }

  /** The first and last months with recordings; null when there are none. */
  span(): [number, number] | null {
    if (!this.months.size) return null;
    let first = Infinity;
    let last = -Infinity;
    for (const m of this.months.keys()) {
      if (m < first) first = m;
      if (m > last) last = m;
    }
    return [first, last];
  }

  /** The port bytes of the references with channel number `channel` that had recordings in months m0..m1. */
  portsOf(channel: number, m0: number, m1: number): number[] {
    const found = new Set<number>();
    for (let m = m0; m <= m1; m++) {
      const refs = this.months.get(m);
      if (!refs) continue;
      for (const ref of refs.keys()) if ((ref & 0xffff) === channel) found.add(ref >> 16);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** The channels that had `line` in months m0..m1 (local months, inclusive). */
  refsOfLine(line: string, m0: number, m1: number): LineRefs {
    const found = new Map<number, boolean>();
    for (let m = m0; m <= m1; m++) {
      const refs = this.months.get(m);
      if (!refs) continue;
      for (const [ref, { lines }] of refs) if (lines.includes(line)) found.set(ref, true);
    }
    let pure = true;
    for (let m = m0; m <= m1 && pure; m++) {
      const refs = this.months.get(m);
      if (!refs) continue;
      for (const ref of found.keys()) {
        const lines = refs.get(ref)?.lines;
        if (lines && (lines.length > 1 || lines[0] !== line)) pure = false;
      }
    }
    const refs = [...found.keys()].sort((a, b) => a - b).map((r) => Buffer.from([r >> 16, (r >> 8) & 0xff, r & 0xff]));
    return { refs, pure };
  }

  /** Live recordings of the references (`<port byte> <channel:2>` keys) in months m0..m1, from their month cells. */
  recordsOf(refs: Buffer[], m0: number, m1: number): number {
    let n = 0;
    for (let m = m0; m <= m1; m++) {
      const month = this.months.get(m);
      if (!month) continue;
      for (const r of refs) n += month.get((r[0]! << 16) | (r[1]! << 8) | r[2]!)?.records ?? 0;
    }
    return n;
  }
}
