/**
 * Operation log at its default retention bound: JOURNAL_BENCH_ENTRIES
 * (default 100 000) random entries over a year are appended, then each query
 * kind runs five times and the median is reported: the first page with its
 * total (no filter, one filter, two filters, a time range off the hour), a
 * deep numbered page, and one retention run removing a tenth of the log.
 *
 *   node --import tsx bench/journal.bench.ts
 *
 * Prints `BENCH <name> <value> <unit>` lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Journal } from '../firmware/journal/journal.ts';
import type { OperationQuery } from '../firmware/journal/operation-entry.ts';
import { DAY, T0, randomEntries } from '../test/journal/helpers.ts';

const N = Math.max(1000, Number(process.env.JOURNAL_BENCH_ENTRIES ?? 100_000) || 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-bench-'));
const journal = await Journal.open(path.join(dir, 'journal'));
const entries = randomEntries(N, 5, 365);

let t = performance.now();
for (let i = 0; i < N; i += 1000) await Promise.all(entries.slice(i, i + 1000).map((e) => journal.operations.append(e)));
console.log(`BENCH journal_append ${((performance.now() - t) / N * 1000).toFixed(0)} us/entry`);

async function median(name: string, q: OperationQuery): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await journal.operations.query(q);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`BENCH journal_${name} ${times[2]!.toFixed(1)} ms`);
}

await median('first_page_all', {});
await median('page_offset_90pct', { offset: Math.floor(N * 0.9) });
await median('first_page_account', { account: 'admin' });
await median('first_page_range_30d', { from: T0 + 30 * DAY + 1_234_567, to: T0 + 60 * DAY + 7_654_321 });
await median('first_page_account_failed', { account: 'admin', result: 'failed' });
await median('first_page_user_ok', { kind: 'user', result: 'ok' });

journal.setRetention({ operations: { maxEntries: Math.floor(N * 0.9) } });
t = performance.now();
const { operations } = await journal.trim(T0 + 366 * DAY);
console.log(`BENCH journal_trim ${((performance.now() - t) / operations * 1000).toFixed(0)} us/entry`);
await journal.close();
const bytes = fs.readdirSync(path.join(dir, 'journal')).reduce((n, f) => n + fs.statSync(path.join(dir, 'journal', f)).size, 0);
console.log(`BENCH journal_disk ${(bytes / (N * 0.9)).toFixed(0)} bytes/entry`);
fs.rmSync(dir, { recursive: true, force: true });
