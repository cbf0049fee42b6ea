/**
 * The statistics of the box (manual 3.8 录音统计) as a series for charts: one
 * point per day or month of a range, incoming, outgoing and missed calls and
 * the recorded length, read from the box's day or month cells (one per
 * period), optionally for one port type.
 */
import type { PortType } from '../calls/call-types.ts';
import { addCellToStats, decodeCell, type ChannelStats } from './call-stats.ts';
import { partsOfStatsKey, periodOfStatsKey, refOfBytes, statsRange, type StatsUnit } from './record-keys.ts';
import { refKey } from '../ports/channel-ref.ts';
import type { RecordIndex } from './record-index.ts';

export interface SeriesPoint {
  /** Day number (local-day.ts) or month number (months since January 1970). */
  period: number;
  incoming: number;
  outgoing: number;
  missed: number;
  recordedMs: number;
}

/** Every period from..to, in order, zero where nothing was recorded. */
export async function statsSeries(index: RecordIndex, unit: StatsUnit, from: number, to: number, portType?: PortType): Promise<SeriesPoint[]> {
  const sums = new Map<number, ChannelStats>();
  for await (const [k, v] of index.db.iterator(statsRange(unit, from, to, true))) {
    const period = periodOfStatsKey(k);
    let cell = decodeCell(v, true);
    if (portType !== undefined) cell = cell.filter((r) => refOfBytes(r.group as number, 0).portType === portType);
    let s = sums.get(period);
    if (!s) {
      s = { portType: portType ?? 'analog', port: 0, channel: 0, incoming: 0, outgoing: 0, missed: 0, recordings: 0, durationMs: 0 };
      sums.set(period, s);
    }
    addCellToStats(s, cell);
  }
  const out: SeriesPoint[] = [];
  for (let p = from; p <= to; p++) {
    const s = sums.get(p);
    out.push({ period: p, incoming: s?.incoming ?? 0, outgoing: s?.outgoing ?? 0, missed: s?.missed ?? 0, recordedMs: s?.durationMs ?? 0 });
  }
  return out;
}

/** The same series summed over a set of channels (by refKey) from their own day or month cells. */
export async function statsSeriesOf(index: RecordIndex, unit: StatsUnit, from: number, to: number, refs: ReadonlySet<string>, portType?: PortType): Promise<SeriesPoint[]> {
  const sums = new Map<number, ChannelStats>();
  for await (const [k, v] of index.db.iterator(statsRange(unit, from, to))) {
    const p = partsOfStatsKey(k);
    if (!refs.has(refKey(p)) || (portType !== undefined && p.portType !== portType)) continue;
    let s = sums.get(p.period);
    if (!s) {
      s = { portType: p.portType, port: 0, channel: 0, incoming: 0, outgoing: 0, missed: 0, recordings: 0, durationMs: 0 };
      sums.set(p.period, s);
    }
    addCellToStats(s, decodeCell(v));
  }
  const out: SeriesPoint[] = [];
  for (let p = from; p <= to; p++) {
    const s = sums.get(p);
    out.push({ period: p, incoming: s?.incoming ?? 0, outgoing: s?.outgoing ?? 0, missed: s?.missed ?? 0, recordedMs: s?.durationMs ?? 0 });
  }
  return out;
}
