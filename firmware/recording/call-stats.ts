/**
 * Statistics of one channel's day (manual 3.8 录音统计), kept in the index
 * and updated with every entry written or removed. A cell holds one row per
 * (line number, call type, level), so searches on those conditions can count
 * whole days without reading entries.
 */
import type { CallType, PortType, RecordLevel } from '../calls/call-types.ts';
import type { RecordEntry } from './record-entry.ts';

export interface StatsRow {
  lineNumber: string;
  callType: CallType;
  level: RecordLevel;
  /** Index entries (each part of a split call counts). */
  records: number;
  /** Calls: first parts only. */
  calls: number;
  /** Entries with audio (a missed call has none). */
  withAudio: number;
  durationMs: number;
}

export type StatsCell = StatsRow[];

export function decodeCell(value: Uint8Array | undefined): StatsCell {
  if (!value || value.length === 0) return [];
  return (JSON.parse(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')) as unknown[][]).map(
    ([lineNumber, callType, level, records, calls, withAudio, durationMs]) =>
      ({ lineNumber, callType, level, records, calls, withAudio, durationMs }) as StatsRow,
  );
}

export function encodeCell(cell: StatsCell): Buffer {
  return Buffer.from(JSON.stringify(cell.map((r) => [r.lineNumber, r.callType, r.level, r.records, r.calls, r.withAudio, r.durationMs])));
}

/** Adds (sign 1) or removes (sign -1) an entry's contribution; rows that reach zero disappear. */
export function applyToCell(cell: StatsCell, e: RecordEntry, sign: 1 | -1): StatsCell {
  let row = cell.find((r) => r.lineNumber === e.lineNumber && r.callType === e.callType && r.level === e.level);
  if (!row) {
    if (sign < 0) return cell;
    row = { lineNumber: e.lineNumber, callType: e.callType, level: e.level, records: 0, calls: 0, withAudio: 0, durationMs: 0 };
    cell.push(row);
  }
  row.records += sign;
  if (e.part <= 1) row.calls += sign;
  if (e.file) row.withAudio += sign;
  row.durationMs += sign * e.durationMs;
  return cell.filter((r) => r.records > 0);
}

/** Conditions a stats cell can answer on its own. */
export interface CellFilter {
  lineNumber?: string;
  callType?: CallType;
  level?: RecordLevel;
}

export function countInCell(cell: StatsCell, f: CellFilter): number {
  let n = 0;
  for (const r of cell) {
    if (f.lineNumber !== undefined && r.lineNumber !== f.lineNumber) continue;
    if (f.callType !== undefined && r.callType !== f.callType) continue;
    if (f.level !== undefined && r.level !== f.level) continue;
    n += r.records;
  }
  return n;
}

/** One line of the statistics page: a channel over a date range. */
export interface ChannelStats {
  portType: PortType;
  channel: number;
  incoming: number;
  outgoing: number;
  missed: number;
  recordings: number;
  durationMs: number;
}

export function addCellToStats(s: ChannelStats, cell: StatsCell): void {
  for (const r of cell) {
    if (r.callType === 'incoming-answered') s.incoming += r.calls;
    else if (r.callType === 'outgoing') s.outgoing += r.calls;
    else if (r.callType === 'incoming-missed') s.missed += r.calls;
    s.recordings += r.withAudio;
    s.durationMs += r.callType === 'incoming-missed' ? 0 : r.durationMs;
  }
}
