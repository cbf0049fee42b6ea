/**
 * Benchmark of the web UI's recording endpoints over real HTTP on a simulated
 * box (test/support/sim-box.ts):
 * - export of 100,000 index rows as CSV and as XLSX (GET /api/v1/records/export.*),
 * - playback of a 30-minute sealed A-law recording transcoded to 16-bit PCM
 *   WAV (GET /api/v1/records/:id/play) and its waveform (…/peaks).
 *
 *   node --import tsx bench/record-export.bench.ts
 *
 * Prints `BENCH <name> <value> <unit>`:
 *   export_csv_rows_per_s, export_xlsx_rows_per_s   rows received per wall-clock second
 *   export_csv_rss_growth, export_xlsx_rss_growth   the box's highest RSS while exporting, less its RSS before (MiB)
 *   export_box_peak_rss                             peak RSS of the box's process (daemon, index, both exports; MiB)
 *   play_transcode                                  x-realtime (recorded seconds per wall-clock second)
 *   peaks_1000                                      x-realtime of computing a 1000-point waveform
 * The index is built in one child process, then the box runs in another, whose
 * memory (/proc/<pid>/status) is measured apart from the client's.
 * Environment: EXPORT_BENCH_ROWS (default 100000), PLAY_BENCH_MINUTES (default 30),
 * EXPORT_BENCH_BOX_FLAGS (node flags of the box's process, e.g. `--max-old-space-size=64`).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { T0, startSimBox } from '../test/support/sim-box.ts';
import { writeGeneratedIndex } from '../test/support/generated-entries.ts';
import { startMediaBox } from '../test/support/media-box.ts';

const ROWS = Number(process.env.EXPORT_BENCH_ROWS ?? 100_000);
const MINUTES = Number(process.env.PLAY_BENCH_MINUTES ?? 30);

function line(name: string, value: number, unit: string): void {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  process.stdout.write(`BENCH ${name} ${value.toFixed(digits)} ${unit}\n`);
}

/** The resident set of a process now and at its highest (VmRSS, VmHWM), MiB. */
function rssOf(pid: number): { now: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { now: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Reads a whole response, sampling the RSS of process `pid`; returns seconds and the highest RSS seen (MiB). */
async function drain(url: string, pid = process.pid): Promise<{ seconds: number; bytes: number; peakRss: number }> {
  let peakRss = rssOf(pid).now;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, rssOf(pid).now)), 20);
  const t = performance.now();
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  let bytes = 0;
  for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length;
  clearInterval(timer);
  return { seconds: (performance.now() - t) / 1000, bytes, peakRss: Math.max(peakRss, rssOf(pid).now) };
}

/** The box on `dataDir` in a child process of its own, so that its memory is measured apart from the client's. */
async function serveInChild(dataDir: string): Promise<{ port: number; pid: number; stop: () => void }> {
  const flags = (process.env.EXPORT_BENCH_BOX_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve', dataDir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the box exited (${code})`)));
  });
  return { port, pid: child.pid!, stop: () => child.stdin.end() };
}

async function exports(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-bench-'));
  const built = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--build', dataDir], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('building the index failed');
  const box = await serveInChild(dataDir);
  try {
    for (const format of ['csv', 'xlsx'] as const) {
      const before = rssOf(box.pid).now;
      const r = await drain(`http://127.0.0.1:${box.port}/api/v1/records/export.${format}`, box.pid);
      line(`export_${format}_rows_per_s`, ROWS / r.seconds, 'rows/s');
      line(`export_${format}_rss_growth`, r.peakRss - before, 'MiB');
    }
    line('export_box_peak_rss', rssOf(box.pid).peak, 'MiB');
  } finally {
    box.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function playback(): Promise<void> {
  const { box, entries } = await startMediaBox([{ agoS: MINUTES * 60 + 60, seconds: MINUTES * 60 }]);
  try {
    const id = entries[0]!.id;
    const audioS = MINUTES * 60;
    const play = await drain(`http://127.0.0.1:${box.port}/api/v1/records/${id}/play`);
    line('play_transcode', audioS / play.seconds, 'x-realtime');
    const peaks = await drain(`http://127.0.0.1:${box.port}/api/v1/records/${id}/peaks?points=1000`);
    line('peaks_1000', audioS / peaks.seconds, 'x-realtime');
    fs.rmSync(box.dataDir, { recursive: true, force: true });
  } finally {
    await box.stop();
  }
}

if (process.argv[2] === '--build') {
  await writeGeneratedIndex(process.argv[3]!, ROWS, T0);
} else if (process.argv[2] === '--serve') {
  const box = await startSimBox({ sources: [], dataDir: process.argv[3]! });
  process.stdout.write(`PORT ${box.port}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void box.stop().then(() => process.exit(0)));
} else {
  await exports();
  await playback();
}
