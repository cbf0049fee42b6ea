/**
 * MP3 through the `lame` program (Debian's package), when the box has it:
 * native code, several times faster than the built-in encoder, and writing the
 * file itself. PCM goes to lame's stdin as raw 16-bit mono.
 * lame runs at a lower CPU priority than the daemon that records the lines.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TranscodeError } from './transcode-error.ts';

const LAME_NICE = 10;
const STDERR_KEEP = 2000;

let found: Promise<string | null> | null = null;

/** The path of `lame` on PATH, or null; looked up once per process. */
export function findLame(): Promise<string | null> {
  found ??= (async () => {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (!dir) continue;
      const candidate = path.join(dir, 'lame');
      try {
        await fs.access(candidate, fsConstants.X_OK);
        return candidate;
      } catch {
        // not in this directory
      }
    }
    return null;
  })();
  return found;
}

/** lame's arguments for mono 16-bit PCM at `sampleRate` on stdin to CBR MP3 at `kbps` in `dst`. */
export function lameArgs(sampleRate: number, kbps: number, dst: string): string[] {
  return [
    '--quiet', '-r', '-s', String(sampleRate / 1000), '--bitwidth', '16', '--signed',
    // The samples go over the pipe in the host's byte order.
    os.endianness() === 'LE' ? '--little-endian' : '--big-endian',
    '-m', 'm', '--cbr', '-b', String(kbps), '--noreplaygain', '-', dst,
  ];
}

/** Encodes `samples` into `dst` with lame; rejects with ENCODER_FAILED if lame fails. */
export async function encodeWithLame(
  lame: string,
  samples: AsyncIterable<Int16Array>,
  dst: string,
  sampleRate: number,
  kbps: number,
): Promise<void> {
  const child = spawn(lame, lameArgs(sampleRate, kbps, dst), { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    if (stderr.length < STDERR_KEEP) stderr += s;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  let pipeError: Error | null = null;
  child.stdin.on('error', (e) => (pipeError = e));
  if (child.pid !== undefined) {
    try {
      os.setPriority(child.pid, LAME_NICE);
    } catch {
      // lame has already exited, or priorities cannot be changed here
    }
  }
  try {
    for await (const chunk of samples) {
      if (pipeError || child.exitCode !== null) break;
      const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (!child.stdin.write(bytes)) await Promise.race([once(child.stdin, 'drain'), exited]);
    }
  } catch (e) {
    child.kill('SIGKILL');
    await exited.catch(() => null);
    throw e;
  }
  child.stdin.end();
  let code: number | null;
  try {
    code = await exited;
  } catch (e) {
    throw new TranscodeError('ENCODER_FAILED', `lame could not be started: ${(e as Error).message}`);
  }
  if (code !== 0 || pipeError) {
    throw new TranscodeError('ENCODER_FAILED', `lame failed (exit code ${code}): ${stderr.trim() || String(pipeError)}`);
  }
}
