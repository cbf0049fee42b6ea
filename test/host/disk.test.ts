import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LinuxDisk } from '../../firmware/host/linux/disk.ts';

test('usage of a temporary directory is sane', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'disk-'));
  try {
    const u = await new LinuxDisk().usage(dir);
    assert.ok(u, 'usage is reported');
    assert.ok(u.totalBytes >= u.freeBytes, 'total >= free');
    assert.ok(u.freeBytes > 0, 'free > 0');
    assert.ok(u.usedBytes >= 0 && u.usedBytes <= u.totalBytes, '0 <= used <= total');
    assert.ok(u.usedBytes + u.freeBytes <= u.totalBytes, 'used + free <= total');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage of a path that does not exist is null', async () => {
  assert.is(await new LinuxDisk().usage('/nonexistent/recorder-data'), null);
});

test.run();
