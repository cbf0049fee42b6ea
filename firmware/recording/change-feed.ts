/**
 * The index's change feed, for clients that keep a copy of the recordings
 * (cloud seats' 同步): every write of an entry takes the next sequence
 * number in the same atomic batch as the entry, which keeps the number
 * (record-codec.ts, version 3), and the entry's previous feed key is
 * removed, so each recording appears once, at its latest change. A
 * recording purged for good leaves a tombstone (a recording recorded again
 * under the id of one purged, which takes a clock set back, appears a second
 * time, after its tombstone). Sequence numbers only grow (the next is one
 * past the last key at start-up), so a cursor read before a restart
 * continues after it without a gap or a repeat.
 *
 *   f <seq:8>   → tail (10) and 1 (live) or 0 (removed: marked deleted or purged)
 *
 * Format 4 kept each entry's number in a key of its own, `F tail → seq:8`
 * (FEED_OF), 17 bytes a recording on disk; the format-4 conversion
 * (index-format4.ts) moves it into the entry.
 */
import { LIVE, TAIL, partsOfTail, prefixRange, primaryOfTail } from './record-keys.ts';
import type { IndexDb } from './index-batch.ts';
import type { RecordIdParts } from './record-entry.ts';

export const FEED = 0x66; // 'f'
/** Format 4's key of an entry's sequence number. */
export const FEED_OF = 0x46; // 'F'

export function feedKey(seq: number): Buffer {
  const b = Buffer.allocUnsafe(9);
  b[0] = FEED;
  b.writeBigUInt64BE(BigInt(seq), 1);
  return b;
}

/** A feed key's value: the recording's tail and whether it is live. */
export function feedValue(tail: Uint8Array, live: boolean): Buffer {
  const b = Buffer.allocUnsafe(TAIL + 1);
  b.set(tail.subarray(0, TAIL), 0);
  b[TAIL] = live ? 1 : 0;
  return b;
}

export function seqOfFeedKey(k: Uint8Array): number {
  return Number(Buffer.from(k.buffer, k.byteOffset, k.byteLength).readBigUInt64BE(1));
}

/** The tail of an entry's keys (record-keys.ts). */
export function tailBytes(p: RecordIdParts): Buffer {
  const b = Buffer.allocUnsafe(TAIL);
  b.writeUIntBE(Math.min(Math.max(p.startedAt, 0), 2 ** 48 - 1), 0, 6);
  b[6] = (['analog', 'e1', 'voip'].indexOf(p.portType) << 6) | (p.port & 0x3f);
  b.writeUInt16BE(p.channel, 7);
  b[9] = p.part;
  return b;
}

/** The sequence number after the last one written; numbers start at 1, so cursor 0 reads the whole feed. */
export async function nextSeqOf(db: IndexDb): Promise<number> {
  const [k] = await db.keys({ ...prefixRange(FEED), reverse: true, limit: 1 }).all();
  return k ? seqOfFeedKey(k) + 1 : 1;
}

export interface FeedItem {
  seq: number;
  parts: RecordIdParts;
  live: boolean;
  /** The entry's encoded value (live entries only). */
  value: Buffer | null;
}

/**
 * Changes after `cursor`, oldest first, up to `limit` that pass `keep`
 * (tested on the tail, before any entry is read); `last` is the sequence
 * number of the last change looked at, passed or not.
 */
export async function readFeed(db: IndexDb, cursor: number, limit: number, keep: (p: RecordIdParts) => boolean): Promise<{ items: FeedItem[]; last: number; more: boolean }> {
  const items: FeedItem[] = [];
  let last = cursor;
  let more = false;
  const it = db.iterator({ gt: feedKey(Math.max(0, cursor)), lt: Buffer.from([FEED + 1]) });
  try {
    for await (const [k, v] of it) {
      if (items.length >= limit) {
        more = true;
        break;
      }
      const seq = seqOfFeedKey(k);
      last = seq;
      const parts = partsOfTail(v.subarray(0, TAIL));
      if (!keep(parts)) continue;
      items.push({ seq, parts, live: v[TAIL] === 1, value: null });
    }
  } finally {
    await it.close();
  }
  const live = items.filter((i) => i.live);
  if (live.length) {
    const values = await db.getMany(live.map((i) => primaryOfTail(tailBytes(i.parts), LIVE)));
    live.forEach((i, n) => {
      i.value = values[n] ?? null;
      // Marked deleted between the feed read and now: a later change says so.
      if (!i.value) i.live = false;
    });
  }
  return { items, last, more };
}
