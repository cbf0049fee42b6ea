/**
 * `make package BOARD=rds|rdt` → scripts/make-package: the production bundle
 * (scripts/bundle.mjs) for the board, signed as an upgrade package
 * `dist/recorder-<board>-<version>.rdxpkg` (docs/upgrade.md).
 *
 *   scripts/make-package --board rds [--version X] [--min-from Y] [--arch A]
 *                        [--from DIR] [--out FILE]
 *
 * `--from DIR` packages a folder as it is instead of bundling. The key:
 * PACKAGE_SIGNING_KEY (PEM) or PACKAGE_SIGNING_KEY_FILE, else the dev key.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackage } from '../../firmware/upgrade/package-writer.ts';
import { signingKey } from './signing-key.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    board: { type: 'string' }, version: { type: 'string' }, 'min-from': { type: 'string', default: '0.0.0' },
    arch: { type: 'string' }, from: { type: 'string' }, out: { type: 'string' },
  },
});
const board = values.board;
if (!board || !/^[a-z0-9-]+$/.test(board)) throw new Error('make-package: --board rds|rdt is required');
if (!fs.existsSync(path.join(root, 'board', `${board}.json`))) throw new Error(`make-package: no board file board/${board}.json`);
const version = values.version ?? (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
// The production bundle runs the box's entry point, which only drives real boards.
if (!values.from && !['rds', 'rdt'].includes(board)) throw new Error(`make-package: BOARD=${board}: the production bundle is for the boxes (rds, rdt)`);
let src = values.from ? path.resolve(values.from) : '';
if (!src) {
  src = path.join(root, 'dist', `package-${board}`);
  execFileSync(path.join(root, 'scripts', 'bundle.mjs'), ['--out', src, ...(values.arch ? ['--arch', values.arch] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
  const infoFile = path.join(src, 'build-info.json');
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(infoFile, `${JSON.stringify({ ...info, version, board, builtAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') })}\n`);
}
const out = path.resolve(values.out ?? path.join(root, 'dist', `recorder-${board}-${version}.rdxpkg`));
const key = signingKey('PACKAGE_SIGNING_KEY', 'package-signing.dev.key.pem');
let commit: string | undefined;
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
} catch {
  commit = undefined;
}
const manifest = await buildPackage(src, { version, boards: [board], minFromVersion: values['min-from']!, ...(values.from ? {} : { arch: (values.arch ?? os.arch()) as 'arm64' | 'arm' | 'x64' }), ...(commit ? { commit } : {}) }, key.pem, out);
process.stdout.write(`${out}\n`);
process.stderr.write(`package ${manifest.version} for ${board}${manifest.arch ? ` (${manifest.arch})` : ''}: ${manifest.files.length} files, ${fs.statSync(out).size} bytes, signed with the ${key.name} key\n`);
