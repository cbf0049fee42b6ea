/**
 * The search engine against a brute-force oracle: random recordings over
 * three months, random searches with every condition, pages and totals;
 * statistics against sums of the same data; changes keep both right.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { queryRecords, parseNumberPattern, type RecordQuery } from '../../firmware/recording/record-query.ts';
import { channelStats } from '../../firmware/recording/stats-query.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../../firmware/recording/record-entry.ts';
import { recordingFile } from '../../firmware/recording/recording-paths.ts';
import { dayStart, localDay } from '../../firmware/recording/local-day.ts';
import type { CallType } from '../../firmware/calls/call-types.ts';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const START = Date.parse('2026-06-01T00:00:00Z');
const DAYS = 92;
const NUMBERS = ['13800138000', '13812345678', '13955880001', '5588', '55881234', '02188776655', '0755123', '', '', '8001'];
const TYPES: CallType[] = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'];

function makeEntries(n: number, seed: number): RecordEntry[] {
  const r = rng(seed);
  const out = new Map<string, RecordEntry>();
  while (out.size < n) {
    const startedAt = START + Math.floor(r() * DAYS * 86_400_000);
    const portType = r() < 0.85 ? 'analog' : r() < 0.5 ? 'e1' : 'voip';
    const channel = Math.floor(r() * 12);
    const callType = TYPES[Math.floor(r() * 4)]!;
    const part = callType === 'incoming-missed' ? 0 : r() < 0.9 ? 1 : 2;
    const ref = { portType, port: 0, channel } as const;
    const id = recordId(startedAt, ref, part === 0 ? 'm' : part);
    const file = part === 0 ? null : recordingFile(startedAt, ref, id, r() < 0.5, r() < 0.3 ? 'mp3' : 'alaw');
    out.set(id, withEntryDefaults({
      id,
      callId: `${channel}-${startedAt - (part === 2 ? 1_800_000 : 0)}`,
      part,
      channel,
      portType,
      lineNumber: String(8000 + channel + (r() < 0.05 ? 100 : 0)),
      remoteNumber: NUMBERS[Math.floor(r() * NUMBERS.length)]! + (r() < 0.3 ? String(Math.floor(r() * 100)) : ''),
      callerName: r() < 0.1 ? '张三' : '',
      callType,
      startedAt,
      durationMs: Math.floor(r() * 600_000),
      startMode: 'voltage',
      stopMode: part === 0 ? null : 'hangup',
      level: r() < 0.1 ? 'important' : 'normal',
      file,
      sizeBytes: file ? Math.floor(r() * 1e6) : 0,
      codec: file ? (file.endsWith('.mp3') ? 'mp3' : 'alaw') : null,
      archived: file ? file.startsWith('history') : r() < 0.5,
      sealed: r() < 0.2,
      sha256: file ? Buffer.from(Array.from({ length: 32 }, () => Math.floor(r() * 256))).toString('hex') : null,
      deleted: r() < 0.05,
    }));
  }
  return [...out.values()];
}

function like(pattern: string, n: string): boolean {
  const p = parseNumberPattern(pattern);
  if ('re' in p) return p.re.test(n);
  return p.kind === 'exact' ? n === p.text : n.startsWith(p.text);
}

function oracle(all: RecordEntry[], q: RecordQuery) {
  const hits = all
    .filter((e) => e.deleted === !!q.deleted)
    .filter((e) => (q.from === undefined || e.startedAt >= q.from) && (q.to === undefined || e.startedAt <= q.to))
    .filter((e) => q.lineNumber === undefined || e.lineNumber === q.lineNumber)
    .filter((e) => q.remoteNumber === undefined || like(q.remoteNumber, e.remoteNumber))
    .filter((e) => q.portType === undefined || e.portType === q.portType)
    .filter((e) => q.channel === undefined || e.channel === q.channel)
    .filter((e) => q.callType === undefined || e.callType === q.callType)
    .filter((e) => q.level === undefined || e.level === q.level)
    .filter((e) => q.minDurationMs === undefined || e.durationMs >= q.minDurationMs)
    .filter((e) => q.maxDurationMs === undefined || e.durationMs <= q.maxDurationMs)
    .filter((e) => q.store === undefined || e.archived === (q.store === 'history'))
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return { total: hits.length, ids: hits.slice(q.offset, q.offset + q.limit).map((e) => e.id) };
}

/** Newest first with ties ordered by port, channel, part, like the index keys. */
function keyOrder(e: RecordEntry): string {
  const port = { analog: 0, e1: 1, voip: 2 }[e.portType];
  return `${String(e.startedAt).padStart(13, '0')}${port}${String(e.channel).padStart(3, '0')}${String(e.part).padStart(3, '0')}`;
}

