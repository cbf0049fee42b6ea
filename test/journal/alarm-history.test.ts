/**
 * Alarm history: raise, repeat and clear of the alarm list become entries
 * with raise and clear times, repeat counts and last messages; filters and
 * pages; alarms left active at a restart are closed at the next start-up.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { AlarmList, type AlarmChange } from '../../firmware/alarms/alarm-list.ts';
import { Journal } from '../../firmware/journal/journal.ts';
import { HOUR, T0, quiet, rng, tmpJournal } from './helpers.ts';

test('the alarm list tells its listeners of every raise, repeat and clear, and a failing listener harms nothing', () => {
  let clock = T0;
  const list = new AlarmList(quiet, { now: () => clock });
  const seen: AlarmChange[] = [];
  list.onChange(() => {
    throw new Error('broken listener');
  });
  const stop = list.onChange((c) => seen.push(c));
  list.raise('disk-full', 'critical', 'disk', 'disk 91 %', T0);
  list.raise('disk-full', 'critical', 'disk', 'disk 93 %', T0 + 5000);
  clock = T0 + 9000;
  list.clear('disk-full');
  list.clear('disk-full');
  stop();
  list.raise('disk-full', 'critical', 'disk', 'disk 95 %', T0 + 10_000);
  assert.equal(seen.map((c) => [c.kind, c.at, c.alarm.count, c.alarm.message]), [
    ['raised', T0, 1, 'disk 91 %'],
    ['updated', T0 + 5000, 2, 'disk 93 %'],
    ['cleared', T0 + 9000, 2, 'disk 93 %'],
  ]);
  assert.equal(list.list().map((a) => a.id), ['disk-full']);
});

test('raise, repeats and clear make one history entry with both times, the count and the last message', async () => {
  const { journal } = await tmpJournal({ alarmUpdateIntervalMs: 60_000 });
  const list = new AlarmList(quiet);
  journal.alarms.attach(list, quiet);
  list.raise('disk-full', 'critical', 'disk', 'disk 91 %', T0);
  list.raise('disk-full', 'critical', 'disk', 'disk 92 %', T0 + 5_000); // held back by the update interval
  list.raise('disk-full', 'critical', 'disk', 'disk 93 %', T0 + 70_000); // written
  await journal.alarms.flush();
  let [open] = (await journal.alarms.query()).items;
  assert.equal({ ...open, id: undefined }, {
    id: undefined, alarmId: 'disk-full', severity: 'critical', area: 'disk', message: 'disk 91 %', lastMessage: 'disk 93 %', raisedAt: T0, clearedAt: null, endedBy: null, count: 3,
  });
  list.raise('disk-full', 'critical', 'disk', 'disk 94 %', T0 + 75_000);
  list.clear('disk-full', T0 + 90_000);
  list.raise('disk-full', 'critical', 'disk', 'disk 95 %', T0 + HOUR);
  await journal.alarms.flush();
  const { total, items } = await journal.alarms.query();
  assert.is(total, 2);
  assert.equal(items.map((i) => [i.raisedAt, i.clearedAt, i.endedBy, i.count, i.lastMessage]), [
    [T0 + HOUR, null, null, 1, 'disk 95 %'],
    [T0, T0 + 90_000, 'cleared', 4, 'disk 94 %'],
  ]);
  [open] = (await journal.alarms.query({ active: true })).items;
  assert.is(open!.raisedAt, T0 + HOUR);
  await journal.close();
});

test('alarms active before the history is attached are recorded when it is', async () => {
  const { journal } = await tmpJournal();
  const list = new AlarmList(quiet);
  list.raise('linecard-down', 'critical', 'device', 'line card not answering', T0);
  journal.alarms.attach(list, quiet);
  list.clear('linecard-down', T0 + 1000);
  await journal.alarms.flush();
  const { items } = await journal.alarms.query();
  assert.equal(items.map((i) => [i.alarmId, i.raisedAt, i.clearedAt]), [['linecard-down', T0, T0 + 1000]]);
  await journal.close();
});

test('filters on raise time, severity, area and active, with pages and cursors, match a brute-force filter', async () => {
  const { journal } = await tmpJournal();
  const list = new AlarmList(quiet);
  journal.alarms.attach(list, quiet);
  const r = rng(5);
  const kinds = [
    ['linecard-down', 'critical', 'device'], ['disk-reserve', 'minor', 'disk'], ['disk-full', 'critical', 'disk'], ['linecard-errors', 'minor', 'device'],
  ] as const;
  const expected: { id: string; severity: string; area: string; raisedAt: number; active: boolean }[] = [];
  let t = T0;
  for (let i = 0; i < 300; i++) {
    t += Math.floor(r() * 20 * 60_000);
    const ch = Math.floor(r() * 8);
    const [id, severity, area] = r() < 0.4 ? [`channel-disconnected:${ch}`, 'critical', 'channel'] as const : kinds[Math.floor(r() * 4)]!;
    if (list.has(id)) {
      list.clear(id, t);
      expected.find((e) => e.id === id && e.active)!.active = false;
    } else {
      list.raise(id, severity, area, `${id} at ${t}`, t);
      expected.push({ id, severity, area, raisedAt: t, active: true });
    }
  }
  await journal.alarms.flush();
  const newestFirst = [...expected].reverse();
  for (let q = 0; q < 80; q++) {
    const from = r() < 0.5 ? T0 + Math.floor(r() * (t - T0)) : undefined;
    const to = from !== undefined && r() < 0.7 ? from + Math.floor(r() * 20 * HOUR) : undefined;
    const severity = r() < 0.4 ? (r() < 0.5 ? 'critical' as const : 'minor' as const) : undefined;
    const area = r() < 0.4 ? (['channel', 'device', 'disk'] as const)[Math.floor(r() * 3)] : undefined;
    const active = r() < 0.3;
    const want = newestFirst.filter((e) => (from === undefined || e.raisedAt >= from) && (to === undefined || e.raisedAt < to)
      && (!severity || e.severity === severity) && (!area || e.area === area) && (!active || e.active));
    const f = { from, to, severity, area, active };
    const offset = Math.floor(r() * 30);
    const page = await journal.alarms.query({ ...f, limit: 7, offset });
    assert.is(page.total, want.length, JSON.stringify(f));
    assert.equal(page.items.map((i) => [i.alarmId, i.raisedAt, i.clearedAt === null]), want.slice(offset, offset + 7).map((e) => [e.id, e.raisedAt, e.active]));
    const walked: number[] = [];
    let cursor: string | undefined;
    do {
      const p = await journal.alarms.query({ ...f, limit: 11, ...(cursor ? { cursor } : {}) });
      walked.push(...p.items.map((i) => i.raisedAt));
      cursor = p.next ?? undefined;
    } while (cursor);
    assert.equal(walked, want.map((e) => e.raisedAt), `walk ${JSON.stringify(f)}`);
  }
  await journal.close();
});

test('entries left open by a restart are closed at the next start-up; the alarm raised again is a new entry', async () => {
  const { dir, journal } = await tmpJournal();
  const list = new AlarmList(quiet);
  journal.alarms.attach(list, quiet);
  list.raise('channel-disconnected:5', 'critical', 'channel', '断线: 通道[5]', T0);
  list.raise('disk-full', 'critical', 'disk', 'disk 95 %', T0 + 1000);
  list.clear('disk-full', T0 + 2000);
  await journal.close(); // the process ends with channel 5 still disconnected

  const restart = T0 + HOUR;
  const again = await Journal.open(path.join(dir, 'journal'), { now: () => restart });
  assert.is(again.closedAtStart, 1);
  const list2 = new AlarmList(quiet);
  again.alarms.attach(list2, quiet);
  list2.raise('channel-disconnected:5', 'critical', 'channel', '断线: 通道[5]', restart + 500);
  await again.alarms.flush();
  const { items } = await again.alarms.query();
  assert.equal(items.map((i) => [i.alarmId, i.raisedAt, i.clearedAt, i.endedBy]), [
    ['channel-disconnected:5', restart + 500, null, null],
    ['disk-full', T0 + 1000, T0 + 2000, 'cleared'],
    ['channel-disconnected:5', T0, restart, 'restart'],
  ]);
  assert.is((await again.alarms.query({ active: true })).total, 1);
  await again.close();
});

test.run();
