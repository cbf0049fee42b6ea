/**
 * Bounded retention: the oldest entries go when there are more than the
 * bound or they are older than the age bound, in small atomic steps that
 * let appends through; counters and filters stay right afterwards; alarms
 * still active are kept whatever their age.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AlarmList } from '../../firmware/alarms/alarm-list.ts';
import type { TimerHandle } from '../../firmware/host/host.ts';
import { ACCOUNTS, DAY, T0, indexOf, oracle, quiet, randomEntries, tmpJournal } from './helpers.ts';

test('by count: the oldest entries beyond the bound go, and every filter still counts right', async () => {
  const entries = randomEntries(1500, 3);
  const { journal } = await tmpJournal({ retention: { operations: { maxEntries: 1000, maxAgeDays: 3650 }, batchSize: 64 } });
  for (const e of entries) await journal.operations.append(e);
  const report = await journal.trim(T0 + 11 * DAY);
  assert.equal(report, { operations: 500, alarms: 0 });
  const kept = oracle(entries, {}).slice(0, 1000);
  assert.is(await journal.operations.count(), 1000);
  const all = await journal.operations.query({ limit: 500, offset: 500 });
  assert.equal(all.items.map(indexOf), kept.slice(500));
  for (const account of ACCOUNTS) {
    const want = kept.filter((i) => { const p = entries[i]!.principal; return p.kind === 'user' && p.account === account; });
    const got = await journal.operations.query({ account, limit: 500 });
    assert.is(got.total, want.length, account);
    assert.equal(got.items.map(indexOf), want.slice(0, 500));
  }
  assert.equal(await journal.trim(T0 + 11 * DAY), { operations: 0, alarms: 0 }, 'nothing more to do');
  await journal.close();
});

test('by count with full-size steps of long entries: every step removes its whole batch', async () => {
  const entries = randomEntries(1500, 6).map((e) => ({ ...e, detail: `${e.detail} ${'x'.repeat(900)}` }));
  const { journal } = await tmpJournal({ retention: { operations: { maxEntries: 200, maxAgeDays: 3650 } } });
  for (const e of entries) await journal.operations.append(e);
  assert.equal(await journal.trim(T0 + 11 * DAY), { operations: 1300, alarms: 0 });
  assert.equal((await journal.operations.query({ limit: 500 })).items.map(indexOf), oracle(entries, {}).slice(0, 200));
  await journal.close();
});

test('by age: entries older than the bound go, newer ones stay', async () => {
  const entries = randomEntries(800, 4, 40);
  const { journal } = await tmpJournal({ retention: { operations: { maxAgeDays: 30 }, batchSize: 50 } });
  for (const e of entries) await journal.operations.append(e);
  const now = T0 + 45 * DAY;
  const report = await journal.trim(now);
  const want = oracle(entries, { from: now - 30 * DAY });
  assert.is(report.operations, entries.length - want.length);
  const page = await journal.operations.query({ limit: 500 });
  assert.is(page.total, want.length);
  assert.equal(page.items.map(indexOf), want.slice(0, 500));
  assert.is((await journal.operations.query({ to: now - 30 * DAY })).total, 0);
  await journal.close();
});

test('alarm history keeps its bound, and alarms still active whatever their age', async () => {
  const { journal } = await tmpJournal({ retention: { alarms: { maxEntries: 20, maxAgeDays: 30 }, batchSize: 7 } });
  const list = new AlarmList(quiet);
  journal.alarms.attach(list, quiet);
  list.raise('disk-missing', 'critical', 'disk', 'data disk not present', T0);
  for (let i = 0; i < 50; i++) {
    list.raise('linecard-down', 'critical', 'device', 'down', T0 + DAY + i * 1000);
    list.clear('linecard-down', T0 + DAY + i * 1000 + 500);
  }
  await journal.alarms.flush();
  assert.equal(await journal.trim(T0 + 10 * DAY), { operations: 0, alarms: 31 });
  const page = await journal.alarms.query({ limit: 50 });
  assert.is(page.total, 20);
  assert.ok(page.items.some((i) => i.alarmId === 'disk-missing'), 'the active alarm stays');
  assert.is(page.items.filter((i) => i.alarmId === 'linecard-down')[18]!.raisedAt, T0 + DAY + 31_000, 'the newest clears stay');
  await journal.trim(T0 + 100 * DAY);
  assert.equal((await journal.alarms.query()).items.map((i) => i.alarmId), ['disk-missing']);
  await journal.close();
});

test('trimming goes in steps: an append made during a long trim is written before the trim ends', async () => {
  const entries = randomEntries(2000, 9);
  const { journal } = await tmpJournal({ retention: { operations: { maxEntries: 100 }, batchSize: 20 } });
  for (const e of entries) await journal.operations.append(e);
  const order: string[] = [];
  const trimming = journal.trim(T0 + 11 * DAY).then(() => order.push('trim'));
  await new Promise((r) => setImmediate(r));
  await journal.operations.append({ ...entries[0]!, time: T0 + 10 * DAY }).then(() => order.push('append'));
  await trimming;
  assert.equal(order, ['append', 'trim']);
  assert.ok((await journal.operations.count()) <= 101);
  await journal.close();
});

test('retention runs at once and then on the clock, and stops when the journal closes', async () => {
  const entries = randomEntries(300, 12);
  const { journal } = await tmpJournal({ retention: { operations: { maxEntries: 200 } }, now: () => T0 + 11 * DAY });
  for (const e of entries) await journal.operations.append(e);
  let tick: (() => void) | null = null;
  let cancelled = false;
  const clock = {
    setInterval(fn: () => void, ms: number): TimerHandle {
      assert.is(ms, 3_600_000);
      tick = fn;
      return { cancel: () => (cancelled = true) };
    },
  };
  journal.startRetention(clock);
  await journal.trim();
  assert.is(await journal.operations.count(), 200);
  for (const e of entries.slice(0, 50)) await journal.operations.append({ ...e, time: T0 + 10 * DAY });
  tick!();
  await journal.trim();
  assert.is(await journal.operations.count(), 200);
  await journal.close();
  assert.ok(cancelled);
});

test('new bounds apply from the next run', async () => {
  const { journal } = await tmpJournal();
  assert.equal(journal.retentionSettings.operations, { maxEntries: 100_000, maxAgeDays: 365 });
  assert.equal(journal.retentionSettings.alarms, { maxEntries: 10_000, maxAgeDays: 365 });
  for (const e of randomEntries(50, 1)) await journal.operations.append(e);
  journal.setRetention({ operations: { maxEntries: 10 } });
  assert.equal(await journal.trim(T0 + 11 * DAY), { operations: 40, alarms: 0 });
  await journal.close();
});

test.run();
