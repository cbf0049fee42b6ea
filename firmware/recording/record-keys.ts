/**
 * Binary LevelDB keys of the recording index. All order newest-last, so
 * searches iterate in reverse for newest-first pages:
 *
 *   t <time:6> <port:1> <channel:1> <part:1>            a recording (value: record-codec)
 *   d <time:6> <port:1> <channel:1> <part:1>            a recording marked deleted
 *   n <month:2> <remote number> 00 <time:6> <port> <channel> <part>
 *                                                      by remote number within a calendar month (empty value)
 *   s <day:4> <port:1> <channel:1>                     statistics of a channel's day (call-stats)
 *   m <month:4> <port:1> <channel:1>                   the same for a calendar month
 *   p <time:6> <port> <channel> <part>                 a purge in progress (value: file path)
 *   a <time:6> <port> <channel> <part>                 a recording not archived yet (empty value)
 *   v                                                  index format version
 */
import type { PortType } from '../calls/call-types.ts';
import { PORT_TYPES } from './record-codec.ts';
import { idOfParts, parseRecordId, type RecordIdParts } from './record-entry.ts';

export const LIVE = 0x74; // 't'
export const DELETED = 0x64; // 'd'
export const NUMBER = 0x6e; // 'n'
export const DAY_STATS = 0x73; // 's'
export const MONTH_STATS = 0x6d; // 'm'
export const PENDING_PURGE = 0x70; // 'p'
export const PENDING_ARCHIVE = 0x61; // 'a'
export const VERSION_KEY = Buffer.from('v');

const TIME_MAX = 2 ** 48 - 1;
const DAY_BIAS = 2 ** 31; // days before 1970 stay ordered

function writeTail(b: Buffer, o: number, p: RecordIdParts): void {
  b.writeUIntBE(Math.min(Math.max(p.startedAt, 0), TIME_MAX), o, 6);
  b[o + 6] = PORT_TYPES.indexOf(p.portType);
  b[o + 7] = p.channel;
  b[o + 8] = p.part;
}

function readTail(b: Uint8Array, o: number): RecordIdParts {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return { startedAt: buf.readUIntBE(o, 6), portType: PORT_TYPES[b[o + 6]!] ?? 'analog', port: 0, channel: b[o + 7]!, part: b[o + 8]! };
}

/** The primary key of a recording (live or deleted). */
export function recordKey(p: RecordIdParts, prefix = LIVE): Buffer {
  const b = Buffer.alloc(10);
  b[0] = prefix;
  writeTail(b, 1, p);
  return b;
}

export function keyOfId(id: string, prefix = LIVE): Buffer | null {
  const p = parseRecordId(id);
  return p ? recordKey(p, prefix) : null;
}

/** Key parts of a primary, pending-purge or number key. */
export function partsOfKey(key: Uint8Array): RecordIdParts {
  return readTail(key, key[0] === NUMBER ? key.length - 9 : 1);
}

export function idOfKey(key: Uint8Array): string {
  return idOfParts(partsOfKey(key));
}

/** Time bound of a primary key range: every key of [from, to] lies in [timeKey(from), timeKey(to + 1)). */
export function timeKey(t: number, prefix = LIVE): Buffer {
  const b = Buffer.alloc(7);
  b[0] = prefix;
  b.writeUIntBE(Math.min(Math.max(t, 0), TIME_MAX), 1, 6);
  return b;
}

/**
 * Calendar month (UTC, months since January 1970) that groups number keys:
 * a prefix search over a few weeks reads one or two months of keys, not
 * every key of the prefix over the years.
 */
export function numberMonth(t: number): number {
  const d = new Date(t);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

function numberHead(month: number, number: Buffer, tail: number[]): Buffer {
  const b = Buffer.alloc(3 + number.length + tail.length);
  b[0] = NUMBER;
  b.writeUInt16BE(Math.min(Math.max(month, 0), 0xffff), 1);
  number.copy(b, 3);
  b.set(tail, 3 + number.length);
  return b;
}

export function numberKey(remoteNumber: string, p: RecordIdParts): Buffer {
  const num = Buffer.from(remoteNumber, 'latin1');
  const b = Buffer.alloc(3 + num.length + 1 + 9);
  numberHead(numberMonth(p.startedAt), num, [0]).copy(b);
  writeTail(b, 4 + num.length, p);
  return b;
}

/** Number keys of a month whose number starts with `prefix` (or equals it when exact). */
export function numberRange(prefix: string, exact: boolean, month: number): { gte: Buffer; lt: Buffer } {
  const num = Buffer.from(prefix, 'latin1');
  return { gte: numberHead(month, num, exact ? [0] : []), lt: numberHead(month, num, [exact ? 1 : 0xff]) };
}

/** Number keys of one exact number in a month, between two times. */
export function numberTimeRange(number: string, month: number, from: number, toExclusive: number): { gte: Buffer; lt: Buffer } {
  const num = Buffer.from(number, 'latin1');
  const t = (v: number) => {
    const b = Buffer.alloc(6);
    b.writeUIntBE(Math.min(Math.max(v, 0), TIME_MAX), 0, 6);
    return [0, ...b];
  };
  return { gte: numberHead(month, num, t(from)), lt: numberHead(month, num, t(toExclusive)) };
}

/** Start time in a number key. */
export function timeOfNumberKey(key: Uint8Array): number {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).readUIntBE(key.length - 9, 6);
}

export type StatsUnit = 'day' | 'month';
const statsPrefix = (unit: StatsUnit) => (unit === 'day' ? DAY_STATS : MONTH_STATS);

/** Statistics of a channel for one day or month (period: day or month number). */
export function statsKey(unit: StatsUnit, period: number, portType: PortType, channel: number): Buffer {
  const b = Buffer.alloc(7);
  b[0] = statsPrefix(unit);
  b.writeUInt32BE(period + DAY_BIAS, 1);
  b[5] = PORT_TYPES.indexOf(portType);
  b[6] = channel;
  return b;
}

/** Statistics keys of every channel for periods from..to (inclusive). */
export function statsRange(unit: StatsUnit, from: number, to: number): { gte: Buffer; lt: Buffer } {
  const k = (period: number) => {
    const b = Buffer.alloc(5);
    b[0] = statsPrefix(unit);
    b.writeUInt32BE(period + DAY_BIAS, 1);
    return b;
  };
  return { gte: k(from), lt: k(to + 1) };
}

export function partsOfStatsKey(key: Uint8Array): { period: number; portType: PortType; channel: number } {
  const buf = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { period: buf.readUInt32BE(1) - DAY_BIAS, portType: PORT_TYPES[key[5]!] ?? 'analog', channel: key[6]! };
}

/** Every key with a one-byte prefix. */
export function prefixRange(prefix: number): { gte: Buffer; lt: Buffer } {
  return { gte: Buffer.from([prefix]), lt: Buffer.from([prefix + 1]) };
}
