/**
 * An index written by an earlier firmware (format 3, or 2) is converted to
 * the current format when opened: every record of every kind is kept, every
 * search and statistic gives the same answer, and a conversion cut short (an error
 * half-way, a SIGKILL, a power loss between the directory renames) resumes
 * and finishes at the next open.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RecordIndex, convertIndex } from '../../firmware/recording/record-index.ts';
import { convertingDir, previousDir } from '../../firmware/recording/index-conversion.ts';
import { channelStats } from '../../firmware/recording/stats-query.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { localDay } from '../../firmware/recording/local-day.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { compare, DAYS, makeEntries, randomQuery, rng, START } from '../support/record-oracle.ts';
import { tempDir } from '../support/temp-dir.ts';
import { Format3Writer } from '../support/index-format3-writer.ts';
import { killConversionHalfWay } from '../support/kill-conversion.ts';

interface Store {
  location: string;
  live: RecordEntry[];
  all: RecordEntry[];
  purging: RecordEntry[];
}

/** A format-3 index of `n` records of every kind: analog, E1 and VoIP, missed, deleted, archived or not, important, sealed, purges pending. */
async function format3Store(n: number, seed: number, version = '3'): Promise<Store> {
  const all = makeEntries(n, seed, false);
  const location = path.join(tempDir('convert-'), 'index');
  const writer = new Format3Writer(location);
  await writer.open(version);
  for (let i = 0; i < all.length; i += 1000) await writer.write(all.slice(i, i + 1000));
  const purging = all.filter((e) => e.deleted).slice(0, 12);
  for (const e of purging) await writer.pendingPurge(e);
  await writer.close();
  return { location, all, live: all.filter((e) => !e.deleted), purging };
}

function kinds(all: RecordEntry[]): void {
  const has = (what: string, f: (e: RecordEntry) => boolean) => assert.ok(all.some(f), `the store holds ${what}`);
  has('E1 records', (e) => e.portType === 'e1');
  has('VoIP records', (e) => e.portType === 'voip');
  has('missed calls', (e) => e.part === 0 && e.file === null);
  has('deleted records', (e) => e.deleted);
  has('archived records', (e) => e.archived && e.file !== null);
  has('records not archived', (e) => !e.archived);
  has('important records', (e) => e.level === 'important');
  has('sealed records', (e) => e.sealed);
  has('second parts', (e) => e.part === 2);
}

async function checkConverted(index: RecordIndex, s: Store, queries: number, seed: number): Promise<void> {
  for (const e of s.all) assert.equal(await index.get(e.id), e, `record ${e.id}`);
  const r = rng(seed);
  for (let i = 0; i < queries; i++) await compare(index, s.all, randomQuery(r), `converted ${i}`);
  const purges = (await index.pendingPurges()).sort((a, b) => a.id.localeCompare(b.id));
  assert.equal(purges, s.purging.map((e) => ({ id: e.id, file: e.file })).sort((a, b) => a.id.localeCompare(b.id)));
  const today = s.live.filter((e) => !e.archived).sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1)).map((e) => e.id);
  assert.equal((await index.notArchived(1e6)).sort(), [...today].sort());
  const rows = await channelStats(index, { fromDay: localDay(START), toDay: localDay(START) + DAYS });
  assert.is(rows.reduce((x, row) => x + row.recordings, 0), s.live.filter((e) => e.file).length);
  assert.is(rows.reduce((x, row) => x + row.missed, 0), s.live.filter((e) => e.callType === 'incoming-missed' && e.part <= 1).length);
  assert.not.ok(fs.existsSync(convertingDir(index.location)), 'no conversion directory left');
  assert.not.ok(fs.existsSync(previousDir(index.location)), 'no previous index left');
}

