/**
 * An index of the current format with changes of every kind (levels,
 * deletions, a number changed, purges), closed: what the conversion tests
 * turn into an earlier format and convert back.
 */
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { idOfParts, type RecordEntry } from '../../firmware/recording/record-entry.ts';
import { makeEntries, rng } from './record-oracle.ts';
import { tempDir } from './temp-dir.ts';

export interface ChangedIndex {
  location: string;
  /** Every entry in the index, by id (purged ones gone). */
  entries: Map<string, RecordEntry>;
  purged: string[];
  /** The change feed: seq, id, live. */
  feed: [number, string, boolean][];
}

export async function feedOf(index: RecordIndex): Promise<[number, string, boolean][]> {
  const out: [number, string, boolean][] = [];
  for (let cursor = 0; ;) {
    const r = await index.changesSince(cursor, 500);
    out.push(...r.items.map((i): [number, string, boolean] => [i.seq, idOfParts(i.parts), i.live]));
    cursor = r.last;
    if (!r.more) return out;
  }
}

export async function changedIndex(n: number, seed: number, name: string): Promise<ChangedIndex> {
  const location = path.join(tempDir(`${name}-`), 'index');
  const index = new RecordIndex(location);
  await index.open();
  const all = makeEntries(n, seed);
  for (let i = 0; i < all.length; i += 1000) await index.putMany(all.slice(i, i + 1000));
  const entries = new Map(all.map((e) => [e.id, e]));
  const r = rng(seed + 1);
  for (let i = 0; i < 40; i++) {
    const e = all[Math.floor(r() * all.length)]!;
    const next = { ...entries.get(e.id)!, level: 'important' as const, deleted: r() < 0.3, ...(i % 4 === 0 ? { remoteNumber: `0755${i}` } : {}) };
    await index.put(next);
    entries.set(e.id, next);
  }
  const purged = all.slice(0, 15).map((e) => e.id);
  await index.beginPurge(purged.map((id) => entries.get(id)!));
  await index.finishPurge(purged);
  for (const id of purged) entries.delete(id);
  const feed = await feedOf(index);
  await index.close();
  return { location, entries, purged, feed };
}
