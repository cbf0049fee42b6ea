/**
 * Key layout of the journal database (one LevelDB for the operation log and
 * the alarm history; keys and values are bytes):
 *
 *   00 'v'                              format version
 *   00 's'                              next sequence number (u32 BE), written with every new entry
 *   'O' pos                             operation entry (operation-codec.ts)
 *   'F' code len value pos              operation facet key: the entry has this facet; value = its facets
 *   'H' pos                             alarm history entry (JSON)
 *   'G' code len value pos              alarm facet key (severity, area); value = its facets
 *   'P' alarm id                        pos of the history entry of an alarm still active
 *   'C' len stream hour                 number of keys of a stream in one hour (u32 BE)
 *
 * `pos` is the time in ms (6 bytes, big-endian) and a sequence number
 * (4 bytes): keys are ordered by time, and two entries of the same
 * millisecond are both kept, in the order they were written. A *stream* is a
 * key prefix followed only by positions: all operations ('O'), all alarms
 * ('H'), or one facet value ('F' code len value). Each stream keeps per-hour
 * counters in the same batch as its keys, so counting a stream over a time
 * range reads counters for the whole hours and keys only at the two ends.
 */
export const META = 0x00;
export const OPS = 0x4f;
export const OP_FACETS = 0x46;
export const ALARMS = 0x48;
export const ALARM_FACETS = 0x47;
export const OPEN_ALARMS = 0x50;
export const COUNTERS = 0x43;

export const VERSION_KEY = Buffer.from([META, 0x76]);
export const SEQ_KEY = Buffer.from([META, 0x73]);

export const OPS_STREAM = Buffer.from([OPS]);
export const ALARMS_STREAM = Buffer.from([ALARMS]);

export const POS_BYTES = 10;
export const MAX_TIME = 2 ** 48 - 1;
export const HOUR_MS = 3_600_000;
/** A bound past every time a key can hold. */
export const END_OF_TIME = (Math.floor(MAX_TIME / HOUR_MS) + 1) * HOUR_MS;
const FACET_VALUE_BYTES = 200;

/** Position of an entry: time (clamped to the key's range) and sequence number. */
export function pos(time: number, seq: number): Buffer {
  const b = Buffer.alloc(POS_BYTES);
  b.writeUIntBE(clampTime(time), 0, 6);
  b.writeUInt32BE(seq >>> 0, 6);
  return b;
}

export function clampTime(t: number): number {
  return Math.min(MAX_TIME, Math.max(0, Math.floor(t)));
}

export function posTime(p: Buffer): number {
  return p.readUIntBE(0, 6);
}

export function posOfKey(key: Buffer): Buffer {
  return key.subarray(key.length - POS_BYTES);
}

export function streamKey(stream: Buffer, p: Buffer): Buffer {
  return Buffer.concat([stream, p]);
}

/** The first key of a stream at or after time `t`; past every key when `t` is beyond the key's range. */
export function timeBound(stream: Buffer, t: number): Buffer {
  if (t > MAX_TIME) return streamEnd(stream);
  return Buffer.concat([stream, pos(t, 0)]);
}

/** A bound after every key of the stream. */
export function streamEnd(stream: Buffer): Buffer {
  return Buffer.concat([stream, Buffer.alloc(POS_BYTES + 1, 0xff)]);
}

/** One indexed property of an entry, e.g. account `admin` or severity `critical`. */
export interface Facet {
  code: number;
  value: string;
}

function facetBytes(f: Facet): Buffer {
  let v = Buffer.from(f.value, 'utf8');
  if (v.length > FACET_VALUE_BYTES) v = v.subarray(0, FACET_VALUE_BYTES);
  return Buffer.concat([Buffer.from([f.code, v.length]), v]);
}

/** The stream of one facet value under a facet prefix ('F' or 'G'). */
export function facetStream(kind: number, f: Facet): Buffer {
  return Buffer.concat([Buffer.from([kind]), facetBytes(f)]);
}

/** Every facet of an entry, as stored in the value of its facet keys. */
export function encodeFacets(facets: readonly Facet[]): Buffer {
  return Buffer.concat(facets.map(facetBytes));
}

/** A test of encoded facets (a facet key's value): true when they hold every required facet. */
export function facetMatcher(required: readonly Facet[]): (encoded: Buffer) => boolean {
  const wanted = required.map(facetBytes);
  return (encoded) =>
    wanted.every((want) => {
      for (let i = 0; i + 2 <= encoded.length; i += 2 + encoded[i + 1]!) {
        if (encoded[i] === want[0] && encoded[i + 1]! + 2 === want.length && encoded.compare(want, 0, want.length, i, i + want.length) === 0) return true;
      }
      return false;
    });
}

export function hourOf(t: number): number {
  return Math.floor(clampTime(t) / HOUR_MS);
}

export function counterKey(stream: Buffer, hour: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(hour);
  return Buffer.concat([Buffer.from([COUNTERS, stream.length]), stream, h]);
}

export function hourOfCounterKey(key: Buffer): number {
  return key.readUInt32BE(key.length - 4);
}

/** An opaque paging cursor: the position of the last entry of a page. */
export function cursorOf(p: Buffer): string {
  return p.toString('base64url');
}

export function parseCursor(text: string): Buffer | null {
  const b = Buffer.from(text, 'base64url');
  return b.length === POS_BYTES && b.toString('base64url') === text ? b : null;
}

/** Key range of every key starting with a one-byte prefix. */
export function prefixRange(prefix: number): { gte: Buffer; lt: Buffer } {
  return { gte: Buffer.from([prefix]), lt: Buffer.from([prefix + 1]) };
}
