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
 * parameters. The index is opened once in a process of its own before its
 * searches: an index of an older format is converted (and compacted) there,
 * with `index_conversion_seconds` and `index_conversion_peak_rss` printed. Each side's searches run in a process of their own, so the
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
 *   S_query_rss_anon, S_query_rss_file  that RSS split into the process's own memory (RssAnon) and
 *                       pages of mapped files (RssFile: the program, its libraries, LevelDB's tables)
 *   S_build_seconds               build time (SQLite: its own work, the generator excluded)
 * and a table of them at the end.
 *
 * Environment:
 *   BENCH_RECORDS         records (default 10,000,000; 100000-200000 for a quick check)
 *   BENCH_RUNS            runs of each query (default 30)
 *   BENCH_QUERIES         comma-separated query kinds (default all)
 *   BENCH_CACHE           the page cache when a side's timed runs start: `cold` drops it
 *                         before each side's searches (needs root: /proc/sys/vm/drop_caches),
 *                         so every side reads its store from the disk as a box does for a day
 *                         nobody looked at lately; `warm` makes each kind's runs once untimed
 *                         first, so every side reads from memory; unset: whatever the system
 *                         holds, which depends on earlier runs (compare sides of one run only)
 *   BENCH_REBUILD         1: build both stores again; `index` or `sqlite`: only that one
 *   BENCH_BUILD_PARALLEL  1: build the two stores at the same time (faster on 2 cores,
 *                         but each build's time then includes the other's load)
 *   BENCH_BOARD           the board (model or board file) whose index options (block cache,
 *                         open table files) the index is searched with, and whose heap options
 *                         (node's flags, malloc's mapping threshold) every side's searching
 *                         process gets (default rdt)
 *   BENCH_SIDES           comma-separated sides to search (default all three); the others'
 *                         results come from the last run that searched them with the same
 *                         records (.bench/compare-<records>/<side>.json), e.g. BENCH_SIDES=index
 *                         after an engine change, SQLite's figures being the same
 */
process.env.TZ = 'Asia/Shanghai';

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RecordIndex, type IndexOptions } from '../firmware/recording/record-index.ts';
import { indexOptionsOf, nodeEnvOf, nodeFlagsOf, type Board } from '../firmware/board/board-schema.ts';
import { parseBoard } from '../firmware/board/load-board.ts';
import { queryRecords } from '../firmware/recording/record-query.ts';
import { buildIndex, dbDir, engineCommit, folderBytes, readMarker, type Marker } from './index-build.ts';
import { CACHE, pct, runQueries, type QueryTimes } from './index-queries.ts';
import { RECORDS, label, line, note, params, root } from './record-generator.ts';
import { QUERY_CACHE_KIB, SqliteSearch, buildSqlite, countsFile, plainFile, readSqliteMarker, type SqliteMarker } from './sqlite-store.ts';

const SIDES = ['index', 'sqlite', 'sqlite_counts'] as const;
type Side = (typeof SIDES)[number];

interface SideResult {
  side: Side;
  queries: QueryTimes[];
  rssMiB: number;
  peakRssMiB: number;
  /** Of rssMiB: the process's own memory (heap, caches, malloc), and pages of files mapped into it (LevelDB maps its table files on 64-bit systems). */
  anonRssMiB?: number;
  fileRssMiB?: number;
  /** Size of the store on disk now (the index may have been converted when opened). */
  bytes: number;
  engine: string;
  /** The generator's parameters: saved results are reused only with the same records. */
  params: typeof params;
  measuredAt: string;
  loadAverage: string;
  /** The page cache at the start of the timed runs (BENCH_CACHE). */
  cache?: string;
}

