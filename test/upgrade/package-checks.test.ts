/**
 * An upgrade package is checked before anything is installed: a good one
 * unpacks to the very files it was built from; unsigned, foreign-signed,
 * tampered, truncated, padded and wrong-board packages are refused with
 * their code; scripts/verify-package says the same and exits non-zero.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { trustedKeys } from '../../firmware/license/signing-keys.ts';
import { inspectPackage, unpackPackage } from '../../firmware/upgrade/package-reader.ts';
import { compareVersions, PACKAGE_MAGIC } from '../../firmware/upgrade/package-format.ts';
import { alteredCopy, foreignPackageKey, testPackage } from './helpers.ts';
import { tempDir } from '../support/temp-dir.ts';

const keys = trustedKeys('package', {});
const VERIFY = path.resolve(import.meta.dirname, '../../scripts/verify-package');

async function refused(file: string, code: string, board = 'sim'): Promise<string> {
  try {
    const pkg = await inspectPackage(file, keys, board);
    await unpackPackage(file, pkg, tempDir('unpack-') + '/x');
  } catch (e) {
    assert.is((e as { code: string }).code, code, (e as Error).message);
    return (e as Error).message;
  }
  assert.unreachable(`expected ${code}`);
  return '';
}

test('a good package unpacks to the files it was built from', async () => {
  const file = await testPackage('1.2.3');
  const pkg = await inspectPackage(file, keys, 'sim');
  assert.equal([pkg.manifest.version, pkg.manifest.boards, pkg.signedBy], ['1.2.3', ['sim'], 'dev']);
  const dest = path.join(tempDir('unpack-'), 'v');
  await unpackPackage(file, pkg, dest);
  const src = path.join(path.dirname(file), 'src');
  for (const f of pkg.manifest.files) assert.ok(fs.readFileSync(path.join(dest, f.path)).equals(fs.readFileSync(path.join(src, f.path))), f.path);
  assert.is(fs.readFileSync(path.join(dest, 'board/empty.json')).length, 0);
  const ok = execFileSync(VERIFY, [file, '--board', 'sim'], { encoding: 'utf8' });
  assert.match(ok, /ok: version 1\.2\.3 for sim/);
});

test('unsigned, foreign-signed, tampered, truncated, padded and wrong-board packages are refused', async () => {
  const file = await testPackage('1.2.3');
  const manifestLength = fs.readFileSync(file).readUInt32BE(PACKAGE_MAGIC.length);
  const sigAt = PACKAGE_MAGIC.length + 4 + manifestLength;
  const unsigned = alteredCopy(file, (b) => {
    const c = Buffer.from(b);
    c.writeUInt32BE(0, sigAt);
    return c;
  });
  assert.match(await refused(unsigned, 'package_signature'), /unsigned/);
  await refused(await testPackage('1.2.3', { key: foreignPackageKey() }), 'package_signature');
  const manifestEdited = alteredCopy(file, (b) => Buffer.from(b.toString('latin1').replace('"version":"1.2.3"', '"version":"9.2.3"'), 'latin1'));
  await refused(manifestEdited, 'package_signature');
  const payloadFlipped = alteredCopy(file, (b) => {
    const c = Buffer.from(b);
    c[c.length - 20]! ^= 0xff;
    return c;
  });
  assert.match(await refused(payloadFlipped, 'package_tampered'), /hash/);
  assert.match(await refused(alteredCopy(file, (b) => b.subarray(0, b.length - 100)), 'package_invalid'), /truncated/);
  await refused(alteredCopy(file, (b) => b.subarray(0, 30)), 'package_invalid');
  await refused(alteredCopy(file, (b) => Buffer.concat([b, Buffer.from('extra')])), 'package_tampered');
  await refused(alteredCopy(file, () => Buffer.from('PK\u0003\u0004 a zip file, not a package')), 'package_invalid');
  assert.match(await refused(await testPackage('1.2.3', { boards: ['rdt'] }), 'package_board'), /for rdt; this box is sim/);

  const r = spawnSync(VERIFY, [payloadFlipped], { encoding: 'utf8' });
  assert.is(r.status, 1);
  assert.match(r.stderr, /refused: package_tampered/);
  const wrongBoard = spawnSync(VERIFY, [file, '--board', 'rdt'], { encoding: 'utf8' });
  assert.is(wrongBoard.status, 1);
  assert.match(wrongBoard.stderr, /package_board/);
});

test('make package builds the production bundle into a signed package for the board', async () => {
  const out = path.join(tempDir('bundle-pkg-'), 'rds.rdxpkg');
  execFileSync(path.resolve(import.meta.dirname, '../../scripts/make-package'), ['--board', 'rds', '--version', '0.2.0', '--min-from', '0.1.0', '--out', out], { stdio: 'ignore' });
  const pkg = await inspectPackage(out, keys, 'rds', process.arch);
  const files = pkg.manifest.files.map((f) => f.path);
  for (const f of ['main.js', 'build-info.json', 'package.json', 'board/rds.json', 'web-static/index.html']) assert.ok(files.includes(f), f);
  assert.equal([pkg.manifest.version, pkg.manifest.minFromVersion, pkg.manifest.arch], ['0.2.0', '0.1.0', process.arch]);
  const dest = path.join(path.dirname(out), 'unpacked');
  await unpackPackage(out, pkg, dest);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dest, 'build-info.json'), 'utf8')).version, '0.2.0');
  assert.match(execFileSync(VERIFY, [out, '--board', 'rds'], { encoding: 'utf8' }), /ok: version 0\.2\.0 for rds/);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

test('versions compare by number, a suffixed one before its release', () => {
  assert.is(compareVersions('0.10.0', '0.9.9'), 1);
  assert.is(compareVersions('1.0.0-rc.1', '1.0.0'), -1);
  assert.is(compareVersions('1.0.0', '1.0.0'), 0);
  assert.is(compareVersions('0.1.0', '0.2.0'), -1);
});

test.run();
