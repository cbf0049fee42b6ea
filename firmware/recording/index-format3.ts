/**
 * Reader of the index formats 2 and 3 (up to the channel reference), kept
 * for the conversion to format 4: primary keys `t|d <time:6> <port type:1>
 * <channel:1> <part:1>` with entry values of codec version 1, and pending
 * purges `p <same tail>` whose value is the file path. The other key spaces
 * of those formats (number, not-archived, statistics) are derived and are
 * rebuilt from the entries.
 */
import { PORT_TYPES } from '../ports/channel-ref.ts';
import { decodeRecord } from './record-codec.ts';
import type { RecordEntry, RecordIdParts } from './record-entry.ts';

export const F3_LIVE = 0x74;
export const F3_DELETED = 0x64;
export const F3_PENDING_PURGE = 0x70;
export const F3_KEY_LENGTH = 10;

/** The parts of a format-3 primary or pending-purge key; null when it is not one. */
export function partsOfFormat3Key(key: Uint8Array): RecordIdParts | null {
  if (key.length !== F3_KEY_LENGTH) return null;
  const portType = PORT_TYPES[key[7]!];
  if (!portType) return null;
  const buf = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  return { startedAt: buf.readUIntBE(1, 6), portType, port: 0, channel: key[8]!, part: key[9]! };
}

/** The entry of a format-3 primary key and its value. */
export function decodeFormat3Entry(key: Uint8Array, value: Uint8Array): RecordEntry {
  const parts = partsOfFormat3Key(key);
  if (!parts) throw new RangeError('not a format-3 index key');
  return decodeRecord(value, { ...parts, deleted: key[0] === F3_DELETED });
}
