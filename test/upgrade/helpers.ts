/**
 * Upgrade packages for tests: a stand-in recorder program (serves
 * /api/v1/health with its version, writes the supervisor's ready file),
 * packaged and signed with the development key, or with another key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { buildPackage } from '../../firmware/upgrade/package-writer.ts';
import { tempDir } from '../support/temp-dir.ts';

export const DEV_PACKAGE_KEY = fs.readFileSync(path.resolve(import.meta.dirname, '../../keys/dev/package-signing.dev.key.pem'), 'utf8');

const STAND_IN = `import http from 'node:http';
import fs from 'node:fs';
const info = JSON.parse(fs.readFileSync(new URL('./build-info.json', import.meta.url), 'utf8'));
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
if (info.fail) process.exit(3);
http.createServer((req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: 'ok', version: info.version, board: info.board }));
}).listen(port, '127.0.0.1', () => {
  if (process.env.RECORDER_READY_FILE) fs.writeFileSync(process.env.RECORDER_READY_FILE, process.pid + '\\n');
});
process.on('SIGTERM', () => process.exit(0));
`;

/** A program folder of `version` (one that exits at once with `fail`). */
export function standInProgram(dir: string, version: string, opts: { board?: string; fail?: boolean } = {}): string {
  fs.mkdirSync(path.join(dir, 'board'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.js'), STAND_IN);
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}\n');
  fs.writeFileSync(path.join(dir, 'build-info.json'), JSON.stringify({ version, board: opts.board ?? 'sim', ...(opts.fail ? { fail: true } : {}) }));
  fs.writeFileSync(path.join(dir, 'board', 'empty.json'), '');
  fs.writeFileSync(path.join(dir, 'board', 'sim.json'), JSON.stringify({ padding: 'x'.repeat(20_000) }));
  return dir;
}

export interface TestPackageOptions {
  boards?: string[];
  minFromVersion?: string;
  key?: string;
  fail?: boolean;
  arch?: 'arm64' | 'arm' | 'x64';
}

export async function testPackage(version: string, opts: TestPackageOptions = {}): Promise<string> {
  const dir = tempDir('pkg-');
  const src = standInProgram(path.join(dir, 'src'), version, { fail: opts.fail ?? false });
  const out = path.join(dir, `recorder-${version}.rdxpkg`);
  await buildPackage(src, { version, boards: opts.boards ?? ['sim'], minFromVersion: opts.minFromVersion ?? '0.0.0', ...(opts.arch ? { arch: opts.arch } : {}) }, opts.key ?? DEV_PACKAGE_KEY, out);
  return out;
}

export function foreignPackageKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A copy of a package with `edit` applied to its bytes. */
export function alteredCopy(file: string, edit: (b: Buffer) => Buffer): string {
  const out = `${file}.altered-${Math.random().toString(16).slice(2)}`;
  fs.writeFileSync(out, edit(fs.readFileSync(file)));
  return out;
}
