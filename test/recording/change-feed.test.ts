/**
 * The index's change feed (cloud seats' sync): each recording once at its
 * latest change, deletions and purges as removals, numbers that keep growing
 * across a reopen (an index written without a feed gets one when converted:
 * index-format4.test.ts), and searches narrowed to a set of channels (merged
 * newest first, paged, totals).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { queryRecordsIn, streamRecordsIn } from '../../firmware/recording/scoped-query.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { generatedEntry } from '../support/generated-entries.ts';

const NEWEST = Date.parse('2026-11-20T12:00:00+08:00');
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'feed-'));
  dirs.push(d);
  return d;
};
test.after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const all = async (index: RecordIndex, cursor = 0) => {
  const out: Array<{ seq: number; id: string; live: boolean }> = [];
  for (;;) {
    const r = await index.changesSince(cursor, 7);
    out.push(...r.items.map((i) => ({ seq: i.seq, id: generatedId(i.parts), live: i.live })));
    cursor = r.last;
    if (!r.more) return { out, cursor };
  }
};
const generatedId = (p: { startedAt: number; channel: number }) => `${p.startedAt}-${String(p.channel).padStart(2, '0')}-1`;

test('each recording once, at its latest change; removals; growing numbers across a reopen', async () => {
  const dir = tmp();
  let index = new RecordIndex(dir);
  await index.open();
  const entries = Array.from({ length: 20 }, (_, i) => generatedEntry(i, NEWEST));
  await index.putMany(entries.slice(0, 10));
  const first = await all(index);
  assert.is(first.out.length, 10);
  assert.equal(new Set(first.out.map((x) => x.id)).size, 10);
  // Changes: a level, a deletion, a purge, new entries.
  await index.update(entries[2]!.id, (e) => ({ ...e, level: 'important' }));
  await index.update(entries[3]!.id, (e) => ({ ...e, deleted: true }));
  await index.beginPurge([entries[4]!]);
  await index.finishPurge([entries[4]!.id]);
  await index.putMany(entries.slice(10, 15));
  const second = await all(index, first.cursor);
  assert.equal(second.out.map((x) => [x.id, x.live]), [[entries[2]!.id, true], [entries[3]!.id, false], [entries[4]!.id, false], ...entries.slice(10, 15).map((e) => [e.id, true])]);
  assert.ok(second.out.every((x) => x.seq > first.cursor));
  // The whole feed holds each recording once.
  const whole = await all(index);
  assert.is(whole.out.length, 15);
  assert.equal(new Set(whole.out.map((x) => x.id)).size, 15);
  // Reopened: numbers continue; nothing before the cursor comes again.
  await index.close();
  index = new RecordIndex(dir);
  await index.open();
  await index.putMany(entries.slice(15));
  const third = await all(index, second.cursor);
  assert.equal(third.out.map((x) => x.id), entries.slice(15).map((e) => e.id));
  assert.ok(third.out[0]!.seq > second.cursor);
  await index.close();
});

test('a search narrowed to channels: merged newest first, paged, with totals', async () => {
  const index = new RecordIndex(tmp());
  await index.open();
  await index.putMany(Array.from({ length: 80 }, (_, i) => generatedEntry(i, NEWEST)));
  const refs = [analogRef(1), analogRef(4), analogRef(6)];
  const expected = (await queryRecords(index, { limit: 500, offset: 0 })).items.filter((e) => [1, 4, 6].includes(e.channel));
  const page2 = await queryRecordsIn(index, { limit: 7, offset: 7 }, refs);
  assert.is(page2.total, expected.length);
  assert.equal(page2.items.map((e) => e.id), expected.slice(7, 14).map((e) => e.id));
  assert.is((await queryRecordsIn(index, { channel: 4, limit: 50, offset: 0 }, refs)).total, 10);
  assert.is((await queryRecordsIn(index, { channel: 2, limit: 50, offset: 0 }, refs)).total, 0);
  const streamed: string[] = [];
  for await (const page of streamRecordsIn(index, {}, refs, 4)) streamed.push(...page.map((e) => e.id));
  assert.equal(streamed, expected.map((e) => e.id));
  await index.close();
});

test.run();
