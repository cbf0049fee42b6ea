/**
 * Every match of a search, newest first, a page at a time, without counting
 * totals: what exports and batch downloads read. The search is planned once
 * (the same driver choice as record-query.ts); each page continues from the
 * start time of the last entry given, skipping those at that same instant
 * already given, so a page costs the same however deep it is.
 */
import type { RecordEntry } from './record-entry.ts';
import type { RecordIndex } from './record-index.ts';
import { makePlan, readPage } from './query-plan.ts';
import type { RecordQuery } from './record-query-types.ts';
import { chooseDriver, searchBounds } from './record-query.ts';

export type StreamQuery = Omit<RecordQuery, 'limit' | 'offset'>;

export async function* streamRecords(index: RecordIndex, q: StreamQuery, pageSize = 500): AsyncGenerator<RecordEntry[]> {
  const db = index.db;
  const plan = makePlan({ ...q, limit: pageSize, offset: 0 });
  if (plan.from > plan.to) return;
  const bounds = await searchBounds(index, plan);
  if (!bounds) return;
  const lo = bounds[0];
  let hi = bounds[1];
  const { driver, residual } = await chooseDriver(index, plan, lo, hi);
  // Entries at `hi` itself already given.
  let given = 0;
  for (;;) {
    const { items } = await readPage(db, plan, driver, residual, lo, hi, given, pageSize);
    if (!items.length) return;
    yield items;
    if (items.length < pageSize) return;
    const t = items[items.length - 1]!.startedAt;
    let atT = 0;
    for (let i = items.length - 1; i >= 0 && items[i]!.startedAt === t; i--) atT++;
    given = t === hi ? given + atT : atT;
    hi = t;
  }
}
