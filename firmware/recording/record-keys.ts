/**
 * Binary LevelDB keys of the recording index (format 6). Every key of a
 * recording ends in its tail `<time:6> <ref:3> <part:1>` (start ms, channel
 * reference, part), so any key space orders by time and "condition + time
 * range, newest first" is one reverse range read. The channel reference is
 * packed in three bytes: `<port type:2 bits | port:6 bits> <channel:16>`.
 *
 *   t tail                                   a recording (value: record-codec)
 *   d tail                                   a recording marked deleted (value: record-codec)
 *   c <channel:2> <type|port:1> <time:6> <part:1>   by channel (then port), time
 *                                            (value: one byte, call type << 1 | important)
 *   i tail                                   important recordings
 *   n <month:2> <remote number> 00 tail      by remote number within a calendar month (UTC)
 *   N <remote number>                        the months holding a number's keys, with their counts (number-months.ts)
 *   a tail                                   not archived yet (today's recordings)
 *   p tail                                   a purge in progress (value: file path)
 *   s <day:4> <ref:3>   m <month:4> <ref:3>  statistics of a channel's day / month (call-stats)
 *   S <day:4>           M <month:4>          statistics of the whole box's day / month
 *   P <day:4>           Q <month:4>          the box's recordings by remote number prefix (first three characters)
 *   f <seq:8>                                the change feed (change-feed.ts)
 *   v                                        index format version
 *
 * Search keys (c i n a) exist for live recordings only. Keys sharing a
 * condition share their leading bytes, which LevelDB stores once per run of
 * keys in a block.
 */
import { PORT_TYPES, type ChannelRef, type PortType } from '../ports/channel-ref.ts';
import { idOfParts, parseRecordId, type RecordIdParts } from './record-entry.ts';

export const LIVE = 0x74; // 't'
export const DELETED = 0x64; // 'd'
export const BY_CHANNEL = 0x63; // 'c'
export const IMPORTANT = 0x69; // 'i'
export const NUMBER = 0x6e; // 'n'
export const PENDING_ARCHIVE = 0x61; // 'a'
export const PENDING_PURGE = 0x70; // 'p'
export const DAY_STATS = 0x73; // 's'
export const MONTH_STATS = 0x6d; // 'm'
export const BOX_DAY_STATS = 0x53; // 'S'
export const BOX_MONTH_STATS = 0x4d; // 'M'
export const PREFIX_DAY_STATS = 0x50; // 'P'
export const PREFIX_MONTH_STATS = 0x51; // 'Q'
export const NUMBER_MONTHS = 0x4e; // 'N'
export const VERSION_KEY = Buffer.from('v');

export const TAIL = 10;
const TIME_MAX = 2 ** 48 - 1;
const DAY_BIAS = 2 ** 31; // days before 1970 stay ordered

const clampTime = (t: number) => Math.min(Math.max(t, 0), TIME_MAX);

/** The byte naming a port: port type in the top two bits, port number below. */
export function portByte(portType: PortType, port: number): number {
  return (PORT_TYPES.indexOf(portType) << 6) | (port & 0x3f);
}

export function refOfBytes(b: number, channel: number): ChannelRef {
  return { portType: portTypeOfByte(b), port: b & 0x3f, channel };
}

/** The port type a port byte names (its top two bits). */
function portTypeOfByte(b: number): PortType {
  return PORT_TYPES[b >> 6] ?? 'analog';
}

function writeTail(b: Buffer, o: number, p: RecordIdParts): void {
  b.writeUIntBE(clampTime(p.startedAt), o, 6);
  b[o + 6] = portByte(p.portType, p.port);
  b.writeUInt16BE(p.channel, o + 7);
  b[o + 9] = p.part;
}

export function partsOfTail(b: Uint8Array, o = 0): RecordIdParts {
  const portB = b[o + 6]!;
  return { startedAt: tailTime(b, o), portType: portTypeOfByte(portB), port: portB & 0x3f, channel: (b[o + 7]! << 8) | b[o + 8]!, part: b[o + 9]! };
}

/** The parts of a tail and whether the recording is marked deleted: what an entry's value does not hold (record-codec.ts). */
export function keyFieldsOfTail(b: Uint8Array, o: number, deleted: boolean): RecordIdParts & { deleted: boolean } {
  const portB = b[o + 6]!;
  return { startedAt: tailTime(b, o), portType: portTypeOfByte(portB), port: portB & 0x3f, channel: (b[o + 7]! << 8) | b[o + 8]!, part: b[o + 9]!, deleted };
}

