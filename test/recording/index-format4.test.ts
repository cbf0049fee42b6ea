/**
 * An index of format 4 (each entry's change-feed number in a key of its own)
 * is converted to format 5 where it is when opened: every record kept, every
 * search answered as before (short number prefixes from the counts by prefix
 * the conversion adds), the feed the same (same numbers, same order),
 * no `F` key left, and the next changes replace their recordings' feed keys.
 * An index of format 4 written before the change feed gets one, in time
 * order. A conversion stopped by an error or killed with SIGKILL half-way
 * resumes at the next open without converting an entry twice.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClassicLevel } from 'classic-level';
import { FORMAT_VERSION, RecordIndex, convertIndex } from '../../firmware/recording/record-index.ts';
import { FEED_OF } from '../../firmware/recording/change-feed.ts';
import { feedSeqOf } from '../../firmware/recording/record-codec.ts';
import { DELETED, LIVE, VERSION_KEY, partsOfTail } from '../../firmware/recording/record-keys.ts';
import { idOfParts } from '../../firmware/recording/record-entry.ts';
import { START, compare, randomQuery, rng } from '../support/record-oracle.ts';
import { downgradeToFormat4 } from '../support/index-format4-writer.ts';
import { changedIndex, feedOf, type ChangedIndex } from '../support/changed-index.ts';
import { numberMonthsCheck } from '../support/index-format5-writer.ts';
import { killConversionHalfWay } from '../support/kill-conversion.ts';

type Store = ChangedIndex;

/** An index with changes of every kind, turned into format 4. */
async function format4Store(n: number, seed: number, feed = true): Promise<Store> {
  const s = await changedIndex(n, seed, 'format4');
  await downgradeToFormat4(s.location, { feed });
  return s;
}

async function rawKeys(location: string): Promise<{ version: string; feedOf: number; entrySeqs: Map<string, number | null> }> {
  const db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open();
  let feedOfKeys = 0;
  const entrySeqs = new Map<string, number | null>();
  for await (const [k, v] of db.iterator()) {
    if (k[0] === FEED_OF) feedOfKeys++;
    if (k[0] === LIVE || k[0] === DELETED) entrySeqs.set(idOfParts(partsOfTail(k, 1)), feedSeqOf(v));
  }
  const version = (await db.get(VERSION_KEY))!.toString();
  await db.close();
  return { version, feedOf: feedOfKeys, entrySeqs };
}

async function checkConverted(index: RecordIndex, s: Store, queries: number, seed: number): Promise<void> {
  for (const [id, e] of s.entries) assert.equal(await index.get(id), e, `record ${id}`);
  for (const id of s.purged) assert.is(await index.get(id), null);
  const all = [...s.entries.values()];
  const r = rng(seed);
  for (let i = 0; i < queries; i++) await compare(index, all, randomQuery(r), `converted ${i}`);
  // Short prefixes are counted from the number cells the conversion wrote.
  for (const remoteNumber of ['1%', '13%', '138%', '0%', '5%', '9%']) {
    assert.is(await compare(index, all, { remoteNumber, limit: 16, offset: 0 }, `prefix ${remoteNumber}`), remoteNumber === '9%' ? 'number-months' : 'time-stats');
    await compare(index, all, { remoteNumber, limit: 16, offset: 40, from: START + 20 * 86_400_000, to: START + 50 * 86_400_000 - 1 }, `prefix ${remoteNumber} in a range`);
  }
  const feed = await feedOf(index);
  // Each entry holds the number of its one feed key.
  const feedKeys = new Map<string, number>();
  for (const [seq, id, live] of feed) {
    assert.not.ok(feedKeys.has(id), `${id} once in the feed`);
    feedKeys.set(id, seq);
    if (!s.purged.includes(id)) assert.is(live, !s.entries.get(id)!.deleted, `${id} live in the feed`);
  }
  assert.is(feedKeys.size, s.entries.size + s.purged.length, 'every recording and every tombstone in the feed');
  await index.close();
  const raw = await rawKeys(index.location);
  assert.is(raw.version, FORMAT_VERSION, 'converted on to the current format');
  assert.is(raw.feedOf, 0, 'no F key left');
  const months = await numberMonthsCheck(index.location);
  assert.equal(months.wrong, [], 'every number\'s months count its number keys');
  assert.ok(months.numbers > 0);
  assert.is(raw.entrySeqs.size, s.entries.size);
  for (const [id, seq] of raw.entrySeqs) assert.is(seq, feedKeys.get(id), `${id}: the entry holds its feed number`);
  await index.open();
}

