/**
 * Conversion of an index of format 5 to format 6 (index-format5.ts), where it
 * is: every record and every answer the same, each number's months counting
 * exactly its number keys; a conversion stopped by an error or killed with
 * SIGKILL half-way finishes at the next open.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClassicLevel } from 'classic-level';
import { FORMAT_VERSION, RecordIndex, convertIndex } from '../../firmware/recording/record-index.ts';
import { NUMBER_MONTHS, VERSION_KEY, prefixRange } from '../../firmware/recording/record-keys.ts';
import { compare, randomQuery, rng } from '../support/record-oracle.ts';
import { changedIndex, feedOf, type ChangedIndex } from '../support/changed-index.ts';
import { downgradeToFormat5, numberMonthsCheck } from '../support/index-format5-writer.ts';
import { killConversionHalfWay } from '../support/kill-conversion.ts';

async function format5Store(n: number, seed: number): Promise<ChangedIndex> {
  const s = await changedIndex(n, seed, 'format5');
  await downgradeToFormat5(s.location);
  return s;
}

async function rawState(location: string): Promise<{ version: string; numbers: number }> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  const numbers = (await db.keys(prefixRange(NUMBER_MONTHS)).all()).length;
  const version = (await db.get(VERSION_KEY))!.toString();
  await db.close();
  return { version, numbers };
}

async function checkConverted(s: ChangedIndex, queries: number, seed: number): Promise<void> {
  const opened = new RecordIndex(s.location);
  assert.is(await opened.open(), false, 'converted when opened, not created');
  await opened.close();
  const state = await rawState(s.location);
  assert.is(state.version, FORMAT_VERSION);
  const months = await numberMonthsCheck(s.location);
  assert.equal(months.wrong, [], "every number's months count its number keys");
  assert.is(months.numbers, new Set([...s.entries.values()].filter((e) => !e.deleted && e.remoteNumber).map((e) => e.remoteNumber)).size, 'one key per number of a live recording');
  const index = new RecordIndex(s.location);
  await index.open();
  for (const [id, e] of s.entries) assert.equal(await index.get(id), e, `record ${id}`);
  assert.equal(await feedOf(index), s.feed, 'the feed is the same');
  const all = [...s.entries.values()];
  const r = rng(seed);
  for (let i = 0; i < queries; i++) await compare(index, all, randomQuery(r), `converted ${i}`);
  // Exact numbers of live recordings, over everything and over random ranges.
  const live = all.filter((e) => !e.deleted && e.remoteNumber);
  for (let i = 0; i < 40; i++) {
    const e = live[Math.floor(r() * live.length)]!;
    assert.is(await compare(index, all, { remoteNumber: e.remoteNumber, limit: 16, offset: i % 3 === 0 ? 20 : 0 }, `number ${e.remoteNumber}`), 'number-scan');
  }
  await index.close();
}

test('a format-5 index gets the months of every number where it is: every record, every answer', async () => {
  const s = await format5Store(3000, 81);
  assert.equal(await rawState(s.location), { version: '5', numbers: 0 });
  await checkConverted(s, 120, 82);
});

test('opening an index of format 5 tells how far its conversion got, batch by batch', async () => {
  const s = await format5Store(4000, 87);
  const told: number[] = [];
  const index = new RecordIndex(s.location, {}, { onConversion: (p) => told.push(p.converted) });
  await index.open();
  await index.close();
  assert.ok(told.length >= 1, 'told at least once');
  assert.equal(told, [...told].sort((a, b) => a - b), 'growing');
  const numberKeys = [...s.entries.values()].filter((e) => !e.deleted && e.remoteNumber).length;
  assert.is(told[told.length - 1], numberKeys, 'every number key counted');
});

test('a conversion in rounds, stopped by an error, resumes at the next open', async () => {
  const s = await format5Store(6000, 83);
  const stop = new Error('stopped');
  // Rounds of 1,000 number keys, the index closed and opened between them; an error after the second.
  let batches = 0;
  await convertIndex(s.location, {}, () => {
    if (++batches === 2) throw stop;
  }, 1000).then(() => assert.unreachable('the conversion went on'), (e) => assert.is(e, stop));
  const half = await rawState(s.location);
  assert.is(half.version, '5', 'not finished');
  assert.ok(half.numbers > 0, 'the batches before the error are written');
  await checkConverted(s, 40, 84);
});

test('a conversion killed with SIGKILL half-way finishes at the next start with every number counted', async () => {
  const s = await format5Store(50_000, 85);
  const out = await killConversionHalfWay(s.location, 1, 2);
  const half = await rawState(s.location);
  assert.is(half.version, '5', `killed half-way: ${out.slice(-200)}`);
  assert.ok(half.numbers > 0, 'killed after some numbers were counted');
  await checkConverted(s, 30, 86);
});

test.run();