/** The 48-bit start time at the head of a tail. */
function tailTime(b: Uint8Array, o: number): number {
  return (b[o]! * 2 ** 8 + b[o + 1]!) * 2 ** 32 + b[o + 2]! * 2 ** 24 + ((b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!);
}

/** The tail of any recording key (for a channel key, rearranged into the common order). */
export function tailOfKey(key: Uint8Array): Buffer {
  if (key[0] === BY_CHANNEL) {
    const b = Buffer.allocUnsafe(TAIL);
    b.set(key.subarray(4, 10), 0);
    b[6] = key[3]!;
    b[7] = key[1]!;
    b[8] = key[2]!;
    b[9] = key[10]!;
    return b;
  }
  return Buffer.from(key.subarray(key.length - TAIL));
}

/** Key parts of any recording key. */
export function partsOfKey(key: Uint8Array): RecordIdParts {
  return key[0] === BY_CHANNEL ? partsOfTail(tailOfKey(key)) : partsOfTail(key, key.length - TAIL);
}

export function idOfKey(key: Uint8Array): string {
  return idOfParts(partsOfKey(key));
}

/** Start time of any recording key. */
export function timeOfKey(key: Uint8Array): number {
  const buf = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return key[0] === BY_CHANNEL ? buf.readUIntBE(4, 6) : buf.readUIntBE(key.length - TAIL, 6);
}

/** A key of a one-byte space followed by a tail (primary, deleted, pending, important). */
export function recordKey(p: RecordIdParts, prefix = LIVE): Buffer {
  const b = Buffer.allocUnsafe(1 + TAIL);
  b[0] = prefix;
  writeTail(b, 1, p);
  return b;
}

export function primaryOfTail(tail: Uint8Array, prefix = LIVE): Buffer {
  const b = Buffer.allocUnsafe(1 + TAIL);
  b[0] = prefix;
  b.set(tail, 1);
  return b;
}

export function keyOfId(id: string, prefix = LIVE): Buffer | null {
  const p = parseRecordId(id);
  return p ? recordKey(p, prefix) : null;
}

/** The bytes before the time in a channel key: all of one channel reference. */
export function channelHead(channel: number, portB?: number): Buffer {
  const b = Buffer.allocUnsafe(portB === undefined ? 3 : 4);
  b[0] = BY_CHANNEL;
  b.writeUInt16BE(channel, 1);
  if (portB !== undefined) b[3] = portB;
  return b;
}

export function channelKey(p: RecordIdParts): Buffer {
  const b = Buffer.allocUnsafe(11);
  channelHead(p.channel, portByte(p.portType, p.port)).copy(b);
  b.writeUIntBE(clampTime(p.startedAt), 4, 6);
  b[10] = p.part;
  return b;
}

/** A key `<head> tail`. */
export function headKey(head: Uint8Array, p: RecordIdParts): Buffer {
  const b = Buffer.allocUnsafe(head.length + TAIL);
  b.set(head, 0);
  writeTail(b, head.length, p);
  return b;
}

export const importantHead = () => Buffer.from([IMPORTANT]);

/** The value of a channel key: what a search on the channel most often also tests. */
export function channelSummary(callTypeIdx: number, important: boolean): Buffer {
  return Buffer.from([(callTypeIdx << 1) | (important ? 1 : 0)]);
}

/** Keys of a head between two times: [from, to] inclusive. */
export function timeRange(head: Uint8Array, from: number, to: number): { gte: Buffer; lt: Buffer } {
  const k = (t: number) => {
    const b = Buffer.allocUnsafe(head.length + 6);
    b.set(head, 0);
    b.writeUIntBE(clampTime(t), head.length, 6);
    return b;
  };
  return { gte: k(from), lt: k(to + 1) };
}

/** Time bound of a primary key range: every key of [from, to] lies in [timeKey(from), timeKey(to + 1)). */
export function timeKey(t: number, prefix = LIVE): Buffer {
  const b = Buffer.allocUnsafe(7);
  b[0] = prefix;
  b.writeUIntBE(clampTime(t), 1, 6);
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

/** The month of a number key (the months before 1970 and after 7431 share the first and last). */
export function numberKeyMonth(t: number): number {
  return Math.min(Math.max(numberMonth(t), 0), 0xffff);
}

/** The first and last ms a month of number keys holds (the last month also holds every time after it). */
export function numberMonthSpan(m: number): [number, number] {
  const y = 1970 + Math.floor(m / 12);
  return [Date.UTC(y, m % 12, 1), m >= 0xffff ? TIME_MAX : Date.UTC(y, (m % 12) + 1, 1) - 1];
}

/** A month of number keys holds only its own times (not the first or last, which hold the times clamped into them). */
export function numberMonthIsExact(m: number): boolean {
  return m > 0 && m < 0xffff;
}

/** The key of a remote number's months (number-months.ts). */
export function numberMonthsKey(remoteNumber: string): Buffer {
  const num = Buffer.from(remoteNumber, 'latin1');
  const b = Buffer.allocUnsafe(1 + num.length);
  b[0] = NUMBER_MONTHS;
  num.copy(b, 1);
  return b;
}

/** The keys of the months of every number starting with `prefix` (number-months.ts). */
export function numberMonthsRange(prefix: string): { gte: Buffer; lt: Buffer } {
  const gte = numberMonthsKey(prefix);
  return { gte, lt: Buffer.concat([gte, Buffer.from([0xff])]) };
}

/** The month of a number key (`n <month:2> ...`). */
export function monthOfNumberKey(key: Uint8Array): number {
  return (key[1]! << 8) | key[2]!;
}

function numberHead(month: number, number: Buffer, tail: number[]): Buffer {
  const b = Buffer.allocUnsafe(3 + number.length + tail.length);
  b[0] = NUMBER;
  b.writeUInt16BE(Math.min(Math.max(month, 0), 0xffff), 1);
  number.copy(b, 3);
  b.set(tail, 3 + number.length);
  return b;
}

export function numberKey(remoteNumber: string, p: RecordIdParts): Buffer {
  return headKey(numberHead(numberMonth(p.startedAt), Buffer.from(remoteNumber, 'latin1'), [0]), p);
}

/** Number keys of a month whose number starts with `prefix` (or equals it when exact). */
export function numberRange(prefix: string, exact: boolean, month: number): { gte: Buffer; lt: Buffer } {
  const num = Buffer.from(prefix, 'latin1');
  return { gte: numberHead(month, num, exact ? [0] : []), lt: numberHead(month, num, [exact ? 1 : 0xff]) };
}

/** The head of one exact number's keys in a month (followed by the time). */
export function exactNumberHead(number: string, month: number): Buffer {
  return numberHead(month, Buffer.from(number, 'latin1'), [0]);
}

export type StatsUnit = 'day' | 'month';

/** Statistics of a channel for one day or month (period: day or month number). */
export function statsKey(unit: StatsUnit, period: number, ref: ChannelRef): Buffer {
  const b = Buffer.allocUnsafe(8);
  b[0] = unit === 'day' ? DAY_STATS : MONTH_STATS;
  b.writeUInt32BE(period + DAY_BIAS, 1);
  b[5] = portByte(ref.portType, ref.port);
  b.writeUInt16BE(ref.channel, 6);
  return b;
}

/** Statistics of the whole box for one day or month. */
export function boxStatsKey(unit: StatsUnit, period: number): Buffer {
  const b = Buffer.allocUnsafe(5);
  b[0] = unit === 'day' ? BOX_DAY_STATS : BOX_MONTH_STATS;
  b.writeUInt32BE(period + DAY_BIAS, 1);
  return b;
}

/** Key of the box's counts of a day or month by remote number prefix. */
export function prefixStatsKey(unit: StatsUnit, period: number): Buffer {
  const b = boxStatsKey(unit, period);
  b[0] = unit === 'day' ? PREFIX_DAY_STATS : PREFIX_MONTH_STATS;
  return b;
}

/** Statistics keys of every channel (or of the box) for periods from..to (inclusive). */
export function statsRange(unit: StatsUnit, from: number, to: number, box = false): { gte: Buffer; lt: Buffer } {
  const prefix = box ? (unit === 'day' ? BOX_DAY_STATS : BOX_MONTH_STATS) : unit === 'day' ? DAY_STATS : MONTH_STATS;
  const k = (period: number) => {
    const b = Buffer.allocUnsafe(5);
    b[0] = prefix;
    b.writeUInt32BE(period + DAY_BIAS, 1);
    return b;
  };
  return { gte: k(from), lt: k(to + 1) };
}

export function periodOfStatsKey(key: Uint8Array): number {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).readUInt32BE(1) - DAY_BIAS;
}

export function partsOfStatsKey(key: Uint8Array): ChannelRef & { period: number } {
  const buf = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { period: periodOfStatsKey(key), ...refOfBytes(key[5]!, buf.readUInt16BE(6)) };
}

/** Every key with a one-byte prefix. */
export function prefixRange(prefix: number): { gte: Buffer; lt: Buffer } {
  return { gte: Buffer.from([prefix]), lt: Buffer.from([prefix + 1]) };
}

/** Every key starting with `head`. */
export function headRange(head: Uint8Array): { gte: Buffer; lt: Buffer } {
  const lt = Buffer.from(head);
  let i = lt.length - 1;
  while (i >= 0 && lt[i] === 0xff) i--;
  if (i < 0) return { gte: Buffer.from(head), lt: Buffer.from([0xff, 0xff, 0xff, 0xff]) };
  lt[i]!++;
  return { gte: Buffer.from(head), lt: lt.subarray(0, i + 1) };
}
