/**
 * Statistics of one channel's day or month (manual 3.8 录音统计), and of the
 * whole box's, kept in the index and updated with every entry written or
 * removed. A channel's cell holds one row per (line number, call type,
 * level); the box's cell one row per (port, call type, level). Searches on
 * those conditions count whole days and months from them without reading
 * entries.
 *
 * Cells are binary: varint row count, then per row its group (a channel
 * cell: the line number as varint length + UTF-8; a box cell: the port
 * byte), one byte `call type << 1 | important`, and varints records, calls,
 * recordings with audio, total duration ms.
 */
import type { CallType, PortType, RecordLevel } from '../calls/call-types.ts';
import type { RecordEntry } from './record-entry.ts';
import { CALL_TYPES } from './record-codec.ts';
import { portByte } from './record-keys.ts';

export interface Counts {
  /** Index entries (each part of a split call counts). */
  records: number;
  /** Calls: first parts only. */
  calls: number;
  /** Entries with audio (a missed call has none). */
  withAudio: number;
  durationMs: number;
}

export interface StatsRow extends Counts {
  /** A channel cell: the line number; a box cell: the port byte (record-keys `portByte`). */
  group: string | number;
  callType: CallType;
  level: RecordLevel;
}

export type StatsCell = StatsRow[];

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A varint at `at.o` (moved past it); `what` names the value in the error when it is cut short. */
export function readVarint(b: Uint8Array, at: { o: number }, what = 'statistics cell'): number {
  let v = 0;
  let scale = 1;
  for (;;) {
    if (at.o >= b.length) throw new RangeError(`${what} truncated`);
    const x = b[at.o++]!;
    v += (x & 0x7f) * scale;
    if (x < 0x80) return v;
    scale *= 0x80;
  }
}

export function pushVarint(out: number[], v: number, what = 'a statistics cell'): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot store ${v} in ${what}`);
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

/** A cell's rows; `box` tells a box cell (port groups) from a channel cell (line groups). */
export function decodeCell(value: Uint8Array | undefined, box = false): StatsCell {
  if (!value || value.length === 0) return [];
  const at = { o: 0 };
  const n = readVarint(value, at);
  const out: StatsCell = [];
  for (let i = 0; i < n; i++) {
    let group: string | number;
    if (box) group = value[at.o++]!;
    else {
      const len = readVarint(value, at);
      group = dec.decode(value.subarray(at.o, at.o + len));
      at.o += len;
    }
    const code = value[at.o++]!;
    const callType = CALL_TYPES[code >> 1];
    if (!callType) throw new RangeError('statistics cell holds an unknown call type');
    out.push({
      group, callType, level: code & 1 ? 'important' : 'normal',
      records: readVarint(value, at), calls: readVarint(value, at), withAudio: readVarint(value, at), durationMs: readVarint(value, at),
    });
  }
  return out;
}

export function encodeCell(cell: StatsCell): Buffer {
  const out: number[] = [];
  pushVarint(out, cell.length);
  for (const r of cell) {
    if (typeof r.group === 'number') out.push(r.group);
    else {
      const b = enc.encode(r.group);
      pushVarint(out, b.length);
      for (const x of b) out.push(x);
    }
    out.push((CALL_TYPES.indexOf(r.callType) << 1) | (r.level === 'important' ? 1 : 0));
    pushVarint(out, r.records);
    pushVarint(out, r.calls);
    pushVarint(out, r.withAudio);
    pushVarint(out, r.durationMs);
  }
  return Buffer.from(out);
}

/** Adds (sign 1) or removes (sign -1) an entry's contribution; rows that reach zero disappear. */
export function applyToCell(cell: StatsCell, e: RecordEntry, sign: 1 | -1, box = false): StatsCell {
  return applyToRow(cell, box ? portByte(e.portType, e.port) : e.lineNumber, e.callType, e.level, e, sign);
}

/**
 * Characters of a remote number that the box's number cells count by: a
 * search for a prefix this long or shorter is counted from them.
 */
export const NUMBER_PREFIX_LENGTH = 3;

export function numberPrefixOf(remoteNumber: string): string {
  return Array.from(remoteNumber).slice(0, NUMBER_PREFIX_LENGTH).join('');
}

/** A number cell: one row per number prefix (`group`), whatever the call type and level. */
export function applyToNumberCell(cell: StatsCell, e: RecordEntry, sign: 1 | -1): StatsCell {
  return applyToRow(cell, numberPrefixOf(e.remoteNumber), 'idle', 'normal', e, sign);
}

function applyToRow(cell: StatsCell, group: string | number, callType: CallType, level: RecordLevel, e: RecordEntry, sign: 1 | -1): StatsCell {
  let row = cell.find((r) => r.group === group && r.callType === callType && r.level === level);
  if (!row) {
    if (sign < 0) return cell;
    row = { group, callType, level, records: 0, calls: 0, withAudio: 0, durationMs: 0 };
    cell.push(row);
  }
  row.records += sign;
  if (e.part <= 1) row.calls += sign;
  if (e.file) row.withAudio += sign;
  row.durationMs += sign * Math.max(0, Math.round(e.durationMs));
  return cell.filter((r) => r.records > 0);
}

/** Conditions a stats cell can answer on its own (a box cell: ports; a channel cell: line numbers). */
export interface CellFilter {
  lineNumber?: string;
  /** A number cell's rows: those of prefixes starting with this one (NUMBER_PREFIX_LENGTH characters or fewer). */
  numberPrefix?: string;
  /** Port bytes a box cell's rows must be one of. */
  ports?: (b: number) => boolean;
  callType?: CallType;
  level?: RecordLevel;
}

export function countInCell(cell: StatsCell, f: CellFilter): number {
  let n = 0;
  for (const r of cell) {
    if (f.lineNumber !== undefined && r.group !== f.lineNumber) continue;
    if (f.numberPrefix !== undefined && !String(r.group).startsWith(f.numberPrefix)) continue;
    if (f.ports !== undefined && !f.ports(r.group as number)) continue;
    if (f.callType !== undefined && r.callType !== f.callType) continue;
    if (f.level !== undefined && r.level !== f.level) continue;
    n += r.records;
  }
  return n;
}

/** One line of the statistics page: a channel over a date range. */
export interface ChannelStats {
  portType: PortType;
  port: number;
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
