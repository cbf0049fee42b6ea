/**
 * The Buildroot external tree: its scripts pass shellcheck, the post-build
 * script stamps a build the daemon reports, and the defaults are the manual's.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readSettingsFile } from '../../firmware/settings/settings-file.ts';
import { defaultSettings } from '../../firmware/settings/settings-schema.ts';
import { formatVersion, readBuildInfo } from '../../firmware/version.ts';
import { ROOT } from '../support/processes.ts';

const EXTERNAL = path.join(ROOT, 'buildroot-overlay');
const COMMON = path.join(EXTERNAL, 'board/common');
const OVERLAY = path.join(COMMON, 'rootfs-overlay');
const SCRIPTS = [
  path.join(COMMON, 'post-build.sh'),
  ...fs.readdirSync(path.join(OVERLAY, 'etc/init.d')).map((f) => path.join(OVERLAY, 'etc/init.d', f)),
  path.join(OVERLAY, 'usr/sbin/recorder-supervise'),
  path.join(ROOT, 'scripts/arm-check'),
  path.join(ROOT, 'scripts/image'),
].filter((f) => fs.existsSync(f));

test('the image scripts pass shellcheck and are executable', () => {
  const r = spawnSync('shellcheck', ['--external-sources', ...SCRIPTS], { encoding: 'utf8' });
  assert.is(r.error, undefined, 'shellcheck is installed (make deps)');
  assert.is(r.status, 0, r.stdout + r.stderr);
  for (const f of SCRIPTS) assert.ok(fs.statSync(f).mode & 0o100, `${f} is executable`);
});

test('the post-build script stamps the version, build time and board, and points the init scripts at the board', () => {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'target-'));
  try {
    const lib = path.join(target, 'usr/lib/recorder');
    fs.mkdirSync(lib, { recursive: true });
    fs.mkdirSync(path.join(target, 'usr/share/recorder'), { recursive: true });
    fs.cpSync(path.join(ROOT, 'board'), path.join(target, 'usr/share/recorder/board'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'build-info.json'), JSON.stringify({ version: '2.1.0', commit: 'abc123' }));
    fs.cpSync(path.join(OVERLAY, 'etc'), path.join(target, 'etc'), { recursive: true });
    fs.writeFileSync(path.join(target, 'etc/os-release'), 'NAME=Buildroot\nVERSION=2024.02\n');
    fs.symlinkSync('../tmp/resolv.conf', path.join(target, 'etc/resolv.conf'));

    const out = execFileSync('busybox', ['sh', path.join(COMMON, 'post-build.sh'), target, 'rdt'], {
      encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    });
    assert.match(out, /recorder 2\.1\.0 \(2023-11-14T22:13:20Z\) for rdt, data disk \/dev\/sda1 \(read-ahead 128 KiB\), node --max-old-space-size=128 --max-semi-space-size=1, malloc mmap threshold 65536/);
    const info = readBuildInfo(lib);
    assert.equal(info, { version: '2.1.0', builtAt: '2023-11-14T22:13:20Z', commit: 'abc123', board: 'rdt' });
    assert.is(formatVersion(info), '2.1.0 (2023-11-14T22:13:20Z)');
    const defaults = fs.readFileSync(path.join(target, 'etc/default/recorder'), 'utf8');
    assert.match(defaults, /^RECORDER_BOARD=rdt$/m);
    assert.match(defaults, /^DATA_DEVICE=\/dev\/sda1$/m);
    assert.match(defaults, /^DATA_READ_AHEAD_KIB=128$/m, 'the RDT board file\'s read-ahead');
    assert.match(defaults, /^RECORDER_NODE_FLAGS="--max-old-space-size=128 --max-semi-space-size=1"$/m, 'the RDT board file\'s heap');
    assert.match(defaults, /^RECORDER_MALLOC_MMAP_THRESHOLD=65536$/m, 'the RDT board file\'s malloc mapping threshold');
    assert.match(fs.readFileSync(path.join(target, 'etc/os-release'), 'utf8'), /RECORDER_VERSION="2\.1\.0"\nRECORDER_BOARD="rdt"/);
    assert.is(fs.readFileSync(path.join(target, 'etc/resolv.conf'), 'utf8'), 'nameserver 192.168.123.254\n');
    assert.ok(fs.statSync(path.join(target, 'data')).isDirectory());
  } finally {
    fs.rmSync(target, { recursive: true, force: true });
  }
});

test('the factory network address and default configuration are the manual\'s', async () => {
  const interfaces = fs.readFileSync(path.join(OVERLAY, 'etc/network/interfaces'), 'utf8');
  assert.match(interfaces, /iface eth0 inet static\s+address 192\.168\.123\.100\s+netmask 255\.255\.255\.0\s+gateway 192\.168\.123\.254/);
  const read = await readSettingsFile(path.join(OVERLAY, 'etc/recorder/settings.json'));
  assert.ok(read.ok, read.ok ? '' : read.reason);
  if (read.ok) assert.equal(read.settings, defaultSettings(), 'the image ships the factory settings');
});

test('the external tree names itself, and every file its defconfigs name exists', () => {
  assert.match(fs.readFileSync(path.join(EXTERNAL, 'external.desc'), 'utf8'), /^name: RECORDER$/m);
  for (const board of ['rds', 'rdt']) {
    const defconfig = fs.readFileSync(path.join(EXTERNAL, 'configs', `${board}_defconfig`), 'utf8');
    assert.match(defconfig, /^BR2_PACKAGE_RECORDER=y$/m);
    assert.match(defconfig, new RegExp(`^BR2_ROOTFS_POST_SCRIPT_ARGS="${board}"$`, 'm'));
    for (const [, rel] of defconfig.matchAll(/\$\(BR2_EXTERNAL_RECORDER_PATH\)\/([^"\s]+)/g)) {
      assert.ok(fs.existsSync(path.join(EXTERNAL, rel!)), `${board}_defconfig names ${rel}`);
    }
  }
});

test.run();
