/**
 * The chain survives being killed mid-append: a process appending in a loop
 * is SIGKILLed; the chain verifies up to its last complete entry (a torn end
 * is reported as truncated, nothing as forged), every entry reported durable
 * is there, and opening it again cuts the torn end and continues the chain.
 * Appends that arrive together share one fsync; a failing disk never
 * throws into the caller.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ChainLedger, chainFileOf } from '../../firmware/custody/chain-ledger.ts';
import { verifyChain } from '../../firmware/custody/chain-verify.ts';
import { loadOrCreateDeviceKey } from '../../firmware/custody/device-key.ts';
import { quiet, tmp } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('SIGKILL while appending leaves a chain that verifies to its last complete entry; opening recovers it', async () => {
  const root = tmp('kill');
  const dataDir = path.join(root, 'data');
  const configDir = path.join(root, 'config');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/custody/append-until-killed.ts'), dataDir, configDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').length > 400) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await new Promise((r) => child.once('close', r));
  const durable = out.split('\n').filter((l) => /^\d+$/.test(l)).map(Number);
  const lastDurable = Math.max(...durable);
  const { key } = await loadOrCreateDeviceKey(configDir, quiet);
  const file = chainFileOf(dataDir);
  const before = await verifyChain(file, [key]);
  assert.ok(before.report.problems.every((p) => p.kind === 'truncated'), JSON.stringify(before.report.problems));
  assert.ok(before.report.lastSeq! >= lastDurable, `${before.report.lastSeq} >= ${lastDurable}`);
  assert.is(before.report.firstSeq, 0);

  // A torn entry at the end, as a power cut mid-write leaves it.
  fs.appendFileSync(file, '{"key":"ab12","prev":"00');
  const torn = await verifyChain(file, [key]);
  assert.equal(torn.report.problems.map((p) => p.kind), ['truncated']);

  const warnings: string[] = [];
  const ledger = new ChainLedger(dataDir, key, Date.now, { ...quiet, warn: (_o: object, m: string) => void warnings.push(m) });
  await ledger.open('RDS-KILL', 'first start');
  assert.equal(warnings, ['custody chain: torn last entry cut off']);
  const next = await ledger.append({ kind: 'level', id: '1763706000000-07-1', level: 'important', by: 'admin@10.0.0.1' });
  assert.is(next!.entry.seq, torn.report.lastSeq! + 1);
  ledger.close();
  const after = await verifyChain(file, [key]);
  assert.ok(after.report.ok, JSON.stringify(after.report.problems));
  assert.is(after.report.lastSeq, next!.entry.seq);
});

test('appends that arrive together are written with one fsync, in call order', async () => {
  const root = tmp('batch');
  const { key } = await loadOrCreateDeviceKey(path.join(root, 'config'), quiet);
  const ledger = new ChainLedger(path.join(root, 'data'), key, Date.now, quiet);
  await ledger.open('RDS', 'first start');
  const flushes = ledger.stats.flushes;
  const receipts = await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append({ kind: 'level', id: `id-${i}`, level: 'normal', by: 'system' })));
  assert.is(ledger.stats.flushes - flushes, 1);
  assert.equal(receipts.map((r) => r!.entry.seq), Array.from({ length: 50 }, (_, i) => i + 1));
  const text = fs.readFileSync(ledger.file, 'utf8');
  for (const r of receipts) assert.is(text.slice(r!.offset, r!.offset + r!.line.length), r!.line);
  ledger.close();
});

test('a chain that cannot be written resolves null, reports the failure, and links on to what is on disk', async () => {
  const root = tmp('fail');
  const dataDir = path.join(root, 'data');
  const { key } = await loadOrCreateDeviceKey(path.join(root, 'config'), quiet);
  const failures: Array<string | null> = [];
  const ledger = new ChainLedger(dataDir, key, Date.now, quiet, { failed: (r) => failures.push(r), damaged() {} });
  await ledger.open('RDS', 'first start');
  // The chain folder replaced by a file: the chain cannot be reopened.
  ledger.close();
  fs.rmSync(path.join(dataDir, 'custody'), { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'custody'), 'not a folder');
  assert.is(await ledger.append({ kind: 'level', id: 'x', level: 'normal', by: 'system' }), null);
  assert.ok(failures.some((f) => f !== null && /custody chain not written/.test(f)));
  fs.rmSync(path.join(dataDir, 'custody'));
  const r = await ledger.append({ kind: 'level', id: 'x', level: 'normal', by: 'system' });
  assert.is(r!.entry.seq, 0, 'a new chain file starts at 0');
  assert.is(failures.at(-1), null, 'cleared once written');
  ledger.close();
});

test.run();