function randomQuery(r: () => number): RecordQuery {
  const q: RecordQuery = { limit: [1, 5, 16, 50][Math.floor(r() * 4)]!, offset: r() < 0.7 ? 0 : Math.floor(r() * 200) };
  const span = r();
  if (span < 0.3) {
    const day = localDay(START) + Math.floor(r() * DAYS);
    q.from = dayStart(day);
    q.to = dayStart(day + 1 + Math.floor(r() * 3)) - 1;
  } else if (span < 0.6) {
    q.from = START + Math.floor(r() * DAYS * 86_400_000);
    q.to = q.from + Math.floor(r() * 40 * 86_400_000);
  } else if (span < 0.7) q.from = START + Math.floor(r() * DAYS * 86_400_000);
  const pick = () => r() < 0.25;
  if (pick()) q.channel = Math.floor(r() * 12);
  if (pick()) q.portType = (['analog', 'e1', 'voip'] as const)[Math.floor(r() * 3)]!;
  if (pick()) q.callType = TYPES[Math.floor(r() * 4)]!;
  if (r() < 0.15) q.level = r() < 0.5 ? 'important' : 'normal';
  if (r() < 0.1) q.lineNumber = String(8000 + Math.floor(r() * 12));
  if (r() < 0.3) q.remoteNumber = ['5588%', '138%', '13800138000', '%5588%', '0755%', '8001', '1%3', '13955880001%'][Math.floor(r() * 8)]!;
  if (r() < 0.1) q.minDurationMs = Math.floor(r() * 300_000);
  if (r() < 0.1) q.maxDurationMs = Math.floor(r() * 600_000);
  if (r() < 0.1) q.store = r() < 0.5 ? 'today' : 'history';
  if (r() < 0.05) q.deleted = true;
  return q;
}

async function fixture(entries: RecordEntry[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'query-'));
  const index = new RecordIndex(path.join(dir, 'index'));
  await index.open();
  for (let i = 0; i < entries.length; i += 500) await index.putMany(entries.slice(i, i + 500));
  return index;
}

async function compare(index: RecordIndex, all: RecordEntry[], q: RecordQuery, label: string): Promise<void> {
  const sorted = [...all].sort((a, b) => (keyOrder(a) < keyOrder(b) ? 1 : -1));
  const want = oracle(sorted.map((e, i) => ({ ...e, id: String(1e9 - i).padStart(10, '0') + e.id })), q);
  const got = await queryRecords(index, q);
  assert.is(got.total, want.total, `${label} total ${JSON.stringify(q)} (${got.plan})`);
  assert.equal(got.items.map((e) => e.id), want.ids.map((id) => id.slice(10)), `${label} page ${JSON.stringify(q)} (${got.plan})`);
}

test('random searches match a brute-force filter: totals, order and pages', async () => {
  const all = makeEntries(4000, 7);
  const index = await fixture(all);
  const r = rng(99);
  const plans = new Set<string>();
  for (let i = 0; i < 400; i++) {
    const q = randomQuery(r);
    await compare(index, all, q, `query ${i}`);
    plans.add((await queryRecords(index, q)).plan);
  }
  assert.equal([...plans].sort(), ['number', 'time-scan', 'time-stats'], 'every plan was exercised');
  await index.close();
});

test('entries read back exactly as written', async () => {
  const all = makeEntries(300, 3);
  const index = await fixture(all);
  for (const e of all) assert.equal(await index.get(e.id), e);
  assert.is(await index.get('1763706000123-07-9'), null);
  assert.is(await index.get('not-an-id'), null);
  await index.close();
});