function statusMiB(key: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// ------------------------------------------------------------------ child processes

interface OpenResult {
  seconds: number;
  peakRssMiB: number;
  /** The open rewrote the table files (an index of an older format converted). */
  converted: boolean;
  compactSeconds: number;
}

/**
 * Opens and closes the index once, in this process: an index of an older
 * format is converted by the open, so the search process's figures do not
 * include it; a converted index is then compacted like a freshly built one.
 */
async function openIndexOnce(): Promise<void> {
  const tables = () => fs.readdirSync(dbDir).filter((f) => f.endsWith('.ldb')).sort().join(',');
  const before = tables();
  const t0 = performance.now();
  const index = new RecordIndex(dbDir, boardIndexOptions());
  await index.open();
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMiB = statusMiB('VmHWM');
  await index.close();
  const converted = tables() !== before;
  let compactSeconds = 0;
  if (converted) {
    const again = new RecordIndex(dbDir, boardIndexOptions());
    await again.open();
    const c0 = performance.now();
    const db = (again as unknown as { db?: { compactRange?: (a: Buffer, b: Buffer) => Promise<void> } }).db;
    if (typeof db?.compactRange === 'function') await db.compactRange(Buffer.from([0x00]), Buffer.from([0xff]));
    compactSeconds = (performance.now() - c0) / 1000;
    await again.close();
  }
  const result: OpenResult = { seconds, peakRssMiB, converted, compactSeconds };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** One side's searches, in this process; the result goes to stdout as `RESULT <json>`. */
async function querySide(side: Side): Promise<void> {
  const marker = readMarker();
  const smarker = readSqliteMarker();
  const counts = side === 'index' ? marker : smarker;
  if (!counts) throw new Error(`${side}: the store is not built`);
  let queries: QueryTimes[];
  let rssMiB: number;
  let peakRssMiB: number;
  let anonRssMiB: number;
  let fileRssMiB: number;
  let bytes: number;
  const label = `${side.padEnd(14)}`;
  if (side === 'index') {
    const index = new RecordIndex(dbDir, boardIndexOptions());
    await index.open();
    queries = await runQueries((q) => queryRecords(index, q), counts, label);
    rssMiB = statusMiB('VmRSS');
    peakRssMiB = statusMiB('VmHWM');
    anonRssMiB = statusMiB('RssAnon');
    fileRssMiB = statusMiB('RssFile');
    await index.close();
    bytes = folderBytes(dbDir);
  } else {
    const file = side === 'sqlite' ? plainFile : countsFile;
    const db = new SqliteSearch(file, side === 'sqlite_counts');
    queries = await runQueries((q) => db.search(q), counts, label);
    rssMiB = statusMiB('VmRSS');
    peakRssMiB = statusMiB('VmHWM');
    anonRssMiB = statusMiB('RssAnon');
    fileRssMiB = statusMiB('RssFile');
    db.close();
    bytes = fs.statSync(file).size;
  }
  const result: SideResult = { side, queries, rssMiB, peakRssMiB, anonRssMiB, fileRssMiB, bytes, engine: engineCommit(), params, measuredAt: new Date().toISOString(), loadAverage: loadavg(), cache: CACHE };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

/** The board whose index options the searches use (BENCH_BOARD, default rdt: the box that holds millions of recordings). */
const BOARD = process.env.BENCH_BOARD ?? 'rdt';

function benchBoard(): Board {
  const file = BOARD.endsWith('.json') ? path.resolve(BOARD) : path.join(root, 'board', `${BOARD}.json`);
  return parseBoard(fs.readFileSync(file, 'utf8'), file);
}

function boardIndexOptions(): IndexOptions {
  return indexOptionsOf(benchBoard());
}

/**
 * The processes that open (and convert) the index and search each side run
 * this file bundled by esbuild, the native packages external, as the box
 * runs its daemon (scripts/bundle.mjs), not under tsx, whose compiler would
 * count some 30 MiB against each of them.
 */
const bundleFile = path.join(root, '.bench', 'index-vs-sqlite.mjs');

function bundleThisFile(): void {
  execFileSync(path.join(root, 'node_modules/.bin/esbuild'), [
    import.meta.filename, '--bundle', '--platform=node', '--format=esm', '--target=node18', '--main-fields=module,main',
    `--outfile=${bundleFile}`, '--banner:js=import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);',
    '--external:classic-level', '--external:better-sqlite3', '--log-level=warning',
  ], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
}

/**
 * Runs this file with args in a child process (bundled: opening the index and
 * the searches, with the board's heap options, as the box starts its daemon);
 * passes its output on and returns its RESULT.
 */
function child<T = SideResult>(args: string[], bundled = false): Promise<T | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, bundled ? [...nodeFlagsOf(benchBoard()), bundleFile, ...args] : [...process.execArgv, import.meta.filename, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(bundled ? nodeEnvOf(benchBoard()) : {}), TZ: 'Asia/Shanghai' },
    });
    let result: T | null = null;
    let buf = '';
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      buf += d;
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (l.startsWith('RESULT ')) result = JSON.parse(l.slice(7)) as T;
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

const resultsDir = path.join(root, '.bench', `compare-${label}`);
const resultFile = (side: Side) => path.join(resultsDir, `${side}.json`);

/** A side's saved results of an earlier run with the same records, or null. */
function savedResult(side: Side): SideResult | null {
  try {
    const r = JSON.parse(fs.readFileSync(resultFile(side), 'utf8')) as SideResult;
    return JSON.stringify(r.params) === JSON.stringify(params) && (r.cache ?? 'as-found') === CACHE ? r : null;
  } catch {
    return null;
  }
}

async function compare(): Promise<void> {
  const wanted = process.env.BENCH_SIDES ? process.env.BENCH_SIDES.split(',').map((x) => x.trim()) : [...SIDES];
  for (const w of wanted) if (!(SIDES as readonly string[]).includes(w)) throw new Error(`BENCH_SIDES: no side ${w} (${SIDES.join(', ')})`);
  const run = SIDES.filter((x) => wanted.includes(x));
  const rebuild = process.env.BENCH_REBUILD ?? '';
  let marker = rebuild === '1' || rebuild === 'index' ? null : readMarker();
  let smarker = rebuild === '1' || rebuild === 'sqlite' ? null : readSqliteMarker();
  const builds: string[][] = [];
  if (run.includes('index')) {
    if (!marker) builds.push(['--build-index']);
    else note(`reusing the index in ${path.relative(root, dbDir)} built ${marker.builtAt} with engine ${marker.engine ?? 'unknown'}`);
  }
  if (run.some((x) => x !== 'index')) {
    if (!smarker) builds.push(['--build-sqlite']);
    else note(`reusing the SQLite files in ${path.relative(root, path.dirname(plainFile))} built ${smarker.builtAt}`);
  }
  if (builds.length) note(`building (load average ${loadavg()}, ${os.cpus().length} CPUs)`);
  if (process.env.BENCH_BUILD_PARALLEL === '1') await Promise.all(builds.map((b) => child(b)));
  else for (const b of builds) await child(b);
  if (builds.length) note(`built (load average ${loadavg()})`);
  marker = readMarker();
  smarker = readSqliteMarker();
  // The same records on both sides: the generator's counts must agree.
  if (marker && smarker && (JSON.stringify(marker.truth) !== JSON.stringify(smarker.truth) || JSON.stringify(marker.customers) !== JSON.stringify(smarker.customers))) {
    throw new Error('the index and the SQLite files hold different records (generator counts differ): rebuild with BENCH_REBUILD=1');
  }
  const engineNow = engineCommit();
  if (marker?.engine && marker.engine !== engineNow) note(`the index was built with engine ${marker.engine}, the engine now is ${engineNow} (BENCH_REBUILD=index builds it again)`);

  const results: Partial<Record<Side, SideResult>> = {};
  fs.mkdirSync(resultsDir, { recursive: true });
  bundleThisFile();
  if (run.includes('index')) {
    const o = await child<OpenResult>(['--open-index'], true);
    if (o?.converted) {
      note(`the index was converted to the engine's format when opened: ${o.seconds.toFixed(0)} s, peak RSS ${o.peakRssMiB.toFixed(0)} MiB; compacted in ${o.compactSeconds.toFixed(0)} s`);
      line('index_conversion_seconds', o.seconds, 's');
      line('index_conversion_peak_rss', o.peakRssMiB, 'MiB');
    }
  }
  note(`searching from a bundle (${path.relative(root, bundleFile)}), the index with the ${BOARD} board's options ${JSON.stringify(boardIndexOptions())}`);
  for (const side of run) {
    if (CACHE === 'cold') dropPageCache();
    note(`searching ${side} (load average ${loadavg()}, page cache ${CACHE})`);
    const r = await child(['--query', side], true);
    if (!r) throw new Error(`${side}: no result`);
    results[side] = r;
    fs.writeFileSync(resultFile(side), JSON.stringify(r));
  }
  for (const side of SIDES) {
    if (results[side]) continue;
    const r = savedResult(side);
    if (r) {
      results[side] = r;
      note(`${side}: results of ${r.measuredAt} (engine ${r.engine}) reused from ${path.relative(root, resultFile(side))}`);
    }
  }
  report(results, marker, smarker);
}

/** Empties the operating system's page cache, so a side's searches start reading from the disk. */
function dropPageCache(): void {
  execFileSync('sync');
  try {
    fs.writeFileSync('/proc/sys/vm/drop_caches', '1');
  } catch (e) {
    throw new Error(`BENCH_CACHE=cold: cannot drop the page cache (${(e as Error).message}); run as root or without BENCH_CACHE`);
  }
}

/** BENCH lines and the table of the sides there are results for; ratios where both sides are there. */
function report(results: Partial<Record<Side, SideResult>>, marker: Marker | null, smarker: SqliteMarker | null): void {
  const have = SIDES.filter((x) => results[x]);
  const ours = results.index;
  // Every side gave the same answers: totals and the start times of each page.
  if (ours) {
    for (const side of ['sqlite', 'sqlite_counts'] as const) {
      for (const q of results[side]?.queries ?? []) {
        const o = ours.queries.find((x) => x.name === q.name);
        if (!o) continue;
        const i = q.answers.findIndex((a, k) => k < o.answers.length && a !== o.answers[k]);
        if (i >= 0) throw new Error(`${q.name}: run ${i} answered differently by ${side} (total ${q.totals[i]}) and the index (total ${o.totals[i]})`);
      }
    }
    if (have.length > 1) note(`every answer is the same on ${have.join(', ')}`);
  }

  // ---------------------------------------------------------------- BENCH lines
  const bpr = (b: number) => b / RECORDS;
  if (marker && ours) {
    line('index_build_seconds', marker.buildSeconds, 's');
    line('index_insert_rate', marker.insertRate, 'records/s');
    line('index_build_rss', marker.buildPeakRssMiB, 'MiB');
  }
  if (smarker && (results.sqlite || results.sqlite_counts)) {
    line('sqlite_build_seconds', smarker.plain.buildSeconds, 's');
    line('sqlite_counts_build_seconds', smarker.counts.buildSeconds, 's');
    line('sqlite_insert_rate', RECORDS / smarker.plain.buildSeconds, 'records/s');
    line('sqlite_counts_insert_rate', RECORDS / smarker.counts.buildSeconds, 'records/s');
  }
  for (const side of have) line(`${side}_bytes_per_record`, bpr(results[side]!.bytes), 'bytes');
  for (const side of have) {
    line(`${side}_query_rss`, results[side]!.rssMiB, 'MiB');
    line(`${side}_query_peak_rss`, results[side]!.peakRssMiB, 'MiB');
    if (results[side]!.anonRssMiB !== undefined) line(`${side}_query_rss_anon`, results[side]!.anonRssMiB!, 'MiB');
    if (results[side]!.fileRssMiB !== undefined) line(`${side}_query_rss_file`, results[side]!.fileRssMiB!, 'MiB');
  }
  const times = (side: Side, name: string) => results[side]?.queries.find((x) => x.name === name);
  const names = [...new Set(have.flatMap((x) => results[x]!.queries.map((q) => q.name)))];
  const ratio = (t: QueryTimes | undefined, o: QueryTimes | undefined, which: 'first' | 'deep', p: number) =>
    t && o && t[which].length && o[which].length ? pct(t[which], p) / pct(o[which], p) : null;
  for (const name of names) {
    for (const side of have) {
      const t = times(side, name);
      if (!t) continue;
      line(`${side}_${name}_p50`, pct(t.first, 50), 'ms');
      line(`${side}_${name}_p95`, pct(t.first, 95), 'ms');
      if (t.deep.length) {
        line(`${side}_${name}_deep_p50`, pct(t.deep, 50), 'ms');
        line(`${side}_${name}_deep_p95`, pct(t.deep, 95), 'ms');
      }
    }
    const o = times('index', name);
    for (const [prefix, side] of [['ratio', 'sqlite'], ['ratio_counts', 'sqlite_counts']] as const) {
      const t = times(side, name);
      for (const [suffix, which, p] of [['p50', 'first', 50], ['p95', 'first', 95], ['deep_p50', 'deep', 50]] as const) {
        const r = ratio(t, o, which, p);
        if (r !== null) line(`${prefix}_${name}_${suffix}`, r, 'x');
      }
    }
  }

  // ---------------------------------------------------------------- the table
  const p = (t: QueryTimes | undefined, which: 'first' | 'deep' = 'first') => (t && t[which].length ? `${fmt(pct(t[which], 50))} / ${fmt(pct(t[which], 95))}` : '-');
  const r2 = (t: QueryTimes | undefined, o: QueryTimes | undefined) => {
    const a = ratio(t, o, 'first', 50);
    const b = ratio(t, o, 'first', 95);
    return a === null || b === null ? '-' : `${a.toFixed(2)} / ${b.toFixed(2)}`;
  };
  const rows: string[][] = [['query', 'ours p50/p95', 'sqlite p50/p95', 'ratio', '+counts p50/p95', 'ratio', 'deep: ours', 'sqlite', '+counts', 'total', 'sqlite plan (rows | total)']];
  for (const name of names) {
    const o = times('index', name);
    const s = times('sqlite', name);
    const c = times('sqlite_counts', name);
    const any = o ?? s ?? c!;
    rows.push([name, p(o), p(s), r2(s, o), p(c), r2(c, o), p(o, 'deep'), p(s, 'deep'), p(c, 'deep'), String(pct(any.totals, 50)), [s?.plan, c?.plan].filter(Boolean).join('; ')]);
  }
  const cell = (side: Side, f: (r: SideResult) => string) => (results[side] ? f(results[side]!) : '-');
  const size = (r: SideResult) => fmt(bpr(r.bytes));
  const mem = (r: SideResult) => `${fmt(r.rssMiB)} (${fmt(r.peakRssMiB)})`;
  rows.push(['bytes/record', cell('index', size), cell('sqlite', size), '', cell('sqlite_counts', size), '', '', '', '', '', '']);
  rows.push(['query RSS (peak) MiB', cell('index', mem), cell('sqlite', mem), '', cell('sqlite_counts', mem), '', '', '', '', '', '']);
  const split = (r: SideResult) => (r.anonRssMiB === undefined ? '-' : `${fmt(r.anonRssMiB)} + ${fmt(r.fileRssMiB!)}`);
  rows.push(['  own + mapped files MiB', cell('index', split), cell('sqlite', split), '', cell('sqlite_counts', split), '', '', '', '', '', '']);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const runs = results[have[0]!]?.queries[0]?.first.length ?? 0;
  console.log(`\nrecording index against SQLite ${smarker?.sqliteVersion ?? ''}, ${RECORDS.toLocaleString('en')} records, ms p50 / p95 of ${runs} runs, page cache ${CACHE}; ratio: SQLite's time / ours (>= 1: ours at least as fast); engine ${ours?.engine ?? '-'}`);
  for (const r of rows) console.log(`  ${r.map((c, i) => (i === 0 || i === r.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
  console.log(`  (SQLite page cache ${QUERY_CACHE_KIB / 1024} MiB per connection${smarker ? `; SQLite build: rows + indexes + ANALYZE, ${fmt(smarker.generateSeconds)} s of generating excluded` : ''}${marker ? `; index build: ${fmt(marker.buildSeconds)} s with generating` : ''})`);

  // Where ours is not yet as fast: against plain SQLite at p50 and p95, within 2x of the count tables at p50.
  if (ours && results.sqlite) {
    const behind = names.filter((n) => (ratio(times('sqlite', n), times('index', n), 'first', 50) ?? 1) < 1 || (ratio(times('sqlite', n), times('index', n), 'first', 95) ?? 1) < 1);
    note(`slower than SQLite with composite indexes (p50 or p95): ${behind.length ? behind.join(', ') : 'none'}`);
  }
  if (ours && results.sqlite_counts) {
    const far = names.filter((n) => (ratio(times('sqlite_counts', n), times('index', n), 'first', 50) ?? 1) < 0.5);
    note(`more than 2x slower than SQLite with count tables (p50): ${far.length ? far.join(', ') : 'none'}`);
  }
}

// ------------------------------------------------------------------ main

const [mode, arg] = process.argv.slice(2);
if (mode === '--build-index') {
  const m = await buildIndex();
  note(`index built: ${m.buildSeconds.toFixed(0)} s, ${(m.bytesAfterCompaction / RECORDS).toFixed(1)} bytes per record, peak RSS ${m.buildPeakRssMiB.toFixed(0)} MiB`);
} else if (mode === '--build-sqlite') {
  const m = buildSqlite();
  note(`SQLite built: ${m.wallSeconds.toFixed(0)} s in all (generator ${m.generateSeconds.toFixed(0)} s), peak RSS ${m.buildPeakRssMiB.toFixed(0)} MiB`);
} else if (mode === '--open-index') {
  await openIndexOnce();
} else if (mode === '--query' && (SIDES as readonly string[]).includes(arg ?? '')) {
  await querySide(arg as Side);
} else if (mode === undefined) {
  await compare();
} else {
  console.error('usage: index-vs-sqlite.bench.ts [--build-index | --build-sqlite | --open-index | --query index|sqlite|sqlite_counts]');
  process.exit(2);
}
