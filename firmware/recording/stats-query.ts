/**
 * Recording statistics (manual 3.8 录音统计) for any date range: per channel,
 * incoming, outgoing and missed calls, recordings and their total length,
 * summed from the index's month and day statistics (whole months are one
 * read each).
 */
import type { PortType } from '../calls/call-types.ts';
import { addCellToStats, decodeCell, type ChannelStats } from './call-stats.ts';
import { partsOfStatsKey, statsRange, type StatsUnit } from './record-keys.ts';
import type { RecordIndex } from './record-index.ts';
import { monthFirstDay, monthOfDay } from './local-day.ts';

export interface StatsQuery {
  fromDay: number;
  toDay: number;
  portType?: PortType;
  port?: number;
  channel?: number;
}

/** The ranges of whole months and leftover days covering fromDay..toDay. */
export function splitDays(fromDay: number, toDay: number): { unit: StatsUnit; from: number; to: number }[] {
  if (fromDay > toDay) return [];
  const m0 = monthFirstDay(monthOfDay(fromDay)) === fromDay ? monthOfDay(fromDay) : monthOfDay(fromDay) + 1;
  const m1 = monthFirstDay(monthOfDay(toDay) + 1) - 1 === toDay ? monthOfDay(toDay) : monthOfDay(toDay) - 1;
  if (m0 > m1) return [{ unit: 'day', from: fromDay, to: toDay }];
  return [
    { unit: 'day', from: fromDay, to: monthFirstDay(m0) - 1 },
    { unit: 'month', from: m0, to: m1 },
    { unit: 'day', from: monthFirstDay(m1 + 1), to: toDay },
  ].filter((r) => r.from <= r.to) as { unit: StatsUnit; from: number; to: number }[];
}

/** One row per channel reference that has anything in the range, ordered by port type, port and channel. */
export async function channelStats(index: RecordIndex, q: StatsQuery): Promise<ChannelStats[]> {
  const rows = new Map<string, ChannelStats>();
  for (const r of splitDays(q.fromDay, q.toDay)) {
    for await (const [k, v] of index.db.iterator(statsRange(r.unit, r.from, r.to))) {
      const p = partsOfStatsKey(k);
      if (q.portType !== undefined && p.portType !== q.portType) continue;
      if (q.port !== undefined && p.port !== q.port) continue;
      if (q.channel !== undefined && p.channel !== q.channel) continue;
      const id = `${p.portType}:${p.port}:${p.channel}`;
      let row = rows.get(id);
      if (!row) {
        row = { portType: p.portType, port: p.port, channel: p.channel, incoming: 0, outgoing: 0, missed: 0, recordings: 0, durationMs: 0 };
        rows.set(id, row);
      }
      addCellToStats(row, decodeCell(v));
    }
  }
  const order: PortType[] = ['analog', 'e1', 'voip'];
  return [...rows.values()].sort((a, b) => order.indexOf(a.portType) - order.indexOf(b.portType) || a.port - b.port || a.channel - b.channel);
}
