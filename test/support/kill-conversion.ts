/**
 * Runs the conversion of the index at `location` in a child process
 * (convert-index-child.ts) and kills it with SIGKILL once it reports
 * `atLeast` entries converted; returns what the child printed. Fails when
 * the conversion ended before it could be killed.
 */
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, TSX_LOADER, waitFor } from './processes.ts';

export async function killConversionHalfWay(location: string, atLeast: number, pollMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'test/support/convert-index-child.ts'), location], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor('the conversion to make progress', () => {
    if (child.exitCode !== null) throw new Error(`the conversion ended before it was killed: ${out}`);
    const done = [...out.matchAll(/converted (\d+)/g)].map((m) => Number(m[1]));
    return done.length > 0 && done[done.length - 1]! >= atLeast;
  }, 60_000, pollMs);
  child.kill('SIGKILL');
  await exited;
  if (out.includes('done')) throw new Error('the conversion finished before it was killed');
  return out;
}
