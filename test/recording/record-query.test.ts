/**
 * The search engine against a brute-force oracle: random recordings over
 * three months on analog lines, E1 timeslots and VoIP extensions, random
 * searches with every condition (port and wide channels included), pages
 * and totals, whichever key range the planner reads; statistics against
 * sums of the same data; changes keep both right.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { queryRecords, type RecordQuery } from '../../firmware/recording/record-query.ts';
import { channelStats } from '../../firmware/recording/stats-query.ts';
import { localDay, dayStart } from '../../firmware/recording/local-day.ts';
import type { CallType } from '../../firmware/calls/call-types.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';
import { recordingFile } from '../../firmware/recording/recording-paths.ts';
import { recordId } from '../../firmware/recording/record-entry.ts';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { monthOfDay } from '../../firmware/recording/local-day.ts';
import { numberMonthsCheck } from '../support/index-format5-writer.ts';
import { compare, DAYS, fixture, makeEntries, oracle, randomQuery, rng, START } from '../support/record-oracle.ts';

const EVERY_PLAN = [
  'number', 'number-months', 'time-stats', 'time-scan', 'channel-stats', 'channel-scan', 'important-stats', 'important-scan', 'line-stats', 'line-scan',
  'number-scan', 'today-scan',
];

test('history searches count from the statistics less today\'s recordings', async () => {
  const all = makeEntries(2500, 19);
  const index = await fixture(all);
  const r = rng(23);
  for (let i = 0; i < 80; i++) {
    const q = { ...randomQuery(r), store: 'history' as const, remoteNumber: undefined, minDurationMs: undefined, maxDurationMs: undefined, deleted: undefined };
    const plan = await compare(index, all, q, `history ${i}`);
    assert.ok(plan.endsWith('-stats'), `${plan} counts from the statistics`);
  }
  await index.close();
});

test('random searches match a brute-force filter: totals, order and pages, with every plan', async () => {
  const all = makeEntries(4000, 7);
  const index = await fixture(all);
  const r = rng(99);
  const plans = new Set<string>();
  for (let i = 0; i < 450; i++) plans.add(await compare(index, all, randomQuery(r), `query ${i}`));
  for (const p of EVERY_PLAN) assert.ok(plans.has(p), `plan ${p} was exercised (${[...plans].join(', ')})`);
  await index.close();
});

test('on a compacted index the planner reads the smallest range and answers the same', async () => {
  const all = makeEntries(6000, 21);
  const index = await fixture(all);
  await index.db.compactRange(Buffer.from([0]), Buffer.from([0xff]));
  const r = rng(5);
  for (let i = 0; i < 200; i++) await compare(index, all, randomQuery(r), `compacted ${i}`);
  const day = localDay(START) + 40;
  const range = { from: dayStart(day), to: dayStart(day + 7) - 1, limit: 16, offset: 0 };
  // An extension over a week: its channel keys, not the week's entries.
  const ext: RecordQuery = { ...range, portType: 'voip', port: 1, channel: 8001, callType: 'outgoing' };
  assert.is((await queryRecords(index, ext)).plan, 'channel-stats');
  await compare(index, all, ext, 'extension');
  // Important recordings over the whole range: the important keys.
  assert.is((await queryRecords(index, { level: 'important', limit: 16, offset: 0 })).plan, 'important-stats');
  // Extensions with a duration: the channel's keys, each entry fetched to test the duration.
  const dur: RecordQuery = { ...range, channel: 8002, minDurationMs: 60_000 };
  assert.is((await queryRecords(index, dur)).plan, 'channel-scan');
  await compare(index, all, dur, 'duration');
  await index.close();
});

test('entries read back exactly as written, every field', async () => {
  const all = makeEntries(400, 3);
  const index = await fixture(all);
  assert.ok(all.some((e) => e.participants && e.stereo && e.localName && e.direction === 'internal' && e.port > 0 && e.channel > 255));
  for (const e of all) assert.equal(await index.get(e.id), e);
  assert.is(await index.get('1763706000123-07-9'), null);
  assert.is(await index.get('not-an-id'), null);
  await index.close();
});

test('a prefix written as in the manual (5588%) uses the number keys; other patterns filter', async () => {
  const all = makeEntries(1500, 11);
  const index = await fixture(all);
  // Over whole months: counted from the months of its numbers.
  const got = await queryRecords(index, { remoteNumber: '5588%', limit: 16, offset: 0 });
  assert.is(got.plan, 'number-months');
  assert.ok(got.total > 0 && got.items.every((e) => e.remoteNumber.startsWith('5588')));
  // Within a month: its keys.
  const day = localDay(START) + 40;
  const week = await queryRecords(index, { remoteNumber: '5588%', limit: 16, offset: 0, from: dayStart(day), to: dayStart(day + 7) - 1 });
  assert.is(week.plan, 'number');
  assert.ok(week.total > 0 && week.items.every((e) => e.remoteNumber.startsWith('5588')));
  assert.is((await queryRecords(index, { remoteNumber: '%5588%', limit: 5, offset: 0 })).plan, 'time-scan');
  assert.is((await queryRecords(index, { remoteNumber: '5588', limit: 5, offset: 0 })).plan, 'number-scan');
  await index.close();
});

async function checkStats(index: Awaited<ReturnType<typeof fixture>>, all: RecordEntry[], r: () => number, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const fromDay = localDay(START) - 3 + Math.floor(r() * (DAYS + 3));
    const toDay = fromDay + Math.floor(r() * 70);
    const rows = await channelStats(index, { fromDay, toDay });
    const live = all.filter((e) => !e.deleted && localDay(e.startedAt) >= fromDay && localDay(e.startedAt) <= toDay);
    const refs = new Set(live.map((e) => `${e.portType}-${e.port}-${e.channel}`));
    assert.is(rows.length, refs.size, `one row per channel reference, days ${fromDay}..${toDay}`);
    for (const row of rows) {
      const mine = live.filter((e) => e.channel === row.channel && e.portType === row.portType && e.port === row.port);
      const calls = (t: CallType) => mine.filter((e) => e.callType === t && e.part <= 1).length;
      assert.is(row.incoming, calls('incoming-answered'));
      assert.is(row.outgoing, calls('outgoing'));
      assert.is(row.missed, calls('incoming-missed'));
      assert.is(row.recordings, mine.filter((e) => e.file).length);
      assert.is(row.durationMs, mine.filter((e) => e.callType !== 'incoming-missed').reduce((s, e) => s + e.durationMs, 0));
    }
    const voip = await channelStats(index, { fromDay, toDay, portType: 'voip', port: 1 });
    assert.equal(voip, rows.filter((x) => x.portType === 'voip' && x.port === 1));
  }
}

test('statistics per channel reference for any date range equal sums over the entries', async () => {
  const all = makeEntries(3000, 5);
  const index = await fixture(all);
  await checkStats(index, all, rng(1), 40);
  await index.close();
});

test('changes (level, delete, restore, replace, purge) keep searches, counts and statistics right', async () => {
  const all = makeEntries(1500, 13);
  const index = await fixture(all);
  const r = rng(4);
  const byId = new Map(all.map((e) => [e.id, e]));
  for (let i = 0; i < 400; i++) {
    const e = all[Math.floor(r() * all.length)]!;
    if (!byId.has(e.id)) continue;
    const action = r();
    if (action < 0.25) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, level: r() < 0.5 ? 'important' : 'normal' })))!);
    else if (action < 0.5) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, deleted: r() < 0.6 })))!);
    else if (action < 0.8) {
      const was = byId.get(e.id)!;
      const archived = r() < 0.5;
      const next: RecordEntry = {
        ...was, remoteNumber: '5588' + i, lineNumber: String(8000 + (i % 12)), durationMs: i * 1000, archived,
        file: was.file && recordingFile(was.startedAt, was, was.id, archived, was.codec ?? 'alaw'),
        callType: 'outgoing', direction: 'outgoing', participants: r() < 0.5 ? 'x;y' : '',
      };
      await index.put(next);
      byId.set(e.id, next);
    } else {
      await index.beginPurge([byId.get(e.id)!]);
      await index.finishPurge([e.id]);
      byId.delete(e.id);
    }
  }
  const now = [...byId.values()];
  for (const e of now) assert.equal(await index.get(e.id), e);
  for (let i = 0; i < 200; i++) await compare(index, now, randomQuery(r), `after changes ${i}`);
  await checkStats(index, now, r, 15);
  assert.equal(await index.pendingPurges(), []);
  await index.close();
  const months = await numberMonthsCheck(index.location);
  assert.equal(months.wrong, [], 'every number\'s months count its number keys after the changes');
  assert.ok(months.numbers > 0);
});

test('short number prefixes: totals from the box\'s number cells, pages in time order; changes, purges and a reopen keep them exact', async () => {
  const all = makeEntries(2500, 17);
  let index = await fixture(all);
  const r = rng(18);
  const byId = new Map(all.map((e) => [e.id, e]));
  const prefixes = ['1%', '13%', '138%', '0%', '02%', '5%', '55%', '8%', '9%', '0755%'];
  const check = async (label: string, rounds: number) => {
    const now = [...byId.values()];
    for (let i = 0; i < rounds; i++) {
      const q: RecordQuery = { remoteNumber: prefixes[i % prefixes.length]!, limit: [1, 16, 50][i % 3]!, offset: r() < 0.6 ? 0 : Math.floor(r() * 300) };
      const span = r();
      if (span < 0.4) {
        const day = localDay(START) + Math.floor(r() * DAYS);
        q.from = dayStart(day);
        q.to = dayStart(day + 1 + Math.floor(r() * 20)) - 1;
      } else if (span < 0.7) {
        q.from = START + Math.floor(r() * DAYS * 86_400_000);
        q.to = q.from + Math.floor(r() * 30 * 86_400_000);
      }
      if (r() < 0.15) q.store = r() < 0.5 ? 'history' : 'today';
      await compare(index, now, q, `${label} ${i}`);
    }
    // A common prefix over all three months: counted from the cells, read in time order.
    assert.is((await queryRecords(index, { remoteNumber: '1%', limit: 16, offset: 0 })).plan, 'time-stats');
    // No number starts with 9: the months of its numbers (none) answer.
    assert.is((await queryRecords(index, { remoteNumber: '9%', limit: 16, offset: 0 })).plan, 'number-months');
  };
  await check('fresh', 150);
  for (let i = 0; i < 300; i++) {
    const e = all[Math.floor(r() * all.length)]!;
    if (!byId.has(e.id)) continue;
    const action = r();
    if (action < 0.4) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, remoteNumber: ['13812345678', '0211', '55', '', '8'][i % 5]! })))!);
    else if (action < 0.7) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, deleted: !x.deleted })))!);
    else {
      await index.beginPurge([byId.get(e.id)!]);
      await index.finishPurge([e.id]);
      byId.delete(e.id);
    }
  }
  await check('after changes', 150);
  await index.close();
  index = new RecordIndex(index.location);
  await index.open();
  await check('reopened', 80);
  await index.close();
});

test('line numbers: channels that only had the line answer from their keys; moves, changes, purges and a reopen keep it exact', async () => {
  // Each analog line has its own number for two months; in the third, line 3 shares its channel with 8103 and 8005 moves to channel 7.
  const third = dayStart(localDay(START) + 61);
  const all = makeEntries(3000, 31, false).map((e) => {
    let lineNumber = String(8000 + (e.channel % 12));
    if (e.startedAt >= third && e.channel === 3 && e.startedAt % 2 === 0) lineNumber = '8103';
    if (e.startedAt >= third && e.channel === 7 && e.startedAt % 3 === 0) lineNumber = '8005';
    return { ...e, lineNumber };
  });
  const index = await fixture(all);
  const m0 = monthOfDay(localDay(START));
  const pureBefore = index.channels.refsOfLine('8001', m0, m0 + 1);
  assert.ok(pureBefore.pure && pureBefore.refs.length > 0, 'a line alone on its channels is pure');
  assert.is(index.channels.refsOfLine('8005', m0, m0 + 2).pure, false, 'a line that moved onto a busy channel is not');
  assert.is(index.channels.refsOfLine('8003', m0 + 2, m0 + 2).pure, false, 'a channel with two lines is not');
  const r = rng(17);
  const lineQuery = () => {
    const q = randomQuery(r);
    q.lineNumber = ['8001', '8003', '8005', '8007', '8103', '8011'][Math.floor(r() * 6)]!;
    return q;
  };
  for (let i = 0; i < 250; i++) await compare(index, all, lineQuery(), `line ${i}`);
  // Changes: lines rewritten, entries deleted and purged; the directory follows the month cells.
  const byId = new Map(all.map((e) => [e.id, e]));
  const ids = [...byId.keys()];
  for (let i = 0; i < 300; i++) {
    const id = ids[Math.floor(r() * ids.length)]!;
    const was = byId.get(id);
    if (!was) continue;
    const action = r();
    if (action < 0.5) {
      const next = { ...was, lineNumber: ['8001', '8103', '8999'][i % 3]! };
      await index.put(next);
      byId.set(id, next);
    } else if (action < 0.8) byId.set(id, (await index.update(id, (x) => ({ ...x, deleted: !x.deleted })))!);
    else {
      await index.beginPurge([was]);
      await index.finishPurge([id]);
      byId.delete(id);
    }
  }
  const now = [...byId.values()];
  for (let i = 0; i < 200; i++) await compare(index, now, lineQuery(), `line after changes ${i}`);
  const location = index.location;
  await index.close();
  const again = new RecordIndex(location);
  await again.open();
  for (let i = 0; i < 100; i++) await compare(again, now, lineQuery(), `line after reopening ${i}`);
  await again.close();
});

test('number searches over months holding more keys than one LevelDB read returns', async () => {
  // A read stops at 16 KiB of keys: a month of one prefix (and of one busy number) takes several.
  const r = rng(23);
  const all = makeEntries(6000, 41, false).map((e, i) => ({
    ...e,
    remoteNumber: i % 3 === 0 ? '13800000000' : r() < 0.8 ? `138${String(Math.floor(r() * 1e8)).padStart(8, '0')}` : `0755${Math.floor(r() * 1e7)}`,
  }));
  const index = await fixture(all);
  for (const remoteNumber of ['138%', '13800000000', '1380%', '0755%']) {
    await compare(index, all, { limit: 16, offset: 0, remoteNumber }, `${remoteNumber} all`);
    await compare(index, all, { limit: 16, offset: 700, remoteNumber }, `${remoteNumber} deep`);
    const from = dayStart(localDay(START) + 20);
    await compare(index, all, { limit: 16, offset: 0, remoteNumber, from, to: dayStart(localDay(START) + 70) - 1 }, `${remoteNumber} range`);
    await compare(index, all, { limit: 50, offset: 30, remoteNumber, from, to: from + 86_400_000 - 1 }, `${remoteNumber} day`);
  }
  // An exact number's months: ranges cutting months anywhere, pages anywhere, numbers with no recording.
  const first = Math.min(...all.map((e) => e.startedAt));
  const span = Math.max(...all.map((e) => e.startedAt)) - first;
  for (let i = 0; i < 60; i++) {
    const a = first + Math.floor(r() * span);
    const b = a + Math.floor(r() * span);
    const remoteNumber = i % 10 === 9 ? '13800000001' : '13800000000';
    const offset = [0, 16, 300, 1500][i % 4]!;
    const plan = await compare(index, all, { limit: 16, offset, remoteNumber, from: a, to: b }, `exact ${remoteNumber} ${a}..${b} +${offset}`);
    assert.is(plan, 'number-scan', 'counted from the number\'s months');
  }
  await index.close();
});

test('the index never writes an empty value (classic-level leaks an allocation for each); purges without a file read back as none', async () => {
  const all = makeEntries(600, 3);
  const index = await fixture(all);
  const missed = all.find((e) => !e.file && !e.deleted)!;
  const withFile = all.find((e) => e.file && !e.deleted)!;
  await index.beginPurge([missed, withFile]);
  let keys = 0;
  for await (const [k, v] of index.db.iterator()) {
    keys++;
    assert.ok(v.length > 0, `key ${k.toString('hex')} has a value`);
  }
  assert.ok(keys > all.length * 3, 'entries and their search keys were read');
  const pending = new Map((await index.pendingPurges()).map((p) => [p.id, p.file]));
  assert.is(pending.get(missed.id), null);
  assert.is(pending.get(withFile.id), withFile.file);
  await index.close();
});


test('a number prefix over whole months counts from its numbers\' months: pages anywhere, months cut by the range, changes and purges', async () => {
  const r = rng(61);
  const customers = Array.from({ length: 30 }, (_, i) => `1381234${String(i * 37).padStart(4, '0')}`);
  // More numbers start with 139 than the months plan reads: its keys answer instead.
  const all = makeEntries(3500, 43, false).map((e, i) => ({
    ...e,
    remoteNumber: i % 5 < 2 ? customers[Math.floor(r() * customers.length)]! : i % 5 < 4 ? `139${String(i).padStart(8, '0')}` : `0755${Math.floor(r() * 1e4)}`,
  }));
  let index = await fixture(all);
  const byId = new Map(all.map((e) => [e.id, e]));
  const july = { from: Date.UTC(2026, 6, 1), to: Date.UTC(2026, 7, 1) - 1 };
  const ranges: { from?: number; to?: number }[] = [
    {}, july, { from: july.from - 5 * 86_400_000, to: july.to + 9 * 86_400_000 }, { from: START + 3_600_000 }, { to: july.to + 1 },
  ];
  const check = async (label: string) => {
    const now = [...byId.values()];
    for (const remoteNumber of ['1381234%', '13812340%', '0755%', '139%', '%']) {
      for (const [k, range] of ranges.entries()) {
        for (const offset of [0, 16, 300, 1300]) {
          const q: RecordQuery = { remoteNumber, limit: 16, offset, ...range };
          const plan = await compare(index, now, q, `${label} ${remoteNumber} range ${k} +${offset}`);
          if (remoteNumber === '139%' || remoteNumber === '%') assert.is.not(plan, 'number-months', 'more numbers than the months plan reads, or no number condition');
          else assert.is(plan, 'number-months', `${remoteNumber} range ${k}`);
        }
      }
    }
  };
  await check('fresh');
  for (let i = 0; i < 400; i++) {
    const e = all[Math.floor(r() * all.length)]!;
    if (!byId.has(e.id)) continue;
    const action = r();
    if (action < 0.4) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, remoteNumber: i % 2 ? customers[i % 30]! : '021555' })))!);
    else if (action < 0.7) byId.set(e.id, (await index.update(e.id, (x) => ({ ...x, deleted: !x.deleted })))!);
    else {
      await index.beginPurge([byId.get(e.id)!]);
      await index.finishPurge([e.id]);
      byId.delete(e.id);
    }
  }
  await check('after changes');
  await index.close();
  index = new RecordIndex(index.location);
  await index.open();
  await check('reopened');
  await index.close();
});

test('the planner estimates ranges from the month statistics in memory, also for recordings LevelDB still holds in memory', async () => {
  // Nearly every recording on line 3: its keys are no narrower than the entries, and each would need its entry fetched.
  const r = rng(71);
  const moved = makeEntries(2000, 73, false).map((e) => {
    if (e.portType !== 'analog') return e;
    const channel = r() < 0.95 ? 3 : 5;
    return { ...e, channel, id: recordId(e.startedAt, { ...e, channel }, e.part === 0 ? 'm' : e.part) };
  });
  const fixed = [...new Map(moved.map((e) => [e.id, e])).values()];
  const index = await fixture(fixed);
  const busy: RecordQuery = { channel: 3, portType: 'analog', minDurationMs: 1000, limit: 16, offset: 0 };
  assert.is(await compare(index, fixed, busy, 'busy line'), 'time-scan');
  const quiet: RecordQuery = { channel: 5, portType: 'analog', minDurationMs: 1000, limit: 16, offset: 0 };
  assert.is(await compare(index, fixed, quiet, 'quiet line'), 'channel-scan');
  await index.close();
});

test('a search reads one state of the index: recordings written between its reads are in neither its total nor its page', async () => {
  const all = makeEntries(1500, 81, false).map((e, i) => ({ ...e, remoteNumber: i % 3 ? `1381234${String(i % 40).padStart(4, '0')}` : e.remoteNumber }));
  const index = await fixture(all);
  // The recorder writes right after the search's first read (an exact number's months, a prefix's numbers), before it reads their keys.
  let write: (() => Promise<void>) | null = null;
  const afterFirstRead = async <T>(read: Promise<T>): Promise<T> => {
    const r = await read;
    const w = write;
    write = null;
    if (w) await w();
    return r;
  };
  const db = index.db as unknown as Record<string, (...a: unknown[]) => unknown>;
  const get = db.get!.bind(db);
  const iterator = db.iterator!.bind(db);
  db.get = (...a: unknown[]) => afterFirstRead(get(...a) as Promise<unknown>);
  db.iterator = (...a: unknown[]) => {
    const it = iterator(...a) as { nextv: (...b: unknown[]) => Promise<unknown> };
    const nextv = it.nextv.bind(it);
    it.nextv = (...b: unknown[]) => afterFirstRead(nextv(...b));
    return it;
  };
  const now = [...all];
  const last = Math.max(...all.map((e) => e.startedAt));
  for (let i = 0; i < 12; i++) {
    const q: RecordQuery = { remoteNumber: i % 2 ? '1381234%' : '13812340001', limit: 16, offset: i % 4 < 2 ? 0 : 10 };
    const want = oracle(now, q);
    // Recordings of the number: the newest, and within the months of the first page.
    const added = [0, 1, 2].map((k) => {
      const startedAt = last + 1000 * (i * 3 + k + 1) - k * 86_400_000;
      const ref = { portType: 'analog' as const, port: 0, channel: k };
      return { ...all[k]!, id: recordId(startedAt, ref, 1), startedAt, ...ref, remoteNumber: '13812340001', deleted: false };
    });
    write = () => index.putMany(added);
    const got = await queryRecords(index, q);
    assert.is(write, null, `search ${i}: the recordings were written while it ran`);
    now.push(...added);
    assert.is(got.total, want.total, `search ${i} total (${got.plan})`);
    assert.equal(got.items.map((e) => e.id), want.ids, `search ${i} page (${got.plan})`);
  }
  await index.close();
});

test.run();
