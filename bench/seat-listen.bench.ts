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
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { signIn } from '../test/support/api-client.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Math.max(5, Number(process.env.BENCH_SEAT_SECONDS ?? 20) || 20);
const WARMUP = 5;
const CLIENTS = 2;
const CHANNELS = 64;
const JITTER_TARGET_MS = 60;
const CLK_TCK = 100;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function line(name: string, value: number, unit: string): void {
  const a = Math.abs(value);
  console.log(`BENCH ${name} ${a >= 100 ? value.toFixed(0) : a >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`);
}

const quantile = (s: number[], q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN);

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

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

async function waitFor(file: string, pattern: RegExp, child: ChildProcess, what: string): Promise<RegExpExecArray> {
  for (let i = 0; i < 600; i++) {
    const m = fs.existsSync(file) ? pattern.exec(fs.readFileSync(file, 'utf8')) : null;
    if (m) return m;
    if (child.exitCode !== null) throw new Error(`${what} exited: ${fs.readFileSync(file, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
  throw new Error(`${what} did not get ready in 60 s`);
}

function startGroup(cmd: string, args: string[], out: string): ChildProcess {
  const fd = fs.openSync(out, 'w');
  const child = spawn(cmd, args, { cwd: ROOT, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, NODE_OPTIONS: '' } });
  fs.closeSync(fd);
  return child;
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
    }, 10_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { resolve(); }
  });
}

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

async function measure<T>(pid: number, run: () => Promise<T>): Promise<{ cpu: number; result: T }> {
  const c0 = cpuTicks(pid);
  const t0 = performance.now();
  const result = await run();
  return { cpu: (100 * (cpuTicks(pid) - c0)) / CLK_TCK / ((performance.now() - t0) / 1000), result };
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'seat-bench-'));
  const bundle = path.join(ROOT, '.bench', 'seat-bench-daemon.mjs');
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'firmware/sim/sim-daemon.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, packages: 'external', logLevel: 'warning' });
  const board = JSON.parse(fs.readFileSync(path.join(ROOT, 'board/sim-rdt.json'), 'utf8'));
  board.linecard.device = path.join(work, 'linecard-host.pty');
  const boardFile = path.join(work, 'board.json');
  fs.writeFileSync(boardFile, JSON.stringify(board));
  const groups: ChildProcess[] = [];
  const stopAll = () => Promise.all(groups.splice(0).reverse().map(stopGroup));
  try {
    const sim = startGroup(path.join(ROOT, 'scripts/linecard-sim'), ['--pty-pair', work, '--board', 'rdt', '--continuous'], path.join(work, 'sim.log'));
    groups.push(sim);
    await waitFor(path.join(work, 'sim.log'), /ready:/, sim, 'the line-card simulator');
    const daemon = startGroup(process.execPath, [bundle, '--board', boardFile, '--port', '0', '--data', path.join(work, 'data'), '--config', path.join(work, 'config'), '--logs', path.join(work, 'log')], path.join(work, 'daemon.out'));
    groups.push(daemon);
    const running = (await waitFor(path.join(work, 'daemon.out'), /^.*"msg":"recorder running".*$/m, daemon, 'the daemon'))[0];
    const origin = `http://127.0.0.1:${/"port":(\d+)/.exec(running)?.[1]}`;
    const pid = daemon.pid!;
    console.log(`bench: seats: daemon on ${origin}, 64 lines with calls; ${CLIENTS} clients x ${CHANNELS} channels; windows ${SECONDS} s, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    const admin = await signIn(origin);
    const access = await admin.json('/api/v1/settings/access', { method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 60, loginConflict: 'replace' } });
    if (access.status !== 200) throw new Error(`PUT /settings/access: ${access.status}`);
    const tokens: string[] = [];
    for (let i = 1; i <= CLIENTS; i++) {
      const username = `listen${i}`;
      const made = await admin.json('/api/v1/accounts', { method: 'POST', body: { username, password: 'Bench-pass-1', role: 'super', mustChangePassword: false } });
      if (made.status !== 201) throw new Error(`POST /accounts: ${made.status} ${JSON.stringify(made.body)}`);
      tokens.push((await signIn(origin, username, 'Bench-pass-1')).token);
    }
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
    await stopAll();
    fs.rmSync(work, { recursive: true, force: true });
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
