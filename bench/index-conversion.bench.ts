/**
 * Index conversion from format 3 to format 4 (the start-up after the
 * firmware update that brought channel references), with the real code in a
 * child process:
 *
 *   node --import tsx bench/index-conversion.bench.ts                      # 10 million records
 *   BENCH_RECORDS=200000 node --import tsx bench/index-conversion.bench.ts # quick check
 *
 * Builds (once, kept in `.bench/index-conversion-<records>/format3` while its
 * marker matches) a format-3 index of a 64-line box over three years with
 * the test writer, in bounded batches; copies it; converts the copy in a
 * child process (`RecordIndex.open()`), and prints the time, the converting
 * process's peak RSS (VmHWM) and the rate as BENCH lines, then the converted
 * index's bytes per record after a full compaction.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../firmware/recording/record-entry.ts';
import { recordingFile } from '../firmware/recording/recording-paths.ts';
import { analogRef } from '../firmware/ports/channel-ref.ts';
import type { CallType } from '../firmware/calls/call-types.ts';
import { Format3Writer } from '../test/support/index-format3-writer.ts';

process.env.TZ = 'Asia/Shanghai';
const root = path.resolve(import.meta.dirname, '..');

if (process.argv[2] === '--convert') {
  // The child: open (and so convert) the index, then report its peak memory.
  const index = new RecordIndex(process.argv[3]!);
  await index.open();
  await index.close();
  const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ peakRssKiB: hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
  process.exit(0);
}

const RECORDS = Math.max(1000, Math.round(Number(process.env.BENCH_RECORDS ?? 10_000_000) || 10_000_000));
const CHANNELS = 64;
/** Days the records spread over (fewer days: the density of a large index in a small one). */
const DAYS = Math.max(1, Math.round(Number(process.env.BENCH_DAYS ?? 1096) || 1096));
const FIRST = Date.parse('2022-11-20T00:00:00+08:00');
const BATCH = 2000;
const GENERATOR = 1;
const dir = path.join(root, '.bench', `index-conversion-${RECORDS}${DAYS === 1096 ? '' : `-${DAYS}d`}`);
const source = path.join(dir, 'format3');
const work = path.join(dir, 'index');
const marker = path.join(dir, 'marker.json');
const note = (s: string) => process.stderr.write(`${s}\n`);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Records in time order: 64 lines, 3 years, numbers as in China, SHA-256 on every file, all but the last day archived. */
function* generate(): Generator<RecordEntry[]> {
  const r = rng(20221120);
  const perMs = RECORDS / (DAYS * 86_400_000);
  const customers = Array.from({ length: 3000 }, () => `13${Math.floor(r() * 1e9).toString().padStart(9, '0')}`);
  const lastDayStart = FIRST + (DAYS - 1) * 86_400_000;
  let t = FIRST;
  let batch: RecordEntry[] = [];
  for (let n = 0; n < RECORDS; n++) {
    t += Math.max(1, Math.round(-Math.log(1 - r()) / perMs));
    const channel = Math.floor(r() * CHANNELS);
    const x = r();
    const callType: CallType = x < 0.45 ? 'incoming-answered' : x < 0.85 ? 'outgoing' : x < 0.95 ? 'incoming-missed' : 'idle';
    const ref = analogRef(channel);
    const missed = callType === 'incoming-missed';
    const id = recordId(t, ref, missed ? 'm' : 1);
    const archived = t < lastDayStart;
    const file = missed ? null : recordingFile(t, ref, id, archived, 'alaw');
    const y = r();
    const remoteNumber = y < 0.12 ? customers[Math.floor(r() * customers.length)]! : y < 0.55 ? `1${3 + Math.floor(r() * 6)}${Math.floor(r() * 1e9).toString().padStart(9, '0')}`
      : y < 0.9 ? `${2 + Math.floor(r() * 7)}${Math.floor(r() * 1e7).toString().padStart(7, '0')}` : y < 0.93 ? String(6000 + Math.floor(r() * 2000)) : '';
    const durationMs = missed ? 5000 + Math.floor(r() * 35_000) : Math.round(90_000 * Math.exp(r() * 2 - 1));
    batch.push(withEntryDefaults({
      id, callId: `${channel}-${t}`, part: missed ? 0 : 1, channel, portType: 'analog', lineNumber: String(8000 + channel), remoteNumber, callerName: '',
      callType, startedAt: t, durationMs, startMode: missed ? 'ring' : 'voltage', stopMode: missed ? null : 'hangup', level: r() < 0.01 ? 'important' : 'normal',
      file, sizeBytes: file ? durationMs * 8 + 46 : 0, codec: file ? 'alaw' : null, archived, sealed: false,
      sha256: file ? Array.from({ length: 4 }, () => Math.floor(r() * 2 ** 32).toString(16).padStart(8, '0')).join('').repeat(2) : null, deleted: false,
    }));
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

function folderBytes(d: string): number {
  return fs.readdirSync(d).reduce((s, f) => s + fs.statSync(path.join(d, f)).size, 0);
}

async function buildSource(): Promise<void> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  note(`building a format-3 index of ${RECORDS.toLocaleString('en')} records in ${path.relative(root, source)}`);
  const t0 = performance.now();
  const writer = new Format3Writer(source, false);
  await writer.open();
  for (const batch of generate()) await writer.write(batch);
  await writer.close();
  fs.writeFileSync(marker, JSON.stringify({ records: RECORDS, generator: GENERATOR }));
  note(`  built in ${((performance.now() - t0) / 1000).toFixed(1)} s, ${(folderBytes(source) / RECORDS).toFixed(1)} bytes per record`);
}

let reuse = false;
try {
  const m = JSON.parse(fs.readFileSync(marker, 'utf8')) as { records: number; generator: number };
  reuse = m.records === RECORDS && m.generator === GENERATOR && fs.existsSync(source);
} catch {
  reuse = false;
}
if (!reuse) await buildSource();
for (const d of [work, `${work}.converting`, `${work}.previous`]) fs.rmSync(d, { recursive: true, force: true });
fs.cpSync(source, work, { recursive: true });

const t0 = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/index-conversion.bench.ts'), '--convert', work], {
  cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' },
});
let out = '';
child.stdout.on('data', (d: Buffer) => (out += d.toString()));
const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
const seconds = (performance.now() - t0) / 1000;
if (code !== 0) throw new Error(`the conversion failed (exit ${code}): ${out}`);
const { peakRssKiB, cpuSeconds } = JSON.parse(out.trim().split('\n').pop()!) as { peakRssKiB: number; cpuSeconds: number };

console.log(`BENCH index_conversion_seconds ${seconds.toFixed(1)} s (${RECORDS} records)`);
console.log(`BENCH index_conversion_peak_rss ${(peakRssKiB / 1024).toFixed(0)} MiB`);
console.log(`BENCH index_conversion_records_per_s ${Math.round(RECORDS / seconds)}`);
console.log(`BENCH index_conversion_cpu_seconds ${cpuSeconds.toFixed(1)} s (the converting process; the machine's load shows in the difference)`);

const index = new RecordIndex(work);
await index.open();
const before = folderBytes(work);
await index.db.compactRange(Buffer.from([0x00]), Buffer.from([0xff]));
await index.close();
console.log(`BENCH index_conversion_bytes_per_record ${(folderBytes(work) / RECORDS).toFixed(1)} (${(before / RECORDS).toFixed(1)} before compaction)`);
