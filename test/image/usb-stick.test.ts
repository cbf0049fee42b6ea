/**
 * USB sticks on the box: the post-build script adds the mdev rule, and the
 * mdev script mounts a stick's partition read-only on /media/usb (a second
 * stick beside it), leaves the data disk alone, and unmounts on removal.
 * Run with BusyBox sh and stand-ins for mount, umount and logger.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/processes.ts';

const COMMON = path.join(ROOT, 'buildroot-overlay/board/common');
const SCRIPT = path.join(COMMON, 'rootfs-overlay/usr/libexec/recorder/usb-stick');

function sandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'usb-stick-'));
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const calls = path.join(dir, 'calls');
  for (const tool of ['mount', 'umount', 'logger']) {
    fs.writeFileSync(path.join(bin, tool), `#!/bin/sh\necho "${tool} $*" >>"${calls}"\n`, { mode: 0o755 });
  }
  const mounts = path.join(dir, 'mounts');
  fs.writeFileSync(mounts, '/dev/sda1 /data ext4 rw 0 0\n');
  const defaults = path.join(dir, 'recorder-defaults');
  fs.writeFileSync(defaults, 'DATA_DEVICE=/dev/sda1\n');
  const media = path.join(dir, 'media/usb');
  const run = (mdev: string, action: string) =>
    execFileSync('busybox', ['sh', SCRIPT], {
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, MDEV: mdev, ACTION: action, RECORDER_DEFAULTS: defaults, MOUNTS: mounts, USB_MOUNT: media, DEV_DIR: '/dev' },
    });
  const called = () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : []).filter((l) => !l.startsWith('logger'));
  return { dir, mounts, media, run, called };
}

test('the mdev script passes shellcheck and is executable', () => {
  const r = spawnSync('shellcheck', ['--external-sources', SCRIPT], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.ok(fs.statSync(SCRIPT).mode & 0o100);
});

test('a stick is mounted read-only on /media/usb, a second one beside it; removal unmounts', () => {
  const s = sandbox();
  try {
    s.run('sdb1', 'add');
    assert.equal(s.called(), [`mount -o ro,nosuid,nodev,noexec /dev/sdb1 ${s.media}`]);
    fs.appendFileSync(s.mounts, `/dev/sdb1 ${s.media} vfat ro 0 0\n`);
    s.run('sdc1', 'add');
    assert.equal(s.called().slice(1), [`mount -o ro,nosuid,nodev,noexec /dev/sdc1 ${s.media}-sdc1`]);
    s.run('sdb1', 'add'); // already mounted: nothing more
    assert.is(s.called().length, 2);
    s.run('sdb1', 'remove');
    assert.equal(s.called().slice(2), [`umount -l ${s.media}`]);
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

test('the data disk and other devices are left alone', () => {
  const s = sandbox();
  try {
    s.run('sda1', 'add');
    s.run('sda2', 'add');
    s.run('mmcblk0p1', 'add');
    s.run('sda1', 'remove');
    assert.equal(s.called(), []);
  } finally {
    fs.rmSync(s.dir, { recursive: true, force: true });
  }
});

test('the post-build script adds the mdev rule once', () => {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'target-'));
  try {
    const lib = path.join(target, 'usr/lib/recorder');
    fs.mkdirSync(lib, { recursive: true });
    fs.mkdirSync(path.join(target, 'usr/share/recorder'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'board'), path.join(target, 'usr/share/recorder/board'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'build-info.json'), JSON.stringify({ version: '2.1.0', commit: 'abc' }));
    fs.cpSync(path.join(COMMON, 'rootfs-overlay/etc'), path.join(target, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(target, 'etc/mdev.conf'), 'null root:root 666\n');
    for (let i = 0; i < 2; i++) execFileSync('busybox', ['sh', path.join(COMMON, 'post-build.sh'), target, 'rds'], { encoding: 'utf8' });
    const conf = fs.readFileSync(path.join(target, 'etc/mdev.conf'), 'utf8');
    assert.is(conf, 'null root:root 666\nsd[a-z]+[0-9]+ 0:0 660 */usr/libexec/recorder/usb-stick\n');
  } finally {
    fs.rmSync(target, { recursive: true, force: true });
  }
});

test.run();
