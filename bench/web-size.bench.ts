/**
 * The web UI's size as a browser downloads it: scripts/build-web into a temp
 * folder, then HTML + JS + CSS gzipped (what the box sends with
 * Content-Encoding: gzip) and with brotli.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'web-size-'));
try {
  const report = JSON.parse(execFileSync(path.join(root, 'scripts/build-web'), ['--out', out], { encoding: 'utf8' }).trim().split('\n').pop()!);
  const kb = (n: number) => (n / 1024).toFixed(1);
  console.log(`BENCH web_gzip_total ${kb(report.gzipBytes)} KB`);
  console.log(`BENCH web_brotli_total ${kb(report.brotliBytes)} KB`);
  console.log(`BENCH web_raw_total ${kb(report.rawBytes)} KB`);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
