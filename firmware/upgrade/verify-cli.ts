/**
 * `scripts/verify-package FILE [--board MODEL] [--arch ARCH]`: checks an upgrade package as
 * the box does (signature by a trusted key, length, payload and file hashes,
 * board) without installing it. Prints the manifest's facts, or the reason
 * and exits 1.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isRecorderError } from '../errors.ts';
import { trustedKeys } from '../license/signing-keys.ts';
import { inspectPackage, unpackPackage } from './package-reader.ts';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { board: { type: 'string' }, arch: { type: 'string' } } });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: verify-package FILE [--board MODEL] [--arch arm64|arm|x64]\n');
    return 2;
  }
  const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'verify-package-'));
  try {
    const pkg = await inspectPackage(file, trustedKeys('package'), values.board, values.arch);
    await unpackPackage(file, pkg, path.join(scratch, 'files'));
    const m = pkg.manifest;
    process.stdout.write(`ok: version ${m.version} for ${m.boards.join(', ')}${m.arch ? ` (${m.arch})` : ''}, upgrades from ${m.minFromVersion}, ${m.files.length} files, signed with the ${pkg.signedBy} key\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`refused: ${isRecorderError(e) ? `${e.code}: ${e.message}` : (e as Error).message}\n`);
    return 1;
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  process.stderr.write(`verify-package: ${(e as Error).message}\n`);
  process.exit(2);
});
