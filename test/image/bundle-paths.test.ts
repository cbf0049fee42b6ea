import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findBoardDir, INSTALLED_BOARD_DIR } from '../../firmware/board/load-board.ts';
import { formatVersion, readBuildInfo } from '../../firmware/version.ts';

test('board files are found from RECORDER_BOARD_DIR first', () => {
  assert.is(findBoardDir({ RECORDER_BOARD_DIR: '/opt/boards' }, '/usr/lib/recorder', () => true), '/opt/boards');
});

test('a bundle finds the board files next to it, the source tree in board/, the image in /usr/share', () => {
  const bundleDir = '/usr/lib/recorder';
  assert.is(findBoardDir({}, bundleDir, (d) => d === '/usr/lib/recorder/board'), '/usr/lib/recorder/board');
  assert.is(findBoardDir({}, '/src/firmware/board', (d) => d === '/src/board'), '/src/board');
  assert.is(findBoardDir({}, bundleDir, (d) => d === INSTALLED_BOARD_DIR), INSTALLED_BOARD_DIR);
  assert.is(findBoardDir({}, bundleDir, () => false), INSTALLED_BOARD_DIR);
});

test('a stamped build shows its build time next to the version', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-info-'));
  try {
    fs.writeFileSync(path.join(dir, 'build-info.json'), JSON.stringify({ version: '1.2.3', builtAt: '2025-01-31T08:00:00Z', board: 'rds' }));
    const info = readBuildInfo(dir);
    assert.equal(info, { version: '1.2.3', builtAt: '2025-01-31T08:00:00Z', board: 'rds' });
    assert.is(formatVersion(info), '1.2.3 (2025-01-31T08:00:00Z)');
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('the source tree takes its version from package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  const info = readBuildInfo(path.resolve(import.meta.dirname, '../../firmware'));
  assert.equal(info, { version: pkg.version });
  assert.is(formatVersion(info), pkg.version);
});

test.run();
