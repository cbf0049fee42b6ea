/**
 * Encryption at rest (firmware/recording/sealed-file.ts): seal and unseal
 * throughput of a 60 MB recording, the cost of serving a 64 KiB range of it
 * sealed versus plain (open the reader, stream the range, close, as one HTTP
 * Range request does), the event-loop delay while sealing and the CPU time of
 * one 64 KiB chunk, and the signature throughput.
 *
 *   node --import tsx bench/sealed-file.bench.ts
 *
 * Prints `BENCH <name> <value> <unit>` lines. Files go to the OS temporary
 * folder and are read from the page cache, so the figures are CPU cost, not
 * disk speed. `SEAL_BENCH_ROUNDS` (default 3) rounds of seal/unseal, best kept.
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { buffer as collect } from 'node:stream/consumers';
import { signatureOf } from '../firmware/recording/file-signature.ts';
import { openRecordingReader, parseKey, sealFile, unsealFile } from '../firmware/recording/sealed-file.ts';

const SIZE = 60 * 1000 * 1000;
const RANGE = 64 * 1024;
const RANGE_READS = 400;
const ROUNDS = Math.max(1, Number(process.env.SEAL_BENCH_ROUNDS ?? 3) || 3);
const key = parseKey(randomBytes(32).toString('hex'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-bench-'));
const plain = path.join(dir, 'plain.wav');
const sealed = path.join(dir, 'sealed.wav');
const unsealed = path.join(dir, 'unsealed.wav');

const report = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${value.toFixed(value < 10 ? 3 : 1)} ${unit}`);
const mbPerSecond = (ms: number) => SIZE / 1e6 / (ms / 1000);

async function best(run: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
}

/** Median milliseconds of one 64 KiB range request at random offsets (same offsets for every file). */
async function rangeRequestMs(file: string, offsets: number[]): Promise<number> {
  const times: number[] = [];
  for (const at of offsets) {
    const t0 = performance.now();
    const reader = await openRecordingReader(file, key);
    const got = await collect(reader.stream(at, at + RANGE - 1));
    await reader.close();
    times.push(performance.now() - t0);
    if (got.length !== RANGE) throw new Error(`short range read at ${at}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Median time of sealing one 64 KiB chunk: the longest stretch of crypto work done in one event-loop turn. */
function chunkCpuMs(): number {
  const chunk = randomBytes(RANGE);
  const nonce = randomBytes(12);
  const times: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.update(chunk);
    cipher.final();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}

async function main(): Promise<void> {
  // Written in 1 MB pieces so the bench itself never holds 60 MB.
  const out = fs.openSync(plain, 'w');
  for (let at = 0; at < SIZE; at += 1e6) fs.writeSync(out, randomBytes(1e6));
  fs.closeSync(out);

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const sealMs = await best(() => sealFile(plain, sealed, key));
  loop.disable();
  const unsealMs = await best(() => unsealFile(sealed, unsealed, key));
  report('seal_throughput_60mb', mbPerSecond(sealMs), 'MB/s');
  report('unseal_throughput_60mb', mbPerSecond(unsealMs), 'MB/s');
  report('seal_event_loop_delay_p99', loop.percentile(99) / 1e6, 'ms');
  report('seal_event_loop_delay_max', loop.max / 1e6, 'ms');
  report('chunk_64k_gcm_cpu', chunkCpuMs() * 1000, 'us');
  report('sealed_overhead_60mb', fs.statSync(sealed).size - SIZE, 'bytes');

  const offsets = Array.from({ length: RANGE_READS }, () => Math.floor(Math.random() * (SIZE - RANGE)));
  await rangeRequestMs(plain, offsets.slice(0, 20));
  await rangeRequestMs(sealed, offsets.slice(0, 20));
  const plainRange = await rangeRequestMs(plain, offsets);
  const sealedRange = await rangeRequestMs(sealed, offsets);
  report('range_64k_plain_60mb', plainRange, 'ms');
  report('range_64k_sealed_60mb', sealedRange, 'ms');
  report('range_64k_sealed_over_plain', sealedRange / plainRange, 'x');

  report('signature_plain_60mb', mbPerSecond(await best(() => signatureOf(plain, null))), 'MB/s');
  report('signature_sealed_60mb', mbPerSecond(await best(() => signatureOf(sealed, key))), 'MB/s');
}

try {
  await main();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
