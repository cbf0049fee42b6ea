/**
 * Searches narrowed to a set of channels (a cloud seat's own channel, its
 * group): the search is run on each channel of the set that its port and
 * channel conditions allow, and the answers are merged newest first. A
 * page at offset N reads at most N + limit entries of each channel; totals
 * are the sum of the channels' totals.
 */
import { sameRef, type ChannelRef } from '../ports/channel-ref.ts';
import type { RecordEntry } from './record-entry.ts';
import type { RecordIndex } from './record-index.ts';
import { queryRecords } from './record-query.ts';
import type { QueryResult, RecordQuery } from './record-query-types.ts';
import { streamRecords, type StreamQuery } from './record-stream.ts';

/** The channels of the set the query's port type, port and channel conditions let through. */
export function refsOfQuery(q: Pick<RecordQuery, 'portType' | 'port' | 'channel'>, refs: readonly ChannelRef[]): ChannelRef[] {
  const out: ChannelRef[] = [];
  for (const r of refs) {
    if (q.portType !== undefined && r.portType !== q.portType) continue;
    if (q.port !== undefined && r.port !== q.port) continue;
    if (q.channel !== undefined && r.channel !== q.channel) continue;
    if (!out.some((o) => sameRef(o, r))) out.push(r);
  }
  return out;
}

/** Newest first; equal start times by id, so the order is the same at every call. */
export function newestFirst(a: RecordEntry, b: RecordEntry): number {
  return b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export async function queryRecordsIn(index: RecordIndex, q: RecordQuery, refs: readonly ChannelRef[]): Promise<QueryResult> {
  const chosen = refsOfQuery(q, refs);
  if (!chosen.length) return { total: 0, items: [], plan: 'channel-scan' };
  if (chosen.length === 1) return queryRecords(index, { ...q, ...chosen[0]! });
  const want = q.offset + q.limit;
  const answers = await Promise.all(chosen.map((r) => queryRecords(index, { ...q, ...r, offset: 0, limit: want })));
  const items = answers.flatMap((a) => a.items).sort(newestFirst).slice(q.offset, want);
  return { total: answers.reduce((n, a) => n + a.total, 0), items, plan: answers[0]!.plan };
}

/** Every match on the set's channels, newest first, a page at a time (a k-way merge of each channel's stream). */
export async function* streamRecordsIn(index: RecordIndex, q: StreamQuery, refs: readonly ChannelRef[], pageSize = 500): AsyncGenerator<RecordEntry[]> {
  const chosen = refsOfQuery(q, refs);
  if (!chosen.length) return;
  if (chosen.length === 1) {
    yield* streamRecords(index, { ...q, ...chosen[0]! }, pageSize);
    return;
  }
  const heads = await Promise.all(chosen.map(async (r) => {
    const it = streamRecords(index, { ...q, ...r }, pageSize)[Symbol.asyncIterator]();
    return { it, buf: [] as RecordEntry[], done: false };
  }));
  const fill = async (h: (typeof heads)[number]) => {
    if (h.buf.length || h.done) return;
    const n = await h.it.next();
    if (n.done) h.done = true;
    else h.buf = [...n.value]; // a copy: the stream reads its page again when it resumes
  };
  let page: RecordEntry[] = [];
  for (;;) {
    await Promise.all(heads.map(fill));
    let best: (typeof heads)[number] | null = null;
    for (const h of heads) if (h.buf.length && (!best || newestFirst(h.buf[0]!, best.buf[0]!) < 0)) best = h;
    if (!best) break;
    page.push(best.buf.shift()!);
    if (page.length >= pageSize) {
      yield page;
      page = [];
    }
  }
  if (page.length) yield page;
}
