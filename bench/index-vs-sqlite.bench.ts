/**
 * The recording index side by side with SQLite: the same records (the seeded
 * generator of record-generator.ts, 10 million by default) and the same
 * searches (the 16 query kinds of index-queries.ts, same parameters, same
 * checks) on
 *
 *   index          our LevelDB index (`RecordIndex`, `queryRecords`), .bench/index-<records>
 *   sqlite         SQLite with composite indexes each ending in the start time,
 *                  totals by COUNT(*) (sqlite-store.ts), .bench/sqlite-<records>/records.db
 *   sqlite_counts  the same plus per-day and per-month count tables for the
 *                  totals, .bench/sqlite-<records>/records-counts.db
 *
 *   node --import tsx bench/index-vs-sqlite.bench.ts
 *
 * Each store is built once and reused while its marker shows the generator's
 * parameters. Each side's searches run in a process of their own, so the
 * memory figures are that side's alone. Every answer is checked against the
 * generator's counts and against the other sides (totals and the start times
 * of every page), so a wrong query fails the benchmark.
 *
 * Prints `BENCH <name> <value> <unit>`, for each side S in index, sqlite,
 * sqlite_counts and each query kind K:
 *   S_K_p50, S_K_p95              first page of 16 with the total, ms
 *   S_K_deep_p50, S_K_deep_p95    a page half-way through the results, ms
 *   ratio_K_p50, ratio_K_p95      SQLite's time / ours (>= 1: ours at least as fast)
 *   ratio_counts_K_p50, ratio_counts_K_p95, ratio_K_deep_p50
 *   S_bytes_per_record            store size on disk / records
 *   S_query_rss, S_query_peak_rss RSS (VmRSS, VmHWM) of the side's process after its searches, MiB
 *   S_build_seconds               build time (SQLite: its own work, the generator excluded)
 * and a table of them at the end.
 *
 * Environment:
 *   BENCH_RECORDS         records (default 10,000,000; 100000-200000 for a quick check)
 *   BENCH_RUNS            runs of each query (default 30)
 *   BENCH_QUERIES         comma-separated query kinds (default all)
 *   BENCH_REBUILD         1: build both stores again; `index` or `sqlite`: only that one
 *   BENCH_BUILD_PARALLEL  1: build the two stores at the same time (faster on 2 cores,
 *                         but each build's time then includes the other's load)
 */
process.env.TZ = 'Asia/Shanghai';

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { queryRecords } from '../firmware/recording/record-query.ts';
import { buildIndex, dbDir, engineCommit, folderBytes, readMarker } from './index-build.ts';
import { pct, runQueries, type QueryTimes } from './index-queries.ts';
import { RECORDS, line, note, root } from './record-generator.ts';
import { QUERY_CACHE_KIB, SqliteSearch, buildSqlite, countsFile, plainFile, readSqliteMarker } from './sqlite-store.ts';

const SIDES = ['index', 'sqlite', 'sqlite_counts'] as const;
type Side = (typeof SIDES)[number];

interface SideResult {
  side: Side;
  queries: QueryTimes[];
  rssMiB: number;
  peakRssMiB: number;
  /** Size of the store on disk now (the index may have been converted when opened). */
  bytes: number;
  engine: string;
}

function statusMiB(key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// ------------------------------------------------------------------ child processes

/** One side's searches, in this process; the result goes to stdout as `RESULT <json>`. */
async function querySide(side: Side): Promise<void> {
  const marker = readMarker();
  const smarker = readSqliteMarker();
  const counts = side === 'index' ? marker : smarker;
  if (!counts) throw new Error(`${side}: the store is not built`);
  let queries: QueryTimes[];
  let rssMiB: number;
  let peakRssMiB: number;
  let bytes: number;
  const label = `${side.padEnd(14)}`;
  if (side === 'index') {
    const index = new RecordIndex(dbDir);
    await index.open();
    queries = await runQueries((q) => queryRecords(index, q), counts, label);
    rssMiB = statusMiB('VmRSS');
    peakRssMiB = statusMiB('VmHWM');
    await index.close();
    bytes = folderBytes(dbDir);
  } else {
    const file = side === 'sqlite' ? plainFile : countsFile;
    const db = new SqliteSearch(file, side === 'sqlite_counts');
    queries = await runQueries((q) => db.search(q), counts, label);
    rssMiB = statusMiB('VmRSS');
    peakRssMiB = statusMiB('VmHWM');
    db.close();
    bytes = fs.statSync(file).size;
  }
  const result: SideResult = { side, queries, rssMiB, peakRssMiB, bytes, engine: engineCommit() };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** Runs this file with args in a child process; passes its output on and returns its RESULT. */
function child(args: string[]): Promise<SideResult | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, import.meta.filename, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TZ: 'Asia/Shanghai' },
    });
    let result: SideResult | null = null;
    let buf = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (l.startsWith('RESULT ')) result = JSON.parse(l.slice(7)) as SideResult;
        else console.log(l);
      }
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(result) : reject(new Error(`${args.join(' ')}: exited with ${code}`))));
  });
}

