/**
 * The real daemon on the simulated RDT board with its 64 analog lines busy
 * (scripts/linecard-sim --board rdt --continuous on a pseudo-terminal pair,
 * the daemon from an esbuild bundle of firmware/sim/sim-daemon.ts), each in
 * its own process group, for the benchmarks that load the box from outside:
 * the web API, live listening. Also what they measure it with: the daemon's
 * CPU and RSS from /proc, quantiles, BENCH lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn, type ApiClient } from '../test/support/api-client.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLK_TCK = 100;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A `BENCH <name> <value> <unit>` line, three significant figures. */
export function line(name: string, value: number, unit: string): void {
  const a = Math.abs(value);
  console.log(`BENCH ${name} ${a >= 100 ? value.toFixed(0) : a >= 10 ? value.toFixed(1) : value.toFixed(2)} ${unit}`);
}

/** The q-quantile of sorted values (NaN for none). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The CPU (% of one core) process `pid` used while `run` ran, and its RSS after. */
export async function measure<T>(pid: number, run: () => Promise<T>): Promise<{ cpu: number; rss: number; result: T }> {
  const c0 = cpuTicks(pid);
  const t0 = performance.now();
  const result = await run();
  const cpu = (100 * (cpuTicks(pid) - c0)) / CLK_TCK / ((performance.now() - t0) / 1000);
  return { cpu, rss: rssMiB(pid), result };
}

async function waitFor(file: string, pattern: RegExp, child: ChildProcess, what: string): Promise<RegExpExecArray> {
  for (let i = 0; i < 600; i++) {
    const m = fs.existsSync(file) ? pattern.exec(fs.readFileSync(file, 'utf8')) : null;
    if (m) return m;
    if (child.exitCode !== null) throw new Error(`${what} exited: ${fs.readFileSync(file, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
  throw new Error(`${what} did not get ready in 60 s: ${fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-2000) : ''}`);
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

export interface LoadedRdt {
  origin: string;
  /** The daemon's process id, for `measure`. */
  pid: number;
  /** Stops the daemon and the simulator and removes their folder. */
  stop(): Promise<void>;
}

/** Starts the simulator and the daemon (`name` names the bundle; `daemonArgs` go before the bundle, e.g. --cpu-prof). */
export async function startLoadedRdt(name: string, daemonArgs: string[] = []): Promise<LoadedRdt> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
  const bundle = path.join(ROOT, '.bench', `${name}-daemon.mjs`);
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: [path.join(ROOT, 'firmware/sim/sim-daemon.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, packages: 'external', logLevel: 'warning' });
  const board = JSON.parse(fs.readFileSync(path.join(ROOT, 'board/sim-rdt.json'), 'utf8'));
  board.linecard.device = path.join(work, 'linecard-host.pty');
  const boardFile = path.join(work, 'board.json');
  fs.writeFileSync(boardFile, JSON.stringify(board));
  const groups: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(groups.splice(0).reverse().map(stopGroup));
    fs.rmSync(work, { recursive: true, force: true });
  };
  try {
    const sim = startGroup(path.join(ROOT, 'scripts/linecard-sim'), ['--pty-pair', work, '--board', 'rdt', '--continuous'], path.join(work, 'sim.log'));
    groups.push(sim);
    await waitFor(path.join(work, 'sim.log'), /ready:/, sim, 'the line-card simulator');
    const daemon = startGroup(process.execPath, [...daemonArgs, bundle, '--board', boardFile, '--port', '0', '--data', path.join(work, 'data'), '--config', path.join(work, 'config'), '--logs', path.join(work, 'log')], path.join(work, 'daemon.out'));
    groups.push(daemon);
    const running = (await waitFor(path.join(work, 'daemon.out'), /^.*"msg":"recorder running".*$/m, daemon, 'the daemon'))[0];
    return { origin: `http://127.0.0.1:${/"port":(\d+)/.exec(running)?.[1]}`, pid: daemon.pid!, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Signs in as the administrator, lets several accounts work at once, and
 * makes `count` accounts (`<prefix>NN`, role `role`) each signed in with a
 * bearer session: the administrator's client and their tokens.
 */
export async function signedInSessions(origin: string, count: number, prefix: string, role: 'user' | 'super'): Promise<{ admin: ApiClient; tokens: string[] }> {
  const admin = await signIn(origin);
  const access = await admin.json('/api/v1/settings/access', { method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 60, loginConflict: 'replace' } });
  if (access.status !== 200) throw new Error(`PUT /settings/access: ${access.status} ${JSON.stringify(access.body)}`);
  const tokens: string[] = [];
  for (let i = 1; i <= count; i++) {
    const username = `${prefix}${String(i).padStart(2, '0')}`;
    const made = await admin.json('/api/v1/accounts', { method: 'POST', body: { username, password: 'Bench-pass-1', role, mustChangePassword: false } });
    if (made.status !== 201) throw new Error(`POST /accounts ${username}: ${made.status} ${JSON.stringify(made.body)}`);
    tokens.push((await signIn(origin, username, 'Bench-pass-1')).token);
  }
  return { admin, tokens };
}
