/**
 * The web interface under load, on the real daemon while the 64 analog lines
 * of the simulated RDT board record (scripts/linecard-sim --board rdt
 * --continuous on a pseudo-terminal pair, the daemon from an esbuild bundle
 * of firmware/sim/sim-daemon.ts). Multi-user operation is switched on and 20
 * accounts are signed in (bearer sessions).
 *
 * 1. API: a load generator in its own process runs 20 sessions over a today
 *    search (page size 16, with its total), the channel list and the status,
 *    for BENCH_WEB_SECONDS (default 30) twice: first at a browser's pace (each
 *    session one request at random every BENCH_WEB_PACE_MS on average, default
 *    1000, Poisson arrivals), then back to back with no pause (saturation).
 *    Latency p50/p95/p99 per endpoint, requests/s, the daemon's CPU and RSS
 *    over each window.
 * 2. WebSocket: the daemon's CPU over a window with no monitors, then 20
 *    monitors on /api/v1/ws (in their own process) receiving the live events
 *    (all but the level meter, as the web UI): events/s per client, delivery
 *    delay (the event's `at` against the time it arrives; one clock, one
 *    machine), events a client missed that another client received, and the
 *    daemon's CPU with the monitors.
 *
 *   node --import tsx bench/web-api-load.bench.ts     (BENCH_WEB_SECONDS, BENCH_WEB_WARMUP, BENCH_WEB_PACE_MS, BENCH_WEB_PROFILE=1)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { bearerClient } from '../test/support/api-client.ts';
import { line, measure, quantile, ROOT, signedInSessions, sleep, startLoadedRdt } from './loaded-rdt.ts';

const SESSIONS = 20;
const SECONDS = Math.max(5, Number(process.env.BENCH_WEB_SECONDS ?? 30) || 30);
const WARMUP = Math.max(0, Number(process.env.BENCH_WEB_WARMUP ?? 10) || 0);
/** Mean time between one session's requests in the paced window (a person at the web UI is far slower). */
const PACE_MS = Math.max(50, Number(process.env.BENCH_WEB_PACE_MS ?? 1000) || 1000);
const ENDPOINTS = {
  records: '/api/v1/records?store=today&limit=16&page=1',
  channels: '/api/v1/channels',
  status: '/api/v1/status',
} as const;
type Endpoint = keyof typeof ENDPOINTS;

/** A count as it is (no rounding). */
const printf = (name: string, n: number, unit: string) => console.log(`BENCH ${name} ${n} ${unit}`);

// ------------------------------------------------------------------ children: load generator and monitors

/**
 * 20 sessions over the three endpoints; prints one JSON line of latencies.
 * `paceMs` 0: each session loops back to back (saturation). Otherwise each
 * session waits an exponentially distributed time with this mean before each
 * request (Poisson arrivals) and asks for one endpoint at random.
 */
async function loadGenerator(origin: string, tokens: string[], seconds: number, paceMs = 0): Promise<void> {
  const lat: Record<Endpoint, number[]> = { records: [], channels: [], status: [] };
  const bytes: Record<Endpoint, number> = { records: 0, channels: 0, status: 0 };
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const session = async (token: string) => {
    const client = bearerClient(origin, token);
    const all = Object.keys(ENDPOINTS) as Endpoint[];
    while (performance.now() < end) {
      if (paceMs > 0) await sleep(-Math.log(1 - Math.random()) * paceMs);
      for (const ep of paceMs > 0 ? [all[Math.floor(Math.random() * all.length)]!] : all) {
        const t0 = performance.now();
        const res = await client.fetch(ENDPOINTS[ep]);
        bytes[ep] += (await res.arrayBuffer()).byteLength;
        if (res.status !== 200) errors++;
        else lat[ep].push(performance.now() - t0);
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(tokens.map(session));
  const elapsed = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ lat, bytes, errors, elapsed }) + '\n');
}

/** 20 WebSocket monitors for `seconds`; prints one JSON line of what each received. */
async function monitors(origin: string, tokens: string[], seconds: number): Promise<void> {
  const url = origin.replace(/^http/, 'ws') + '/api/v1/ws';
  const clients = await Promise.all(
    tokens.map(
      (token) =>
        new Promise<{ ws: WebSocket; keys: Set<string>; delays: number[] }>((resolve, reject) => {
          const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
          const c = { ws, keys: new Set<string>(), delays: [] as number[] };
          ws.on('message', (data) => {
            const now = Date.now();
            const msg = JSON.parse(String(data));
            if (msg.type === 'hello') resolve(c);
            if (msg.type !== 'event') return;
            const at = Date.parse(msg.event.at);
            c.delays.push(now - at);
            c.keys.add(JSON.stringify(msg.event));
          });
          ws.on('error', reject);
        }),
    ),
  );
  const from = Date.now();
  await sleep(seconds * 1000);
  const to = Date.now() - 1000;
  for (const c of clients) c.ws.close();
  // Missed events are counted over events stamped while every client was connected, up to a second before the end.
  const inWindow = (k: string) => {
    const at = Date.parse(JSON.parse(k).at);
    return at >= from && at <= to;
  };
  const all = new Set<string>();
  for (const c of clients) for (const k of c.keys) if (inWindow(k)) all.add(k);
  const delays = clients.flatMap((c) => c.delays).sort((a, b) => a - b);
  process.stdout.write(
    JSON.stringify({ received: clients.map((c) => c.keys.size), inWindow: clients.map((c) => [...c.keys].filter(inWindow).length), union: all.size, p50: quantile(delays, 0.5), p95: quantile(delays, 0.95), max: delays.at(-1) ?? NaN }) + '\n',
  );
}

