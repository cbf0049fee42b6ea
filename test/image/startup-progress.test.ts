/** The daemon's start-up progress file, which the supervisor watches (firmware/startup-progress.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { progressFileReporter } from '../../firmware/startup-progress.ts';
import { tempDir } from '../support/temp-dir.ts';

test('progress is written at most once a second, the latest each time', () => {
  const file = path.join(tempDir('progress-'), 'progress');
  let now = 0;
  const report = progressFileReporter(file, () => now);
  report('index conversion: 1000 entries');
  assert.is(fs.readFileSync(file, 'utf8'), 'index conversion: 1000 entries\n');
  now = 400;
  report('index conversion: 2000 entries');
  assert.is(fs.readFileSync(file, 'utf8'), 'index conversion: 1000 entries\n', 'not again within a second');
  now = 1000;
  report('index conversion: 3000 entries');
  assert.is(fs.readFileSync(file, 'utf8'), 'index conversion: 3000 entries\n');
});

test('without a progress file, or with its directory gone, reporting does nothing and never throws', () => {
  progressFileReporter(undefined)('anything');
  progressFileReporter(path.join(tempDir('progress-'), 'gone', 'progress'))('anything');
});

test.run();
