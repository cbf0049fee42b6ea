/**
 * Field upgrade packages (firmware/upgrade/): what building, checking and
 * unpacking cost, for the production bundle of the rds board and for a
 * large package of incompressible data (throughput of the box's checks).
 *
 *   node --import tsx bench/upgrade-package.bench.ts
 *
 * - bundle: the package of scripts/bundle.mjs's output (built first; needs `make web`):
 *   files, bytes unpacked and packed, build, check (signature, length, payload SHA-256)
 *   and unpack (gunzip, per-file SHA-256, fsync) times;
 * - large: UPGRADE_BENCH_MIB MiB (default 64) of random bytes in 8 files: check and
 *   unpack throughput in MiB/s.
 *
 * Prints `BENCH <name> <value> <unit>` lines. Files go to the OS temporary folder.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { trustedKeys } from '../firmware/license/signing-keys.ts';
import { buildPackage } from '../firmware/upgrade/package-writer.ts';
import { inspectPackage, unpackPackage } from '../firmware/upgrade/package-reader.ts';

const root = path.resolve(import.meta.dirname, '..');
const key = fs.readFileSync(path.join(root, 'keys/dev/package-signing.dev.key.pem'), 'utf8');
const keys = trustedKeys('package', {});
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'upgrade-bench-'));
const bench = (name: string, value: number, unit: string) => process.stdout.write(`BENCH ${name} ${Math.round(value * 100) / 100} ${unit}\n`);

async function measure(name: string, src: string, unpackedBytes: number): Promise<void> {
  const file = path.join(work, `${name}.rdxpkg`);
  let t = performance.now();
  const manifest = await buildPackage(src, { version: '9.9.9', boards: ['rds'], minFromVersion: '0.0.0' }, key, file);
  const buildMs = performance.now() - t;
  t = performance.now();
  const pkg = await inspectPackage(file, keys, 'rds');
  const checkMs = performance.now() - t;
  t = performance.now();
  await unpackPackage(file, pkg, path.join(work, `${name}-unpacked`));
  const unpackMs = performance.now() - t;
  const mib = unpackedBytes / (1 << 20);
  bench(`upgrade.${name}.files`, manifest.files.length, 'files');
  bench(`upgrade.${name}.unpacked`, mib, 'MiB');
  bench(`upgrade.${name}.packed`, fs.statSync(file).size / (1 << 20), 'MiB');
  bench(`upgrade.${name}.build`, buildMs, 'ms');
  bench(`upgrade.${name}.check`, checkMs, 'ms');
  bench(`upgrade.${name}.unpack`, unpackMs, 'ms');
  bench(`upgrade.${name}.check_unpack_rate`, mib / ((checkMs + unpackMs) / 1000), 'MiB/s');
}

function folderBytes(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += fs.statSync(path.join(e.parentPath, e.name)).size;
  return n;
}

try {
  const bundle = path.join(work, 'bundle');
  execFileSync(path.join(root, 'scripts/bundle.mjs'), ['--out', bundle], { stdio: 'ignore' });
  await measure('bundle', bundle, folderBytes(bundle));
  const large = path.join(work, 'large');
  fs.mkdirSync(large);
  const mib = Number(process.env.UPGRADE_BENCH_MIB ?? 64);
  for (let i = 0; i < 8; i++) fs.writeFileSync(path.join(large, `part${i}.bin`), randomBytes((mib << 20) / 8));
  await measure('large', large, mib << 20);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
