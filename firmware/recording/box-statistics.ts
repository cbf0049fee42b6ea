/**
 * The whole box's statistics cells (call-stats.ts), kept in memory: its day
 * and month counts by port, call type and level, and its day and month
 * counts by remote number prefix (the first NUMBER_PREFIX_LENGTH characters).
 * Loaded when the index opens and changed with every such cell the index
 * writes, after its batch, so they are exact whenever the cells are.
 * Searches whose totals these cells answer (a time range, with a call type,
 * a level, a port type, or a short number prefix) and pages that skip whole
 * days count from them without a LevelDB read. Three years are about 1,100
 * cells of each kind and 37 month cells, kept encoded: a few dozen bytes a
 * day for the counts, one or two kilobytes for the number prefixes.
 */
import { decodeCell, encodeCell, type StatsCell } from './call-stats.ts';
import { BOX_DAY_STATS, BOX_MONTH_STATS, PREFIX_DAY_STATS, PREFIX_MONTH_STATS, periodOfStatsKey, prefixRange, type StatsUnit } from './record-keys.ts';
import type { IndexDb } from './index-batch.ts';

/** Which cells: the box's counts, or its counts by number prefix. */
export type BoxCells = 'counts' | 'numbers';

const PREFIXES: Record<BoxCells, Record<StatsUnit, number>> = {
  counts: { day: BOX_DAY_STATS, month: BOX_MONTH_STATS },
  numbers: { day: PREFIX_DAY_STATS, month: PREFIX_MONTH_STATS },
};

export class BoxStatistics {
  /** Key prefix byte → period → encoded cell. */
  private readonly cells = new Map<number, Map<number, Buffer>>(
    Object.values(PREFIXES).flatMap((u) => Object.values(u)).map((p) => [p, new Map()]),
  );

  async load(db: IndexDb): Promise<void> {
    for (const [prefix, cells] of this.cells) {
      cells.clear();
      const it = db.iterator(prefixRange(prefix));
      try {
        for (let rows = await it.nextv(1024); rows.length; rows = await it.nextv(1024)) {
          for (const [k, v] of rows) if (k.length === 5) cells.set(periodOfStatsKey(k), Buffer.from(v));
        }
      } finally {
        await it.close();
      }
    }
  }

  /** A cell as written (an empty cell: removed). Cells of channels are ignored. */
  setCell(key: Uint8Array, cell: StatsCell): void {
    const cells = key.length === 5 ? this.cells.get(key[0]!) : undefined;
    if (!cells) return;
    if (cell.length) cells.set(periodOfStatsKey(key), encodeCell(cell));
    else cells.delete(periodOfStatsKey(key));
  }

  /** The cells of periods from..to (inclusive) that hold recordings, in period order. */
  range(unit: StatsUnit, from: number, to: number, which: BoxCells = 'counts'): [number, StatsCell][] {
    const cells = this.cells.get(PREFIXES[which][unit])!;
    const box = which === 'counts';
    const out: [number, StatsCell][] = [];
    if (to - from + 1 <= cells.size) {
      for (let p = from; p <= to; p++) {
        const v = cells.get(p);
        if (v) out.push([p, decodeCell(v, box)]);
      }
      return out;
    }
    for (const [p, v] of cells) if (p >= from && p <= to) out.push([p, decodeCell(v, box)]);
    return out.sort((a, b) => a[0] - b[0]);
  }
}