test('a prefix written as in the manual (5588%) uses the number keys; other patterns filter', async () => {
  const all = makeEntries(1500, 11);
  const index = await fixture(all);
  const q: RecordQuery = { remoteNumber: '5588%', limit: 16, offset: 0 };
  const got = await queryRecords(index, q);
  assert.is(got.plan, 'number');
  assert.ok(got.total > 0 && got.items.every((e) => e.remoteNumber.startsWith('5588')));
  assert.is((await queryRecords(index, { remoteNumber: '%5588%', limit: 5, offset: 0 })).plan, 'time-scan');
  await index.close();
});

test('statistics per channel for any date range equal sums over the entries', async () => {
  const all = makeEntries(3000, 5);
  const index = await fixture(all);
  const r = rng(1);
  for (let i = 0; i < 40; i++) {
    const fromDay = localDay(START) - 3 + Math.floor(r() * (DAYS + 3));
    const toDay = fromDay + Math.floor(r() * 70);
    const rows = await channelStats(index, { fromDay, toDay });
    const live = all.filter((e) => !e.deleted && localDay(e.startedAt) >= fromDay && localDay(e.startedAt) <= toDay);
    for (const row of rows) {
      const mine = live.filter((e) => e.channel === row.channel && e.portType === row.portType);
      const calls = (t: CallType) => mine.filter((e) => e.callType === t && e.part <= 1).length;
      assert.is(row.incoming, calls('incoming-answered'));
      assert.is(row.outgoing, calls('outgoing'));
      assert.is(row.missed, calls('incoming-missed'));
      assert.is(row.recordings, mine.filter((e) => e.file).length);
      assert.is(row.durationMs, mine.filter((e) => e.callType !== 'incoming-missed').reduce((s, e) => s + e.durationMs, 0));
    }
    assert.is(rows.reduce((s, x) => s + x.recordings, 0), live.filter((e) => e.file).length, `days ${fromDay}..${toDay}`);
  }
  await index.close();
});

test('changes (level, delete, restore, replace, purge) keep searches, counts and statistics right', async () => {
  const all = makeEntries(1200, 13);
  const index = await fixture(all);
  const r = rng(4);
  const byId = new Map(all.map((e) => [e.id, e]));
  for (let i = 0; i < 300; i++) {
    const e = all[Math.floor(r() * all.length)]!;
    if (!byId.has(e.id)) continue;
    const action = r();
    if (action < 0.3) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, level: r() < 0.5 ? 'important' : 'normal' })))!);
    else if (action < 0.6) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, deleted: r() < 0.6 })))!);
    else if (action < 0.8) {
      const next = { ...byId.get(e.id)!, remoteNumber: '5588' + i, durationMs: i * 1000, archived: true, callType: 'outgoing' as const };
      await index.put(next);
      byId.set(e.id, next);
    } else {
      await index.beginPurge([byId.get(e.id)!]);
      await index.finishPurge([e.id]);
      byId.delete(e.id);
    }
  }
  const now = [...byId.values()];
  for (let i = 0; i < 150; i++) await compare(index, now, randomQuery(r), `after changes ${i}`);
  const rows = await channelStats(index, { fromDay: localDay(START), toDay: localDay(START) + DAYS });
  assert.is(rows.reduce((s, x) => s + x.recordings, 0), now.filter((e) => !e.deleted && e.file).length);
  assert.equal(await index.pendingPurges(), []);
  await index.close();
});

test('an index of format 2 gets its number keys regrouped by month when opened', async () => {
  const all = makeEntries(1500, 17);
  const index = await fixture(all);
  const location = index.location;
  await index.close();
  const raw = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await raw.open();
  await raw.clear({ gte: Buffer.from('n'), lt: Buffer.from('o') });
  await raw.put(Buffer.from('v'), Buffer.from('2'));
  await raw.close();
  const reopened = new RecordIndex(location);
  assert.is(await reopened.open(), false);
  const r = rng(8);
  for (let i = 0; i < 60; i++) {
    const q = randomQuery(r);
    q.remoteNumber = ['5588%', '138%', '13800138000', '0755%', '1%'][i % 5]!;
    await compare(reopened, all, q, `regrouped ${i}`);
  }
  await reopened.close();
});

test.run();
