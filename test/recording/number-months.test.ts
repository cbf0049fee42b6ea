/** The months of a remote number (number-months.ts): its encoding and how entries change it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyToNumberMonths, decodeNumberMonths, encodeNumberMonths, type NumberMonths } from '../../firmware/recording/number-months.ts';
import { numberKeyMonth } from '../../firmware/recording/record-keys.ts';
import { rng } from '../support/record-oracle.ts';

test('months and counts read back as written, in month order, for any months and counts', () => {
  const r = rng(5);
  for (let i = 0; i < 300; i++) {
    const months: NumberMonths = new Map();
    const n = Math.floor(r() * 40);
    for (let j = 0; j < n; j++) months.set(Math.floor(r() * 0x10000), 1 + Math.floor(r() * (r() < 0.1 ? 1e6 : 50)));
    const back = decodeNumberMonths(encodeNumberMonths(months));
    assert.equal([...back], [...months].sort((a, b) => a[0] - b[0]));
  }
  assert.equal(decodeNumberMonths(undefined), new Map());
});

test('a number seen once costs three bytes; each further month about two', () => {
  const month = numberKeyMonth(Date.parse('2026-12-03T10:00:00Z'));
  assert.is(encodeNumberMonths(new Map([[month, 1]])).length, 3);
  assert.is(encodeNumberMonths(new Map([[month, 1], [month + 1, 4], [month + 3, 100]])).length, 7);
});

test('a value cut short is an error, not a wrong count', () => {
  const v = encodeNumberMonths(new Map([[700, 300]]));
  assert.throws(() => decodeNumberMonths(v.subarray(0, v.length - 1)), /truncated/);
});

test('entries add to their month and a month emptied goes', () => {
  const jan = { startedAt: Date.parse('2026-01-31T23:59:59Z') };
  const feb = { startedAt: Date.parse('2026-02-01T00:00:00Z') };
  const m = new Map();
  applyToNumberMonths(m, jan, 1);
  applyToNumberMonths(m, jan, 1);
  applyToNumberMonths(m, feb, 1);
  assert.equal([...m], [[numberKeyMonth(jan.startedAt), 2], [numberKeyMonth(feb.startedAt), 1]]);
  applyToNumberMonths(m, feb, -1);
  applyToNumberMonths(m, jan, -1);
  assert.equal([...m], [[numberKeyMonth(jan.startedAt), 1]]);
  applyToNumberMonths(m, feb, -1);
  assert.equal([...m], [[numberKeyMonth(jan.startedAt), 1]], 'removing from a month without keys changes nothing');
  assert.is(encodeNumberMonths(new Map([[5, 0]])).length, 0, 'a zero count is not stored');
});

test.run();
