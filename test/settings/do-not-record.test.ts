import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DoNotRecordList, doNotRecordListSchema, MAX_DO_NOT_RECORD, type DoNotRecordEntry } from '../../firmware/settings/do-not-record.ts';

const list = (...numbers: string[]) => new DoNotRecordList(numbers.map((number) => ({ number, note: '' })));

test('an exact entry matches that number only', () => {
  const l = list('13800138000');
  assert.ok(l.matches('13800138000'));
  assert.not.ok(l.matches('1380013800'));
  assert.not.ok(l.matches('138001380001'));
});

test('% stands for any digits, none included, at the end, the start or inside', () => {
  const l = list('400%', '%110', '0755%8888');
  for (const n of ['400', '4008123456', '110', '95110', '07558888', '0755123458888']) assert.ok(l.matches(n), n);
  for (const n of ['40', '1400', '1101', '0755888', '07558889', '10755128888']) assert.not.ok(l.matches(n), n);
});

test('% on both ends matches numbers containing the digits; repeated % count as one', () => {
  const l = list('%5555%', '12%%34');
  assert.ok(l.matches('0105555999'));
  assert.ok(l.matches('5555'));
  assert.ok(l.matches('1234'));
  assert.ok(l.matches('12999934'));
  assert.not.ok(l.matches('555'));
});

test('* # and + are plain characters, never wildcards', () => {
  const l = list('*86#', '+86%');
  assert.ok(l.matches('*86#'));
  assert.not.ok(l.matches('186#'));
  assert.ok(l.matches('+8613800138000'));
  assert.not.ok(l.matches('8613800138000'));
});

test('an unknown or empty number matches nothing; an empty list matches nothing', () => {
  assert.not.ok(list('1%').matches(''));
  assert.not.ok(new DoNotRecordList().matches('123'));
});

test('match names the entry, with its note', () => {
  const entries: DoNotRecordEntry[] = [{ number: '95588', note: 'bank hotline' }, { number: '400%', note: 'service lines' }];
  const l = new DoNotRecordList(entries);
  assert.equal(l.match('4006669999'), entries[1]);
  assert.equal(l.match('95588'), entries[0]);
  assert.is(l.match('95599'), null);
});

test('a full list of 1000 mixed entries agrees with a plain scan of every pattern', () => {
  const entries: DoNotRecordEntry[] = [];
  for (let i = 0; i < MAX_DO_NOT_RECORD; i++) {
    const n = String(13_800_000_000 + i * 7919);
    const kind = i % 10;
    const number = kind < 6 ? n : kind < 8 ? `${n.slice(0, 7)}%` : kind < 9 ? `%${n.slice(-6)}` : `${n.slice(0, 3)}%${n.slice(-4)}`;
    entries.push({ number, note: '' });
  }
  const l = new DoNotRecordList(entries);
  const res = entries.map((e) => new RegExp(`^${e.number.replace(/[+*#]/g, '\\$&').replace(/%+/g, '.*')}$`));
  const numbers = Array.from({ length: 5000 }, (_, i) => String(13_800_000_000 + ((i * 104_729) % 9_000_000)));
  let hits = 0;
  for (const n of numbers) {
    const expected = res.some((re) => re.test(n));
    assert.is(l.matches(n), expected, n);
    if (expected) hits++;
  }
  assert.ok(hits > 0 && hits < 5000, `${hits} hits: the numbers exercise both answers`);
});

test('the list refuses bad patterns, a pattern of % alone, duplicates and more than 1000 entries', () => {
  const bad = (list: unknown) => !doNotRecordListSchema.safeParse(list).success;
  assert.ok(bad([{ number: '12 34' }]));
  assert.ok(bad([{ number: '138-0013' }]));
  assert.ok(bad([{ number: '%%' }]));
  assert.ok(bad([{ number: '' }]));
  assert.ok(bad([{ number: '123' }, { number: '123', note: 'again' }]));
  assert.ok(bad(Array.from({ length: MAX_DO_NOT_RECORD + 1 }, (_, i) => ({ number: String(i) }))));
  assert.equal(doNotRecordListSchema.parse([{ number: '95%' }]), [{ number: '95%', note: '' }]);
});

test.run();
