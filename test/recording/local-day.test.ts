/**
 * Day labels and day folders are computed by calendar arithmetic (every
 * search result's file path is built from one); they must name the same date
 * as the JavaScript Date calendar on every day, leap days and century years
 * included. Record keys read back the times and channel references they were
 * written with, at the ends of their ranges.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { civilDate, dayFolder, dayLabel } from '../../firmware/recording/local-day.ts';
import { keyFieldsOfTail, partsOfTail, recordKey } from '../../firmware/recording/record-keys.ts';

const DAY_MS = 86_400_000;
const iso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

test('every day from 1900 to 2200 has the label and folder of the Date calendar', () => {
  for (let day = Date.UTC(1900, 0, 1) / DAY_MS; day <= Date.UTC(2200, 11, 31) / DAY_MS; day++) {
    const want = iso(day);
    if (dayLabel(day) !== want) assert.unreachable(`day ${day}: ${dayLabel(day)}, the Date calendar says ${want}`);
    if (dayFolder(day) !== want.replaceAll('-', '/')) assert.unreachable(`day ${day}: folder ${dayFolder(day)}`);
  }
});

test('leap days, century years and the ends of the four-digit years', () => {
  assert.is(dayLabel(Date.UTC(2000, 1, 29) / DAY_MS), '2000-02-29');
  assert.is(dayLabel(Date.UTC(2100, 2, 1) / DAY_MS - 1), '2100-02-28', '2100 is not a leap year');
  assert.is(dayLabel(Date.UTC(2024, 1, 29) / DAY_MS), '2024-02-29');
  assert.is(dayLabel(0), '1970-01-01');
  assert.is(dayLabel(-1), '1969-12-31');
  assert.equal(civilDate(Date.UTC(2026, 11, 3) / DAY_MS), [2026, 12, 3]);
  // Days far outside the recorder's life, every 997th from year 0 to 9999 and beyond, as Date names them.
  for (let day = -719_528; day <= 2_932_896; day += 997) assert.is(dayLabel(day), iso(day));
  const beyond = Date.UTC(10_000, 0, 1) / DAY_MS;
  assert.is(dayLabel(beyond), iso(beyond));
});

test('a record key reads back its time, port type, port, channel and part at the ends of their ranges', () => {
  const cases = [
    { startedAt: 0, portType: 'analog' as const, port: 0, channel: 0, part: 0 },
    { startedAt: 2 ** 48 - 1, portType: 'voip' as const, port: 63, channel: 65_535, part: 255 },
    { startedAt: Date.parse('2026-12-03T10:20:30.456Z'), portType: 'e1' as const, port: 3, channel: 31, part: 2 },
    { startedAt: 2 ** 40 + 2 ** 32 + 2 ** 31 + 12_345, portType: 'analog' as const, port: 1, channel: 300, part: 1 },
  ];
  for (const p of cases) {
    const key = recordKey(p);
    assert.equal(partsOfTail(key, 1), p);
    assert.equal(keyFieldsOfTail(key, 1, true), { ...p, deleted: true });
  }
});

test.run();
