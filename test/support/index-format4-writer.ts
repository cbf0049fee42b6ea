/**
 * Turns an index written by this firmware (format 6) into the index format 4
 * kept: entry values of version 2 (no change-feed number at their end),
 * each entry's number in a key of its own, `F tail → seq:8`, and no counts by
 * number prefix, no months of each number. With `feed: false`, an index of format 4 from before the
 * change feed (no `f` or `F` keys). The index must be closed.
 */
import { ClassicLevel } from 'classic-level';
import { FEED, FEED_OF } from '../../firmware/recording/change-feed.ts';
import { feedSeqOf } from '../../firmware/recording/record-codec.ts';
import { DELETED, LIVE, NUMBER_MONTHS, PREFIX_DAY_STATS, PREFIX_MONTH_STATS, TAIL, VERSION_KEY } from '../../firmware/recording/record-keys.ts';

/** The length of the backwards varint at the end of a value of version 3. */
function trailerLength(v: Uint8Array): number {
  let n = 1;
  while (v[v.length - n]! & 0x80) n++;
  return n;
}

export async function downgradeToFormat4(location: string, options: { feed: boolean } = { feed: true }): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  let batch = db.batch();
  for await (const [k, v] of db.iterator()) {
    if (k[0] === LIVE || k[0] === DELETED) {
      const seq = feedSeqOf(v);
      if (seq === null) throw new Error('the index holds an entry without a change-feed number');
      const old = Buffer.from(v.subarray(0, v.length - trailerLength(v)));
      old[0] = 2;
      batch.put(k, old);
    } else if (k[0] === PREFIX_DAY_STATS || k[0] === PREFIX_MONTH_STATS || k[0] === NUMBER_MONTHS) {
      batch.del(k); // format 4 did not count recordings by number prefix, nor keep the numbers' months
    } else if (k[0] === FEED) {
      // Every feed key had its F key, tombstones of purged recordings too.
      if (options.feed) batch.put(Buffer.concat([Buffer.from([FEED_OF]), v.subarray(0, TAIL)]), Buffer.from(k.subarray(1)));
      else batch.del(k);
    }
    if (batch.length >= 1000) {
      await batch.write();
      batch = db.batch();
    }
  }
  batch.put(VERSION_KEY, Buffer.from('4'));
  await batch.write();
  await db.close();
}
