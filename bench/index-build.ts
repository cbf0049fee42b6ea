/**
 * The benchmark's recording index: built once from the seeded generator
 * through `RecordIndex.putMany` (the recorder's write path, statistics
 * included) in `.bench/index-<records>/db`, and reused while the marker file
 * there (`built.json`) shows the generator's parameters. The marker keeps the
 * figures of the build and the generator's counts.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { dayLabel } from '../firmware/recording/local-day.ts';
import type { RecordEntry } from '../firmware/recording/record-entry.ts';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { CHANNELS, DAYS, FIRST_DAY, LAST_DAY, RECORDS, SEARCHED_CUSTOMERS, label, makeGenerator, note, params, root, type DataSetMarker, type Truth } from './record-generator.ts';

/** Entries per putMany call. */
const BATCH = 2000;

export const indexDir = path.join(root, '.bench', `index-${label}`);
export const dbDir = path.join(indexDir, 'db');
const markerFile = path.join(indexDir, 'built.json');

export interface Marker extends DataSetMarker {
  /** The commit of firmware/recording/ the index was built with (`+` when that folder had changes). */
  engine?: string;
  buildSeconds: number;
  insertRate: number;
  generateSeconds: number;
  buildPeakRssMiB: number;
  bytesBeforeCompaction: number;
  bytesAfterCompaction: number;
  compactSeconds: number;
  truth: Truth;
  customers: string[];
}

export function folderBytes(dir: string): number {
  let n = 0;
  for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    n += f.isDirectory() ? folderBytes(p) : fs.statSync(p).size;
  }
  return n;
}

/** The last commit touching the index engine (firmware/recording/), `+` when it has uncommitted changes. */
export function engineCommit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('log', '-1', '--format=%h', '--', 'firmware/recording');
    return commit + (git('status', '--porcelain', '--', 'firmware/recording') ? '+' : '');
  } catch {
    return 'unknown';
  }
}

/** The marker of a reusable index, or null when there is none with these parameters. */
export function readMarker(): Marker | null {
  try {
    const m = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    for (const [k, v] of Object.entries(params)) if ((m as unknown as Record<string, unknown>)[k] !== v) return null;
    if (!fs.existsSync(dbDir)) return null;
    return m;
  } catch {
    return null;
  }
}

/** Builds the index from scratch (removing any earlier one), compacts it and writes the marker. */
export async function buildIndex(): Promise<Marker> {
  fs.rmSync(indexDir, { recursive: true, force: true });
  fs.mkdirSync(dbDir, { recursive: true });
  const index = new RecordIndex(dbDir);
  await index.open();
  const gen = makeGenerator();
  note(`building ${RECORDS.toLocaleString('en')} records over ${DAYS} days (${dayLabel(FIRST_DAY)} .. ${dayLabel(LAST_DAY)}), ${CHANNELS} channels, in ${path.relative(root, dbDir)}`);
  const t0 = performance.now();
  let genMs = 0;
  let written = 0;
  let pending: Promise<void> = Promise.resolve();
  let batch: RecordEntry[] = [];
  let lastReport = t0;
  const it = gen.days();
  for (;;) {
    const g0 = performance.now();
    const next = it.next();
    genMs += performance.now() - g0;
    if (next.done) break;
    for (const e of next.value.entries) {
      batch.push(e);
      if (batch.length === BATCH) {
        await pending; // one batch in flight while the next is generated
        pending = index.putMany(batch);
        written += batch.length;
        batch = [];
      }
    }
    const now = performance.now();
    if (now - lastReport > 30_000) {
      lastReport = now;
      note(`  ${written.toLocaleString('en')} records, ${Math.round(written / ((now - t0) / 1000)).toLocaleString('en')} records/s, up to ${dayLabel(next.value.day)}`);
    }
  }
  await pending;
  if (batch.length) await index.putMany(batch);
  written += batch.length;
  const buildSeconds = (performance.now() - t0) / 1000;
  if (written !== RECORDS) throw new Error(`generated ${written} records, expected ${RECORDS}`);
  await index.close();
  const bytesBeforeCompaction = folderBytes(dbDir);
  note(`built in ${buildSeconds.toFixed(1)} s (generator ${(genMs / 1000).toFixed(1)} s of it); compacting the whole key space`);
  const reopened = new RecordIndex(dbDir);
  await reopened.open();
  const c0 = performance.now();
  // LevelDB's full compaction, when the engine exposes its database.
  const db = (reopened as unknown as { db?: { compactRange?: (a: Buffer, b: Buffer) => Promise<void> } }).db;
  if (typeof db?.compactRange === 'function') await db.compactRange(Buffer.from([0x00]), Buffer.from([0xff]));
  const compactSeconds = (performance.now() - c0) / 1000;
  await reopened.close();
  const marker: Marker = {
    ...params,
    builtAt: new Date().toISOString(),
    engine: engineCommit(),
    buildSeconds,
    insertRate: RECORDS / buildSeconds,
    generateSeconds: genMs / 1000,
    buildPeakRssMiB: process.resourceUsage().maxRSS / 1024,
    bytesBeforeCompaction,
    bytesAfterCompaction: folderBytes(dbDir),
    compactSeconds,
    truth: gen.truth,
    customers: gen.customers.slice(0, SEARCHED_CUSTOMERS),
  };
  fs.writeFileSync(markerFile, JSON.stringify(marker));
  return marker;
}
