/**
 * The operation log against a brute-force filter: random entries over ten
 * days, random queries with every filter and their combinations, time
 * ranges on and off hour boundaries, numbered pages and cursors.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OPERATION_ITEMS, OPERATIONS, type OperationQuery } from '../../firmware/journal/operation-entry.ts';
import { RecorderError, isRecorderError } from '../../firmware/errors.ts';
import { ACCOUNTS, CHANNELS, DAY, HOUR, T0, indexOf, oracle, pick, randomEntries, rejection, rng, tmpJournal, type OracleFilter } from './helpers.ts';

const N = 2500;
const entries = randomEntries(N, 7);
const { journal } = await tmpJournal();
await Promise.all(entries.map((e) => journal.operations.append(e)));

function randomFilter(r: () => number): OracleFilter {
  const f: OracleFilter = {};
  if (r() < 0.5) {
    const aligned = r() < 0.5;
    const a = T0 + Math.floor(r() * 10 * DAY);
    const b = a + Math.floor(r() * 4 * DAY);
    f.from = aligned ? a - (a % HOUR) : a;
    f.to = aligned ? b - (b % HOUR) : b;
  }
  if (r() < 0.3) f.account = pick(r, ACCOUNTS);
  if (r() < 0.15) f.kind = r() < 0.5 ? 'user' : 'system';
  if (r() < 0.3) f.item = pick(r, OPERATION_ITEMS);
  if (r() < 0.3) f.channel = pick(r, CHANNELS);
  if (r() < 0.3) f.operation = pick(r, OPERATIONS);
  if (r() < 0.3) f.result = r() < 0.5 ? 'ok' : 'failed';
  return f;
}

test('totals and numbered pages match a brute-force filter for every filter and their combinations', async () => {
  const r = rng(11);
  for (let q = 0; q < 150; q++) {
    const f = randomFilter(r);
    const want = oracle(entries, f);
    const limit = 1 + Math.floor(r() * 40);
    const offset = r() < 0.3 ? 0 : Math.floor(r() * (want.length + 5));
    const page = await journal.operations.query({ ...(f as OperationQuery), limit, offset });
    assert.is(page.total, want.length, `total of ${JSON.stringify(f)}`);
    assert.equal(page.items.map(indexOf), want.slice(offset, offset + limit), `page of ${JSON.stringify(f)} at ${offset}`);
  }
});

test('following cursors walks every match once, newest first', async () => {
  const r = rng(23);
  for (let q = 0; q < 25; q++) {
    const f = randomFilter(r);
    const want = oracle(entries, f);
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 500; pages++) {
      const page = await journal.operations.query({ ...(f as OperationQuery), limit: 97, ...(cursor ? { cursor } : {}) });
      assert.is(page.total, want.length);
      seen.push(...page.items.map(indexOf));
      if (!page.next) break;
      cursor = page.next;
    }
    assert.equal(seen, want, `walk of ${JSON.stringify(f)}`);
  }
});

test('an entry reads back whole, by query and by id', async () => {
  const { items } = await journal.operations.query({ limit: 1, offset: 0, channel: CHANNELS[3]!, kind: 'user' });
  const got = items[0]!;
  const src = entries[indexOf(got)]!;
  assert.equal({ ...got, id: undefined }, { ...src, id: undefined, parameter: src.parameter ?? null, detail: src.detail ?? '' });
  assert.equal(await journal.operations.get(got.id), got);
  assert.is(await journal.operations.get('not-an-id'), null);
});

test('two entries in the same millisecond are both kept, the later written first', async () => {
  const { journal: j } = await tmpJournal();
  const base = { time: T0, principal: { kind: 'system' as const }, item: 'system' as const, operation: 'start' as const, result: { ok: true as const } };
  await j.operations.append({ ...base, detail: 'first' });
  await j.operations.append({ ...base, detail: 'second' });
  const page = await j.operations.query();
  assert.equal(page.items.map((i) => i.detail), ['second', 'first']);
  await j.close();
});

test('a long detail or parameter is cut to its bound; an invalid entry is refused', async () => {
  const { journal: j } = await tmpJournal();
  const base = { time: T0, principal: { kind: 'user' as const, account: 'admin', ip: '10.0.0.1' }, item: 'account' as const, operation: 'login' as const, result: { ok: true as const } };
  const e = await j.operations.append({ ...base, detail: 'x'.repeat(5000), parameter: 'p'.repeat(500) });
  assert.is(e.detail.length, 1000);
  assert.is(e.parameter!.length, 120);
  await rejection(() => j.operations.append({ ...base, item: 'coffee' as never }));
  await rejection(() => j.operations.append({ ...base, channel: { portType: 'analog', port: 0, channel: 70000 } }));
  await rejection(() => j.operations.append({ ...base, result: { ok: false, code: 'NO_SUCH_CODE' as never } }));
  assert.is((await j.operations.query()).total, 1);
  await j.close();
});

test('an invalid query or cursor fails with BAD_REQUEST', async () => {
  for (const q of [{ limit: 0 }, { limit: 10_000 }, { cursor: '!!' }, { item: 'coffee' }, { offset: -1 }] as OperationQuery[]) {
    const e = await rejection(() => journal.operations.query(q));
    assert.ok(isRecorderError(e) && e.code === 'BAD_REQUEST', `${JSON.stringify(q)}: ${String(e)}`);
  }
});

test('a tracked operation is logged with its principal and result, and its error still reaches the caller', async () => {
  let clock = T0;
  const { journal: j } = await tmpJournal({ now: () => clock });
  const who = { kind: 'user' as const, account: 'admin', ip: '192.168.123.111' };
  const channel = CHANNELS[2]!;
  const done = await j.operations.track(
    { principal: who, item: 'channel-settings', channel, parameter: 'recordingEnabled', operation: 'set', detail: (v: number) => `now ${v}` },
    async () => 42,
  );
  assert.is(done, 42);
  clock += 1000;
  const failed = await rejection(() => j.operations.track({ principal: who, item: 'storage', operation: 'format' }, async () => {
    throw new RecorderError('LINECARD_DOWN');
  }));
  assert.ok(isRecorderError(failed) && failed.code === 'LINECARD_DOWN');
  clock += 1000;
  await rejection(() => j.operations.track({ principal: { kind: 'system' }, item: 'system', operation: 'recover' }, async () => {
    throw new Error('disk gone');
  }));
  const { items } = await j.operations.query();
  assert.equal(items.map((i) => [i.time, i.principal, i.item, i.operation, i.result, i.detail]), [
    [T0 + 2000, { kind: 'system' }, 'system', 'recover', { ok: false, code: 'INTERNAL' }, 'disk gone'],
    [T0 + 1000, who, 'storage', 'format', { ok: false, code: 'LINECARD_DOWN' }, 'The line card link is down'],
    [T0, who, 'channel-settings', 'set', { ok: true }, 'now 42'],
  ]);
  assert.equal(items[2]!.channel, channel);
  await j.close();
});

test('an entry that cannot be written never changes the outcome of the tracked operation', async () => {
  const errors: string[] = [];
  const { journal: j } = await tmpJournal({ log: { info() {}, warn() {}, error: (_o: object, msg: string) => void errors.push(msg) } });
  const v = await j.operations.track({ principal: { kind: 'system' }, item: 'nonsense' as never, operation: 'start' }, async () => 'started');
  assert.is(v, 'started');
  assert.equal(errors, ['operation log entry not written']);
  await j.close();
});

test.after(() => journal.close());
test.run();