// ------------------------------------------------------------------ the comparison

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(3));
const loadavg = () => os.loadavg().map((x) => x.toFixed(1)).join(' ');

async function compare(): Promise<void> {
  const rebuild = process.env.BENCH_REBUILD ?? '';
  let marker = rebuild === '1' || rebuild === 'index' ? null : readMarker();
  let smarker = rebuild === '1' || rebuild === 'sqlite' ? null : readSqliteMarker();
  const builds: string[][] = [];
  if (!marker) builds.push(['--build-index']);
  else note(`reusing the index in ${path.relative(root, dbDir)} built ${marker.builtAt} with engine ${marker.engine ?? 'unknown'}`);
  if (!smarker) builds.push(['--build-sqlite']);
  else note(`reusing the SQLite files in ${path.relative(root, path.dirname(plainFile))} built ${smarker.builtAt}`);
  if (builds.length) note(`building (load average ${loadavg()}, ${os.cpus().length} CPUs)`);
  if (process.env.BENCH_BUILD_PARALLEL === '1') await Promise.all(builds.map((b) => child(b)));
  else for (const b of builds) await child(b);
  if (builds.length) note(`built (load average ${loadavg()})`);
  marker = readMarker();
  smarker = readSqliteMarker();
  if (!marker || !smarker) throw new Error('a store was not built');
  // The same records on both sides: the generator's counts must agree.
  if (JSON.stringify(marker.truth) !== JSON.stringify(smarker.truth) || JSON.stringify(marker.customers) !== JSON.stringify(smarker.customers)) {
    throw new Error('the index and the SQLite files hold different records (generator counts differ): rebuild with BENCH_REBUILD=1');
  }
  const engineNow = engineCommit();
  if (marker.engine && marker.engine !== engineNow) note(`the index was built with engine ${marker.engine}, the engine now is ${engineNow} (BENCH_REBUILD=index builds it again)`);

  const results = {} as Record<Side, SideResult>;
  for (const side of SIDES) {
    note(`searching ${side} (load average ${loadavg()})`);
    const r = await child(['--query', side]);
    if (!r) throw new Error(`${side}: no result`);
    results[side] = r;
  }

  // Every side gave the same answers: totals and the start times of each page.
  for (const side of ['sqlite', 'sqlite_counts'] as const) {
    for (const q of results[side].queries) {
      const ours = results.index.queries.find((x) => x.name === q.name);
      if (!ours) continue;
      const i = q.answers.findIndex((a, k) => a !== ours.answers[k]);
      if (i >= 0) throw new Error(`${q.name}: run ${i} answered differently by ${side} (total ${q.totals[i]}) and the index (total ${ours.totals[i]})`);
    }
  }
  note('every answer is the same on every side');

  // ---------------------------------------------------------------- BENCH lines
  const bpr = (b: number) => b / RECORDS;
  line('index_build_seconds', marker.buildSeconds, 's');
  line('index_insert_rate', marker.insertRate, 'records/s');
  line('index_build_rss', marker.buildPeakRssMiB, 'MiB');
  line('sqlite_build_seconds', smarker.plain.buildSeconds, 's');
  line('sqlite_counts_build_seconds', smarker.counts.buildSeconds, 's');
  line('sqlite_insert_rate', RECORDS / smarker.plain.buildSeconds, 'records/s');
  line('sqlite_counts_insert_rate', RECORDS / smarker.counts.buildSeconds, 'records/s');
  line('index_bytes_per_record', bpr(results.index.bytes), 'bytes');
  line('sqlite_bytes_per_record', bpr(results.sqlite.bytes), 'bytes');
  line('sqlite_counts_bytes_per_record', bpr(results.sqlite_counts.bytes), 'bytes');
  for (const side of SIDES) {
    line(`${side}_query_rss`, results[side].rssMiB, 'MiB');
    line(`${side}_query_peak_rss`, results[side].peakRssMiB, 'MiB');
  }
  const times = (side: Side, name: string) => results[side].queries.find((x) => x.name === name)!;
  const names = results.index.queries.map((x) => x.name);
  for (const name of names) {
    for (const side of SIDES) {
      const t = times(side, name);
      line(`${side}_${name}_p50`, pct(t.first, 50), 'ms');
      line(`${side}_${name}_p95`, pct(t.first, 95), 'ms');
      if (t.deep.length) {
        line(`${side}_${name}_deep_p50`, pct(t.deep, 50), 'ms');
        line(`${side}_${name}_deep_p95`, pct(t.deep, 95), 'ms');
      }
    }
    const ours = times('index', name);
    for (const [prefix, side] of [['ratio', 'sqlite'], ['ratio_counts', 'sqlite_counts']] as const) {
      const t = times(side, name);
      line(`${prefix}_${name}_p50`, pct(t.first, 50) / pct(ours.first, 50), 'x');
      line(`${prefix}_${name}_p95`, pct(t.first, 95) / pct(ours.first, 95), 'x');
      if (ours.deep.length) line(`${prefix}_${name}_deep_p50`, pct(t.deep, 50) / pct(ours.deep, 50), 'x');
    }
  }

  // ---------------------------------------------------------------- the table
  const p = (xs: number[]) => (xs.length ? `${fmt(pct(xs, 50))} / ${fmt(pct(xs, 95))}` : '-');
  const rows: string[][] = [['query', 'ours p50/p95', 'sqlite p50/p95', 'ratio', '+counts p50/p95', 'ratio', 'deep: ours', 'sqlite', '+counts', 'total', 'sqlite plan']];
  for (const name of names) {
    const o = times('index', name);
    const s = times('sqlite', name);
    const c = times('sqlite_counts', name);
    const r = (t: QueryTimes) => `${(pct(t.first, 50) / pct(o.first, 50)).toFixed(2)} / ${(pct(t.first, 95) / pct(o.first, 95)).toFixed(2)}`;
    rows.push([name, p(o.first), p(s.first), r(s), p(c.first), r(c), p(o.deep), p(s.deep), p(c.deep), String(pct(o.totals, 50)), `${s.plan}; ${c.plan}`]);
  }
  rows.push(['bytes/record', fmt(bpr(results.index.bytes)), fmt(bpr(results.sqlite.bytes)), '', fmt(bpr(results.sqlite_counts.bytes)), '', '', '', '', '', '']);
  const mem = (s: Side) => `${fmt(results[s].rssMiB)} (${fmt(results[s].peakRssMiB)})`;
  rows.push(['query RSS (peak) MiB', mem('index'), mem('sqlite'), '', mem('sqlite_counts'), '', '', '', '', '', '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nrecording index against SQLite ${smarker.sqliteVersion}, ${RECORDS.toLocaleString('en')} records, ms p50 / p95 of ${names.length ? results.index.queries[0]!.first.length : 0} runs; ratio: SQLite's time / ours (>= 1: ours at least as fast); engine ${results.index.engine}`);
  for (const r of rows) console.log(`  ${r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
  console.log(`  (SQLite page cache ${QUERY_CACHE_KIB / 1024} MiB per connection; SQLite build: rows + indexes + ANALYZE, ${fmt(smarker.generateSeconds)} s of generating excluded; index build: ${fmt(marker.buildSeconds)} s with generating)`);

  // Where ours is not yet as fast: against plain SQLite at p50 and p95, within 2x of the count tables at p50.
  const behind = names.filter((n) => pct(times('sqlite', n).first, 50) < pct(times('index', n).first, 50) || pct(times('sqlite', n).first, 95) < pct(times('index', n).first, 95));
  const far = names.filter((n) => pct(times('sqlite_counts', n).first, 50) * 2 < pct(times('index', n).first, 50));
  note(`slower than SQLite with composite indexes (p50 or p95): ${behind.length ? behind.join(', ') : 'none'}`);
  note(`more than 2x slower than SQLite with count tables (p50): ${far.length ? far.join(', ') : 'none'}`);
}

// ------------------------------------------------------------------ main

const [mode, arg] = process.argv.slice(2);
if (mode === '--build-index') {
  const m = await buildIndex();
  note(`index built: ${m.buildSeconds.toFixed(0)} s, ${(m.bytesAfterCompaction / RECORDS).toFixed(1)} bytes per record, peak RSS ${m.buildPeakRssMiB.toFixed(0)} MiB`);
} else if (mode === '--build-sqlite') {
  const m = buildSqlite();
  note(`SQLite built: ${m.wallSeconds.toFixed(0)} s in all (generator ${m.generateSeconds.toFixed(0)} s), peak RSS ${m.buildPeakRssMiB.toFixed(0)} MiB`);
} else if (mode === '--query' && (SIDES as readonly string[]).includes(arg ?? '')) {
  await querySide(arg as Side);
} else if (mode === undefined) {
  await compare();
} else {
  console.error('usage: index-vs-sqlite.bench.ts [--build-index | --build-sqlite | --query index|sqlite|sqlite_counts]');
  process.exit(2);
}
