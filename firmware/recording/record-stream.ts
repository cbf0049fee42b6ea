/**
 * Every match of a search, newest first, a page at a time, without counting
 * totals: what exports and batch downloads read. The search is planned once
 * (the same driver choice as record-query.ts); each page continues from the
 * start time of the last entry given, skipping those at that same instant
 * already given, so a page costs the same however deep it is.
 */
import type { RecordEntry } from './record-entry.ts';
import type { RecordIndex } from './record-index.ts';
import { readNumberMonths } from './number-months.ts';
import { candidateDrivers } from './query-drivers.ts';
import { makePlan, pickDriver, readPage, residualOf } from './query-plan.ts';
import type { RecordQuery } from './record-query-types.ts';
import { searchBounds } from './record-query.ts';

export type StreamQuery = Omit<RecordQuery, 'limit' | 'offset'>;

export async function* streamRecords(index: RecordIndex, q: StreamQuery, pageSize = 500): AsyncGenerator<RecordEntry[]> {
  const db = index.db;
  const plan = makePlan({ ...q, limit: pageSize, offset: 0 });
  if (plan.from > plan.to) return;
  const bounds = await searchBounds(index, plan);
  if (!bounds) return;
  const lo = bounds[0];
  let hi = bounds[1];
  const exact = plan.pattern?.kind === 'exact' && !plan.q.deleted ? { text: plan.pattern.text, months: await readNumberMonths(db, plan.pattern.text) } : null;
  const drivers = candidateDrivers(index.channels, plan.q, exact, lo, hi);
  const scoped = drivers.find((d) => d.name === 'channel' || d.name === 'line');
  if (scoped) plan.refs = scoped.groups[0]!.heads.map((h) => Buffer.from([h[3]!, h[1]!, h[2]!]));
  const driver = await pickDriver(db, plan, drivers, lo, hi);
  const residual = residualOf(plan, driver);
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
