/**
 * The data disk's init script under BusyBox sh, with stand-ins for the disk
 * tools (blockdev, blkid, e2fsck, mount, logger) that record how they were
 * called: it sets the disk's read-ahead from DATA_READ_AHEAD_KIB before
 * checking and mounting the disk, and leaves it alone when that is empty.
 * The disk is a block special file made for the test (or an existing one
 * when the test may not make one); the stand-ins never touch it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/processes.ts';

const SCRIPT = path.join(ROOT, 'buildroot-overlay/board/common/rootfs-overlay/etc/init.d/S20datadisk');
const TOOLS = ['blockdev', 'blkid', 'e2fsck', 'mount', 'logger'];

/** A block special file standing for the data disk. */
function blockDevice(dir: string): string {
  const made = path.join(dir, 'disk');
  try {
    execFileSync('mknod', [made, 'b', '7', '250'], { stdio: 'ignore' });
    return made;
  } catch {
    const found = fs.readdirSync('/dev').map((f) => path.join('/dev', f)).find((f) => {
      try {
        return fs.statSync(f).isBlockDevice();
      } catch {
        return false;
      }
    });
    if (!found) throw new Error('cannot make a block special file (not root) and /dev holds none');
    return found;
  }
}

function runStart(readAheadKiB: string): { calls: string[]; out: string; status: number | null; device: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'datadisk-'));
  try {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(dir, 'data'));
    const log = path.join(dir, 'calls');
    for (const t of TOOLS) fs.writeFileSync(path.join(bin, t), `#!/bin/sh\necho "${t} $*" >> '${log}'\nexit 0\n`, { mode: 0o755 });
    const device = blockDevice(dir);
    const r = spawnSync('busybox', ['sh', SCRIPT, 'start'], {
      encoding: 'utf8', timeout: 30_000,
      env: { PATH: `${bin}:${process.env.PATH}`, RECORDER_DEFAULTS: '/dev/null', RECORDER_DATA: path.join(dir, 'data'), DATA_DEVICE: device, DATA_READ_AHEAD_KIB: readAheadKiB },
    });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    return { calls, out: r.stdout + r.stderr, status: r.status, device };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('the read-ahead is set in 512-byte sectors before the disk is checked and mounted', () => {
  const r = runStart('128');
  assert.is(r.status, 0, r.out);
  const tools = r.calls.filter((c) => !c.startsWith('logger')).map((c) => c.split(' ')[0]);
  assert.equal(tools, ['blockdev', 'blkid', 'e2fsck', 'mount'], r.calls.join('\n'));
  assert.ok(r.calls.includes(`blockdev --setra 256 ${r.device}`), r.calls.join('\n'));
  assert.match(r.out, /read-ahead of .* set to 128 KiB/);
});

test('with no read-ahead configured the kernel\'s is left as it is', () => {
  const r = runStart('');
  assert.is(r.status, 0, r.out);
  assert.not.ok(r.calls.some((c) => c.startsWith('blockdev')), r.calls.join('\n'));
  assert.ok(r.calls.some((c) => c.startsWith('mount -t ext4')), r.calls.join('\n'));
});

test.run();
