/**
 * The LevelDB handle of the recording index, and the reads a search makes
 * of it: at the index's latest state, or all at one snapshot.
 */
import type { ClassicLevel } from 'classic-level';

export type IndexDb = ClassicLevel<Buffer, Buffer>;

/** The reads a search makes (the index itself, or the index at a snapshot: atSnapshot). */
export type IndexReader = Pick<IndexDb, 'get' | 'getMany' | 'keys' | 'iterator' | 'approximateSize'>;

/**
 * Reads of the index at one snapshot: what a search reads in several steps
 * (a count, then the keys of a page) all comes from the same state of the
 * index, whatever the recorder writes meanwhile. LevelDB's size estimates
 * know no snapshot. Close it when done.
 */
export function atSnapshot(db: IndexDb): { reader: IndexReader; close: () => Promise<void> } {
  const snapshot = db.snapshot();
  const reader = {
    get: (key: Buffer) => db.get(key, { snapshot }),
    getMany: (keys: Buffer[]) => db.getMany(keys, { snapshot }),
    keys: (options: Parameters<IndexDb['keys']>[0]) => db.keys({ ...options, snapshot }),
    iterator: (options: Parameters<IndexDb['iterator']>[0]) => db.iterator({ ...options, snapshot }),
    approximateSize: (start: Buffer, end: Buffer) => db.approximateSize(start, end),
  } as unknown as IndexReader;
  return { reader, close: () => snapshot.close() };
}
