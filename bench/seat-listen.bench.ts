/**
 * Live listening fan-out (实时监听) on the real daemon while the 64 analog
 * lines of the simulated RDT board carry calls (scripts/linecard-sim --board
 * rdt --continuous on a pseudo-terminal pair, the daemon from an esbuild
 * bundle of firmware/sim/sim-daemon.ts): two clients (in their own process,
 * each its own account and WebSocket) each listen to all 64 channels, so
 * every channel streams to 2 listeners (128 streams, 6400 frames/s).
 *
 * Figures: the daemon's CPU over a window without listeners and over one
 * with them; frames per second received; frames lost (sequence gaps); the
 * delay from a block's last sample at the box (its `at` + 20 ms) to its
 * arrival at the client, p50/p95/max (one machine, one clock), and the
 * end-to-end delay a browser adds its 60 ms jitter buffer to.
 *
 *   node --import tsx bench/seat-listen.bench.ts     (BENCH_SEAT_SECONDS, default 20)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { line, measure, quantile, ROOT, signedInSessions, sleep, startLoadedRdt } from './loaded-rdt.ts';

const SECONDS = Math.max(5, Number(process.env.BENCH_SEAT_SECONDS ?? 20) || 20);
const WARMUP = 5;
const CLIENTS = 2;
const CHANNELS = 64;
const JITTER_TARGET_MS = 60;

// ------------------------------------------------------------------ child: the listening clients

async function listeners(origin: string, tokens: string[], seconds: number): Promise<void> {
  const delays: number[] = [];
  let frames = 0;
  let lost = 0;
  let refused = 0;
  const clients = await Promise.all(tokens.map((token) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(origin.replace(/^http/, 'ws') + '/api/v1/ws', { headers: { authorization: `Bearer ${token}` } });
    const lastSeq = new Map<number, number>();
    let counting = false;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        const m = JSON.parse(String(data));
        if (m.type === 'hello') {
          for (let ch = 0; ch < CHANNELS; ch++) ws.send(JSON.stringify({ type: 'listen', ref: `analog-0-${ch}` }));
          setTimeout(() => (counting = true), 1000);
          resolve(ws);
        }
        if (m.type === 'error') refused++;
        return;
      }
      const now = Date.now();
      const b = data as Buffer;
      const stream = b.readUInt16LE(2);
      const seq = b.readUInt32LE(4);
      const at = b.readDoubleLE(8);
      const n = (b.length - 20) / 2;
      const prev = lastSeq.get(stream);
      lastSeq.set(stream, seq);
      if (!counting) return;
      frames++;
      if (prev !== undefined && seq > prev + 1) lost += seq - prev - 1;
      delays.push(now - (at + (n * 1000) / 8000));
    });
    ws.on('error', reject);
  })));
  const t0 = performance.now();
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - t0) / 1000 - 1;
  for (const ws of clients) ws.close();
  delays.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ frames, lost, refused, elapsed, p50: quantile(delays, 0.5), p95: quantile(delays, 0.95), max: delays.at(-1) ?? NaN }) + '\n');
}

// ------------------------------------------------------------------ the box

function runListeners(origin: string, tokens: string[], seconds: number): Promise<any> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--listeners', origin, String(seconds)], {
      cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' },
    });
    p.stdin!.end(tokens.join('\n'));
    let out = '';
    p.stdout!.on('data', (d) => (out += d));
    p.on('exit', (code) => {
      const l = out.split('\n').find((x) => x.startsWith('{'));
      if (code === 0 && l) resolve(JSON.parse(l));
      else reject(new Error(`listeners exited ${code}: ${out.slice(-500)}`));
    });
  });
}

async function main(): Promise<void> {
  const box = await startLoadedRdt('seat-bench');
  try {
    const { origin, pid } = box;
    console.log(`bench: seats: daemon on ${origin}, 64 lines with calls; ${CLIENTS} clients x ${CHANNELS} channels; windows ${SECONDS} s, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    const { tokens } = await signedInSessions(origin, CLIENTS, 'listen', 'super');
    await sleep(WARMUP * 1000);
    const idle = await measure(pid, () => sleep(SECONDS * 1000));
    line('seat_listen_daemon_cpu_idle', idle.cpu, '%core');
    const live = await measure(pid, () => runListeners(origin, tokens, SECONDS));
    const r = live.result;
    line('seat_listen_daemon_cpu', live.cpu, '%core');
    line('seat_listen_daemon_cpu_added', live.cpu - idle.cpu, '%core');
    line('seat_listen_frames_per_second', r.frames / r.elapsed, 'frames/s');
    console.log(`BENCH seat_listen_frames_lost ${r.lost} frames`);
    console.log(`BENCH seat_listen_refused ${r.refused} streams`);
    line('seat_listen_delay_p50', r.p50, 'ms');
    line('seat_listen_delay_p95', r.p95, 'ms');
    line('seat_listen_delay_max', r.max, 'ms');
    line('seat_listen_end_to_end_p95', r.p95 + JITTER_TARGET_MS, 'ms');
  } finally {
    await box.stop();
  }
}

const [mode, origin, seconds] = process.argv.slice(2);
if (mode === '--listeners') {
  const tokens = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
  await listeners(origin!, tokens, Number(seconds));
  process.exit(0);
} else {
  await main().catch((e: unknown) => {
    console.error(`bench: seats: ${(e as Error).stack}`);
    process.exitCode = 1;
  });
}
