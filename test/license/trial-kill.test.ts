/**
 * The trial's clock survives being killed: the minute a process starts is
 * on disk before it is used, so SIGKILL right after start gives no time
 * back, and every start costs its minute.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CHILD = path.resolve(import.meta.dirname, 'trial-child.ts');

async function runUntilCharged(configDir: string): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, configDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    return await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`the meter exited early (${code})`)));
    });
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

test('killed at once, each start has charged its minute on disk', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trial-kill-'));
  try {
    const used = () => JSON.parse(fs.readFileSync(path.join(dir, 'license', 'trial.json'), 'utf8')).usedS;
    assert.is(await runUntilCharged(dir), 'charged 60');
    assert.is(used(), 60);
    assert.is(await runUntilCharged(dir), 'charged 120');
    assert.is(used(), 120);
    fs.writeFileSync(path.join(dir, 'license', 'trial.json'), '{"usedS": "damaged');
    assert.is(await runUntilCharged(dir), `charged ${Number.MAX_SAFE_INTEGER}`, 'a damaged clock is a used-up trial');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