test('a format-3 index with records of every kind converts keeping every record and every answer', async () => {
  const s = await format3Store(3000, 31);
  kinds(s.all);
  const index = new RecordIndex(s.location);
  assert.is(await index.open(), false, 'an existing index, not a new one');
  await checkConverted(index, s, 300, 2);
  await index.close();
  const again = new RecordIndex(s.location);
  assert.is(await again.open(), false);
  assert.equal(await again.get(s.all[0]!.id), s.all[0]);
  await again.close();
});

test('a format-2 index converts the same way', async () => {
  const s = await format3Store(800, 37, '2');
  const index = new RecordIndex(s.location);
  await index.open();
  await checkConverted(index, s, 80, 3);
  await index.close();
});

test('a conversion in rounds, stopped half-way by an error, resumes at the next open', async () => {
  const s = await format3Store(3500, 41);
  let batches = 0;
  const stop = new Error('stopped');
  let last = 0;
  // Rounds of 500 entries, both indexes reopened between them.
  await convertIndex(s.location, {}, (p) => {
    last = p.converted;
    if (++batches === 5) throw stop;
  }, 500).then(() => assert.unreachable('the conversion went on'), (e) => assert.is(e, stop));
  assert.ok(last > 500 && last < 3500, `stopped after more than one round (${last})`);
  assert.ok(fs.existsSync(convertingDir(s.location)), 'the conversion was under way');
  const index = new RecordIndex(s.location);
  await index.open();
  await checkConverted(index, s, 80, 4);
  await index.close();
});

test('a power loss between the directory renames is completed at the next open', async () => {
  const s = await format3Store(1200, 43);
  const index = new RecordIndex(s.location);
  await index.open();
  await index.close();
  // The state after the first rename: the old index set aside, the new one not yet in place.
  fs.renameSync(s.location, convertingDir(s.location));
  fs.mkdirSync(previousDir(s.location));
  fs.writeFileSync(path.join(previousDir(s.location), 'CURRENT'), 'MANIFEST-000001\n');
  const reopened = new RecordIndex(s.location);
  assert.is(await reopened.open(), false);
  await checkConverted(reopened, s, 60, 5);
  await reopened.close();
});

test('a conversion left behind by an index rebuilt meanwhile is removed', async () => {
  const location = path.join(tempDir('convert-'), 'index');
  const index = new RecordIndex(location);
  assert.is(await index.open(), true);
  await index.put(makeEntries(1, 3)[0]!);
  await index.close();
  fs.mkdirSync(convertingDir(location));
  fs.writeFileSync(path.join(convertingDir(location), 'CURRENT'), 'MANIFEST-000001\n');
  const reopened = new RecordIndex(location);
  assert.is(await reopened.open(), false);
  assert.not.ok(fs.existsSync(convertingDir(location)));
  assert.is((await queryRecords(reopened, { limit: 5, offset: 0 })).total, 1);
  await reopened.close();
});

test('a conversion killed with SIGKILL half-way finishes at the next start with every record', async () => {
  const s = await format3Store(30_000, 47);
  const out = await killConversionHalfWay(s.location, 5000, 20);
  assert.ok(fs.existsSync(convertingDir(s.location)), `killed half-way: ${out.slice(-300)} ${fs.readdirSync(path.dirname(s.location))}`);
  const index = new RecordIndex(s.location);
  await index.open();
  const byId = new Map(s.all.map((e) => [e.id, e]));
  let n = 0;
  for await (const [k] of index.db.iterator({ gte: Buffer.from('d'), lt: Buffer.from('e') })) n += k.length > 0 ? 1 : 0;
  for await (const [k] of index.db.iterator({ gte: Buffer.from('t'), lt: Buffer.from('u') })) n += k.length > 0 ? 1 : 0;
  assert.is(n, s.all.length, 'every record once');
  const r = rng(6);
  for (let i = 0; i < 300; i++) {
    const e = s.all[Math.floor(r() * s.all.length)]!;
    assert.equal(await index.get(e.id), byId.get(e.id));
  }
  await checkConverted(index, { ...s, all: s.all }, 40, 7);
  await index.close();
});

test.run();