// ------------------------------------------------------------------ the box

/** Runs this file in another process in `mode`; resolves with its JSON result line. */
function child(mode: string, origin: string, tokens: string[], seconds: number, onLine?: (l: string) => void, extra: string[] = []): Promise<any> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode, origin, String(seconds), ...extra], {
      cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' },
    });
    p.stdin!.end(tokens.join('\n'));
    let buf = '';
    let result: any;
    p.stdout!.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (l.startsWith('{')) result = JSON.parse(l);
        else onLine?.(l);
      }
    });
    p.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${mode} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const profile = process.env.BENCH_WEB_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, '.bench/web-profile')}`] : [];
  const box = await startLoadedRdt('web-bench', profile);
  process.on('SIGINT', () => void box.stop().then(() => process.exit(130)));
  try {
    const { origin, pid } = box;
    console.log(`bench: web: daemon on ${origin}, 64 lines recording; warm-up ${WARMUP} s, windows ${SECONDS} s, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    const { admin, tokens } = await signedInSessions(origin, SESSIONS, 'bench', 'user');
    await sleep(WARMUP * 1000);
    const recording = (await admin.json('/api/v1/channels')).body;
    const items: any[] = recording.items ?? recording;
    const recNow = items.filter((c) => c.recording && c.portType === 'analog').length;
    console.log(`bench: web: ${SESSIONS} sessions signed in; ${items.length} channels listed, ${recNow} analog lines recording now`);

    // Idle window: the daemon alone with its 64 lines.
    const idle = await measure(pid, () => sleep(SECONDS * 1000));
    line('web_daemon_cpu_idle', idle.cpu, '%core');

    // 1. API load: the 20 sessions at a browser's pace, then back to back (saturation).
    for (const [prefix, pace] of [['web_api_paced', PACE_MS], ['web_api', 0]] as const) {
      const api = await measure(pid, () => child('--load', origin, tokens, SECONDS, undefined, [String(pace)]));
      let total = 0;
      for (const ep of Object.keys(ENDPOINTS) as Endpoint[]) {
        const l = (api.result.lat[ep] as number[]).sort((a, b) => a - b);
        total += l.length;
        line(`${prefix}_${ep}_p50`, quantile(l, 0.5), 'ms');
        line(`${prefix}_${ep}_p95`, quantile(l, 0.95), 'ms');
        line(`${prefix}_${ep}_p99`, quantile(l, 0.99), 'ms');
        if (pace === 0) line(`${prefix}_${ep}_body`, api.result.bytes[ep] / Math.max(1, l.length) / 1024, 'KiB');
      }
      line(`${prefix}_requests_per_second`, total / api.result.elapsed, 'req/s');
      printf(`${prefix}_errors`, api.result.errors, 'count');
      line(`${prefix}_daemon_cpu`, api.cpu, '%core');
      line(`${prefix}_daemon_rss`, api.rss, 'MiB');
    }

    // 2. WebSocket fan-out.
    const ws = await measure(pid, () => child('--monitors', origin, tokens, SECONDS));
    const r = ws.result;
    const perClient = (r.received as number[]).reduce((a, b) => a + b, 0) / r.received.length / SECONDS;
    const dropped = (r.inWindow as number[]).reduce((a, n) => a + (r.union - n), 0);
    line('web_ws_events_per_second_per_client', perClient, 'events/s');
    line('web_ws_delay_p50', r.p50, 'ms');
    line('web_ws_delay_p95', r.p95, 'ms');
    line('web_ws_delay_max', r.max, 'ms');
    printf('web_ws_dropped', dropped, 'events');
    line('web_ws_daemon_cpu', ws.cpu, '%core');
    line('web_ws_daemon_cpu_added', ws.cpu - idle.cpu, '%core');
    line('web_ws_daemon_rss', ws.rss, 'MiB');
  } finally {
    await box.stop();
  }
}


const [mode, origin, seconds, pace] = process.argv.slice(2);
if (mode === '--load' || mode === '--monitors') {
  const tokens = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
  if (mode === '--load') await loadGenerator(origin, tokens, Number(seconds), Number(pace ?? 0));
  else await monitors(origin, tokens, Number(seconds));
  process.exit(0);
} else {
  await main().catch((e: unknown) => {
    console.error(`bench: web: ${(e as Error).stack}`);
    process.exitCode = 1;
  });
}