test('a format-4 index converts where it is: every record, every answer, the same feed, no F key', async () => {
  const s = await format4Store(2500, 61);
  const raw = await rawKeys(s.location);
  assert.is(raw.version, '4');
  assert.is(raw.feedOf, s.entries.size + s.purged.length, 'format 4 keeps a number key per recording and tombstone');
  assert.ok([...raw.entrySeqs.values()].every((x) => x === null), 'format-4 entries hold no number');
  const index = new RecordIndex(s.location);
  assert.is(await index.open(), false);
  assert.equal(await feedOf(index), s.feed, 'the feed is the same, number for number');
  await checkConverted(index, s, 150, 62);
  // Changes after the conversion move their recordings in the feed, as before.
  const [a, b] = [...s.entries.values()];
  await index.update(a!.id, (e) => ({ ...e, level: 'important' }));
  await index.update(b!.id, (e) => ({ ...e, deleted: !e.deleted }));
  const after = await feedOf(index);
  assert.is(after.length, s.feed.length, 'still each recording once');
  assert.equal(after.slice(-2).map(([, id]) => id), [a!.id, b!.id]);
  await index.close();
});

test('a format-4 index written before the change feed gets one when converted, every entry in time order', async () => {
  const s = await format4Store(600, 63, false);
  const index = new RecordIndex(s.location);
  await index.open();
  const feed = await feedOf(index);
  assert.is(feed.length, s.entries.size, 'every entry once (purged recordings leave no tombstone here)');
  const live = feed.filter(([, id]) => !s.entries.get(id)!.deleted).map(([, id]) => s.entries.get(id)!.startedAt);
  assert.equal(live, [...live].sort((x, y) => x - y), 'live entries in time order');
  assert.ok(feed.every(([seq], i) => seq === i + 1), 'numbered from 1');
  await index.close();
});

test('a conversion in rounds, stopped by an error, resumes at the next open', async () => {
  const s = await format4Store(3500, 65);
  const stop = new Error('stopped');
  let last = 0;
  // Rounds of 500 entries, the index closed and opened between them.
  await convertIndex(s.location, {}, (p) => {
    last = p.converted;
    if (p.converted >= 2000) throw stop;
  }, 500).then(() => assert.unreachable('the conversion went on'), (e) => assert.is(e, stop));
  assert.ok(last >= 2000 && last < s.entries.size, `stopped half-way (${last})`);
  const half = await rawKeys(s.location);
  assert.is(half.version, '4', 'not finished');
  assert.is([...half.entrySeqs.values()].filter((x) => x !== null).length, last, 'the batches written, no more');
  const index = new RecordIndex(s.location);
  await index.open();
  assert.equal(await feedOf(index), s.feed);
  await checkConverted(index, s, 60, 66);
  await index.close();
});

test('a conversion killed with SIGKILL half-way finishes at the next start with every record', async () => {
  const s = await format4Store(40_000, 67);
  const out = await killConversionHalfWay(s.location, 1, 5);
  const half = await rawKeys(s.location);
  assert.is(half.version, '4', `killed half-way: ${out.slice(-200)}`);
  const seqs = [...half.entrySeqs.values()];
  assert.ok(seqs.some((x) => x !== null) && seqs.some((x) => x === null), 'killed with some entries converted and some not');
  const index = new RecordIndex(s.location);
  await index.open();
  assert.equal(await feedOf(index), s.feed);
  await checkConverted(index, s, 40, 68);
  await index.close();
});

test.run();
