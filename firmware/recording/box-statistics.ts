/**
 * The whole box's day and month statistics cells (call-stats.ts), kept in
 * memory: loaded when the index opens and changed with every box cell the
 * index writes, after its batch, so they are exact whenever the cells are.
 * Searches whose totals the box's cells answer (a time range, with a call
 * type, a level or a port type) and pages that skip whole days count from
 * them without a LevelDB read. Three years are about 1,100 day cells and 37
 * month cells of a few dozen bytes each, kept encoded.
 */
import { decodeCell, encodeCell, type StatsCell } from './call-stats.ts';
import { BOX_DAY_STATS, BOX_MONTH_STATS, periodOfStatsKey, prefixRange, type StatsUnit } from './record-keys.ts';
import type { IndexDb } from './index-batch.ts';

export class BoxStatistics {
  private readonly cells: Record<StatsUnit, Map<number, Buffer>> = { day: new Map(), month: new Map() };

  async load(db: IndexDb): Promise<void> {
    for (const unit of ['day', 'month'] as const) {
      const cells = this.cells[unit];
      cells.clear();
      const it = db.iterator(prefixRange(unit === 'day' ? BOX_DAY_STATS : BOX_MONTH_STATS));
      try {
        for (let rows = await it.nextv(1024); rows.length; rows = await it.nextv(1024)) {
          for (const [k, v] of rows) cells.set(periodOfStatsKey(k), Buffer.from(v));
        }
      } finally {
        await it.close();
      }
    }
  }

  /** A cell as written (an empty cell: removed). Cells of channels are ignored. */
  setCell(key: Uint8Array, cell: StatsCell): void {
    if (key.length !== 5 || (key[0] !== BOX_DAY_STATS && key[0] !== BOX_MONTH_STATS)) return;
    const cells = this.cells[key[0] === BOX_DAY_STATS ? 'day' : 'month'];
    if (cell.length) cells.set(periodOfStatsKey(key), encodeCell(cell));
    else cells.delete(periodOfStatsKey(key));
  }

  /** The cells of periods from..to (inclusive) that hold recordings, in period order. */
  range(unit: StatsUnit, from: number, to: number): [number, StatsCell][] {
    const cells = this.cells[unit];
    const out: [number, StatsCell][] = [];
    if (to - from + 1 <= cells.size) {
      for (let p = from; p <= to; p++) {
        const v = cells.get(p);
        if (v) out.push([p, decodeCell(v, true)]);
      }
      return out;
    }
    for (const [p, v] of cells) if (p >= from && p <= to) out.push([p, decodeCell(v, true)]);
    return out.sort((a, b) => a[0] - b[0]);
  }
}
