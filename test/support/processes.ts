/** Starting the simulator and the daemon as real processes on a pseudo-terminal pair. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { authedFetch } from './api-client.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The TypeScript loader, by absolute URL so it resolves from any working directory. */
export const TSX_LOADER = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined> | T | null | undefined, timeoutMs = 60_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== null && v !== undefined && v !== false) return v as T;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

export function startSimulator(workDir: string, args: string[]): ChildProcess {
  const child = spawn(path.join(ROOT, 'scripts/linecard-sim'), ['--pty-pair', path.join(workDir, 'var'), ...args], {
    cwd: workDir,
    stdio: ['ignore', 'ignore', fs.openSync(path.join(workDir, 'sim.log'), 'a')],
    detached: true,
  });
  return child;
}

export interface DaemonProcess {
  child: ChildProcess;
  port: number;
  url(p: string): string;
}

/** Starts the simulated-board daemon in `workDir` (so its board's relative pty path lands there). */
export async function startDaemonProcess(workDir: string, board = 'sim', timeoutMs = 20000): Promise<DaemonProcess> {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, path.join(ROOT, 'firmware/sim/sim-daemon.ts'), '--board', board, '--port', '0', '--data', 'var/data', '--config', 'var/config', '--logs', 'var/log'],
    { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await waitFor('the daemon to listen', () => {
    const m = /"port":(\d+)[^\n]*"msg":"recorder running"/.exec(out);
    if (child.exitCode !== null) throw new Error(`daemon exited: ${out.slice(-2000)}`);
    return m ? Number(m[1]) : null;
  }, timeoutMs);
  return { child, port, url: (p) => `http://127.0.0.1:${port}${p}` };
}

export function killTree(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** GET as the box's administrator. */
export async function getJson(url: string): Promise<any> {
  const res = await authedFetch(url);
  return res.json();
}
