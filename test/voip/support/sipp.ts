/**
 * Runs sipp (the SIPREC client side of ../shared/siprec) against a SIP
 * listener: a work folder with the scenarios copied and the media and tools
 * linked, free ports for sipp's SIP and media sockets, and its logs read back.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from '../../support/temp-dir.ts';

const SHARED = path.resolve('../shared/siprec');

export function sippWorkDir(extraScenarios: string[] = []): string {
  const dir = tempDir('siprec-sipp-');
  fs.mkdirSync(path.join(dir, 'scenarios'));
  fs.mkdirSync(path.join(dir, 'logs'));
  for (const f of fs.readdirSync(path.join(SHARED, 'scenarios'))) fs.copyFileSync(path.join(SHARED, 'scenarios', f), path.join(dir, 'scenarios', f));
  for (const f of extraScenarios) fs.copyFileSync(f, path.join(dir, 'scenarios', path.basename(f)));
  fs.symlinkSync(path.join(SHARED, 'media'), path.join(dir, 'media'));
  fs.symlinkSync(path.join(SHARED, 'tools'), path.join(dir, 'tools'));
  return dir;
}

async function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

async function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A block of `count` consecutive free UDP ports starting at an even port, from a range others rarely use. */
export async function freePortBlock(count: number, tcpToo = false): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 32000 + 2 * Math.floor(Math.random() * 8000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = (await udpFree(p)) && (!tcpToo || (await tcpFree(p)));
    if (ok) return base;
  }
  throw new Error('no free port block');
}

export interface SippResult {
  code: number;
  stdout: string;
  messages: string;
  errors: string;
  log: string;
}

export async function runSipp(dir: string, scenario: string, target: number, transport: 'u1' | 't1', timeoutS = 40): Promise<SippResult> {
  const sipPort = await freePortBlock(1, true);
  const tag = `${scenario.replace(/\.xml$/, '')}-${transport}-${sipPort}`;
  const logOf = (kind: string) => path.join(dir, 'logs', `${tag}.${kind}.log`);
  const mp = await freePortBlock(16);
  const args = [
    `127.0.0.1:${target}`, '-sf', `scenarios/${scenario}`, '-i', '127.0.0.1', '-p', String(sipPort), '-mi', '127.0.0.1', '-mp', String(mp),
    '-key', 'l2port', String(mp + 4), '-key', 'l2port_b', String(mp + 12),
    '-t', transport, '-m', '1', '-l', '1', '-nostdin', '-timeout', String(timeoutS), '-timeout_error', '-recv_timeout', '10000',
    '-trace_msg', '-trace_err', '-trace_logs', '-message_file', logOf('messages'), '-error_file', logOf('errors'), '-log_file', logOf('log'),
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stdout += d.toString(); });
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  const read = (kind: string) => (fs.existsSync(logOf(kind)) ? fs.readFileSync(logOf(kind), 'utf8') : '');
  return { code, stdout, messages: read('messages'), errors: read('errors'), log: read('log') };
}
