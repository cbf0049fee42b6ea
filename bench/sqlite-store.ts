/**
 * The recording index's searches on SQLite (better-sqlite3), as a competent
 * engineer would store the same entries there, for the side-by-side benchmark
 * (index-vs-sqlite.bench.ts). Two files in `.bench/sqlite-<records>/`, built
 * from one pass of the seeded generator:
 *
 * - `records.db`: one table with the entry's columns and ordinary composite
 *   indexes, each ending in the start time, so that "condition + time range,
 *   newest first" is one index range: (channel, started_at), (call_type,
 *   started_at), (level, started_at), (line_number, started_at),
 *   (remote_number, started_at), (port_type, started_at) and (started_at).
 *   The indexes are partial (`WHERE deleted = 0`): searches show the
 *   recordings not marked deleted, and COUNT(*) is answered from an index
 *   alone. Totals are COUNT(*) with the search's conditions.
 * - `records-counts.db`: the same, plus per-day and per-month count tables
 *   (all recordings, per channel, call type, level and line number), updated
 *   in the same transaction as the inserts; a total whose conditions the
 *   tables hold is summed from whole months, whole days and COUNT(*) of the
 *   partial days at the ends of the range.
 *
 * The table holds the same information as an index entry, stored the way
 * SQLite stores it compactly: enumerations as small integers, the SHA-256 as
 * a 32-byte blob, the booleans as 0/1. The record id, the file path and the
 * call id follow from other columns (start time, channel reference, part,
 * folder day, format) and are stored only when they do not. Rows come back as
 * full entries, as the index's searches return them.
 *
 * The load is a bulk load: no journal, no fsync, one transaction a day of
 * recordings, indexes created after the rows, then ANALYZE so the planner
 * knows the indexes' selectivity.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { CallDirection, CallType, PortType, RecordLevel, StartMode, StopMode } from '../firmware/calls/call-types.ts';
import { dayStart, localDay, monthFirstDay, monthOfDay } from '../firmware/recording/local-day.ts';
import { RECORD_FORMATS, recordId, type RecordEntry, type RecordFormat } from '../firmware/recording/record-entry.ts';
import type { RecordQuery } from '../firmware/recording/record-query.ts';
import { recordingFilePath } from '../firmware/recording/recording-paths.ts';
import type { SearchResult } from './index-queries.ts';
import { RECORDS, SEARCHED_CUSTOMERS, label, makeGenerator, note, params, root, type DataSetMarker, type Truth } from './record-generator.ts';

export const sqliteDir = path.join(root, '.bench', `sqlite-${label}`);
export const plainFile = path.join(sqliteDir, 'records.db');
export const countsFile = path.join(sqliteDir, 'records-counts.db');
const markerFile = path.join(sqliteDir, 'built.json');

/** Page cache of a searching connection, the size of LevelDB's default block cache. */
export const QUERY_CACHE_KIB = 8192;

// ------------------------------------------------------------------ codes

const PORT_TYPES: readonly PortType[] = ['analog', 'e1', 'voip'];
const CALL_TYPES: readonly CallType[] = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'];
const DIRECTIONS: readonly CallDirection[] = ['incoming', 'outgoing', 'internal', 'unknown'];
const START_MODES: readonly StartMode[] = ['voltage', 'voice', 'dtmf', 'polarity', 'ring', 'continuous', 'forced', 'signalling'];
const STOP_MODES: readonly StopMode[] = [
  'hangup', 'disconnect', 'busy-tone', 'polarity', 'dtmf', 'silence', 'ring-timeout',
  'manual', 'max-length', 'switch-off', 'linecard-fault', 'shutdown', 'power-loss', 'superseded',
];
const LEVELS: readonly RecordLevel[] = ['normal', 'important'];

function code<T>(list: readonly T[], v: T): number {
  const i = list.indexOf(v);
  if (i < 0) throw new Error(`no code for ${String(v)}`);
  return i;
}

// ------------------------------------------------------------------ schema

const SCHEMA = `
CREATE TABLE records (
  started_at    INTEGER NOT NULL,
  port_type     INTEGER NOT NULL,
  port          INTEGER NOT NULL,
  channel       INTEGER NOT NULL,
  part          INTEGER NOT NULL,
  id            TEXT,              -- only when it is not <started_at>-<ref>-<part>
  call_offset   INTEGER,           -- call id <channel>-<started_at - call_offset>
  call_id       TEXT,              -- any other call id
  line_number   TEXT NOT NULL,
  local_name    TEXT NOT NULL,
  remote_number TEXT NOT NULL,
  caller_name   TEXT NOT NULL,
  participants  TEXT NOT NULL,
  call_type     INTEGER NOT NULL,
  direction     INTEGER NOT NULL,
  duration_ms   INTEGER NOT NULL,
  start_mode    INTEGER NOT NULL,
  stop_mode     INTEGER,
  level         INTEGER NOT NULL,
  folder_day    INTEGER,           -- the file's day folder; NULL: no file
  file          TEXT,              -- only when the path is not the usual one of folder_day
  size_bytes    INTEGER NOT NULL,
  codec         INTEGER,
  stereo        INTEGER NOT NULL,
  archived      INTEGER NOT NULL,
  sealed        INTEGER NOT NULL,
  sha256        BLOB,
  deleted       INTEGER NOT NULL
);
`;

/** The indexes, created once the rows are in. */
const INDEXES = [
  'CREATE INDEX records_time ON records(started_at) WHERE deleted = 0',
  'CREATE INDEX records_channel ON records(channel, started_at) WHERE deleted = 0',
  'CREATE INDEX records_call_type ON records(call_type, started_at) WHERE deleted = 0',
  'CREATE INDEX records_level ON records(level, started_at) WHERE deleted = 0',
  'CREATE INDEX records_line ON records(line_number, started_at) WHERE deleted = 0',
  'CREATE INDEX records_remote ON records(remote_number, started_at) WHERE deleted = 0',
  'CREATE INDEX records_port_type ON records(port_type, started_at) WHERE deleted = 0',
];

/** Kinds of count: all recordings, or those of one channel, call type, level or line number. */
const K_ALL = 0;
const K_CHANNEL = 1;
const K_CALL_TYPE = 2;
const K_LEVEL = 3;
const K_LINE = 4;
const U_DAY = 0;
const U_MONTH = 1;

const COUNTS_SCHEMA = `
CREATE TABLE record_counts (
  kind   INTEGER NOT NULL,
  value  ANY NOT NULL,
  unit   INTEGER NOT NULL,  -- 0: local day, 1: calendar month
  period INTEGER NOT NULL,  -- days or months since 1970
  n      INTEGER NOT NULL,
  PRIMARY KEY (kind, value, unit, period)
) WITHOUT ROWID;
`;

const COLUMNS = [
  'started_at', 'port_type', 'port', 'channel', 'part', 'id', 'call_offset', 'call_id', 'line_number', 'local_name',
  'remote_number', 'caller_name', 'participants', 'call_type', 'direction', 'duration_ms', 'start_mode', 'stop_mode',
  'level', 'folder_day', 'file', 'size_bytes', 'codec', 'stereo', 'archived', 'sealed', 'sha256', 'deleted',
] as const;

type Row = {
  started_at: number; port_type: number; port: number; channel: number; part: number; id: string | null;
  call_offset: number | null; call_id: string | null; line_number: string; local_name: string; remote_number: string;
  caller_name: string; participants: string; call_type: number; direction: number; duration_ms: number;
  start_mode: number; stop_mode: number | null; level: number; folder_day: number | null; file: string | null;
  size_bytes: number; codec: number | null; stereo: number; archived: number; sealed: number; sha256: Buffer | null; deleted: number;
};

const usualId = (startedAt: number, ref: { portType: PortType; port: number; channel: number }, part: number) =>
  recordId(startedAt, ref, part === 0 ? 'm' : part);

function toRow(e: RecordEntry): unknown[] {
  const id = e.id === usualId(e.startedAt, e, e.part) ? null : e.id;
  const m = /^(\d+)-(\d+)$/.exec(e.callId);
  const callOffset = m && Number(m[1]) === e.channel && Number(m[2]) <= e.startedAt && String(Number(m[2])) === m[2] ? e.startedAt - Number(m[2]) : null;
  let folderDay: number | null = null;
  let file: string | null = null;
  if (e.file !== null) {
    folderDay = localDay(e.startedAt);
    if (e.codec === null || recordingFilePath(e.archived, folderDay, e, e.id, e.codec) !== e.file) file = e.file;
  }
  return [
    e.startedAt, code(PORT_TYPES, e.portType), e.port, e.channel, e.part, id, callOffset, callOffset === null ? e.callId : null,
    e.lineNumber, e.localName, e.remoteNumber, e.callerName, e.participants, code(CALL_TYPES, e.callType),
    code(DIRECTIONS, e.direction), e.durationMs, code(START_MODES, e.startMode), e.stopMode === null ? null : code(STOP_MODES, e.stopMode),
    code(LEVELS, e.level), folderDay, file, e.sizeBytes, e.codec === null ? null : code(RECORD_FORMATS, e.codec),
    e.stereo ? 1 : 0, e.archived ? 1 : 0, e.sealed ? 1 : 0, e.sha256 === null ? null : Buffer.from(e.sha256, 'hex'), e.deleted ? 1 : 0,
  ];
}

function toEntry(r: Row): RecordEntry {
  const ref = { portType: PORT_TYPES[r.port_type]!, port: r.port, channel: r.channel };
  const id = r.id ?? usualId(r.started_at, ref, r.part);
  const codec: RecordFormat | null = r.codec === null ? null : RECORD_FORMATS[r.codec]!;
  const archived = r.archived === 1;
  return {
    id,
    callId: r.call_id ?? `${r.channel}-${r.started_at - r.call_offset!}`,
    part: r.part,
    ...ref,
    lineNumber: r.line_number,
    localName: r.local_name,
    remoteNumber: r.remote_number,
    callerName: r.caller_name,
    callType: CALL_TYPES[r.call_type]!,
    direction: DIRECTIONS[r.direction]!,
    participants: r.participants,
    startedAt: r.started_at,
    durationMs: r.duration_ms,
    startMode: START_MODES[r.start_mode]!,
    stopMode: r.stop_mode === null ? null : STOP_MODES[r.stop_mode]!,
    level: LEVELS[r.level]!,
    file: r.file ?? (r.folder_day === null || codec === null ? null : recordingFilePath(archived, r.folder_day, ref, id, codec)),
    sizeBytes: r.size_bytes,
    codec,
    stereo: r.stereo === 1,
    archived,
    sealed: r.sealed === 1,
    sha256: r.sha256 === null ? null : r.sha256.toString('hex'),
    deleted: r.deleted === 1,
  };
}

// ------------------------------------------------------------------ build

export interface SqliteBuild {
  /** Seconds in SQLite: inserting the rows (and counts), creating the indexes, ANALYZE. */
  insertSeconds: number;
  indexSeconds: number;
  analyzeSeconds: number;
  buildSeconds: number;
  bytes: number;
}

export interface SqliteMarker extends DataSetMarker {
  sqliteVersion: string;
  generateSeconds: number;
  wallSeconds: number;
  buildPeakRssMiB: number;
  plain: SqliteBuild;
  counts: SqliteBuild;
  truth: Truth;
  customers: string[];
}

export function readSqliteMarker(): SqliteMarker | null {
  try {
    const m = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as SqliteMarker;
    for (const [k, v] of Object.entries(params)) if ((m as unknown as Record<string, unknown>)[k] !== v) return null;
    if (!fs.existsSync(plainFile) || !fs.existsSync(countsFile)) return null;
    return m;
  } catch {
    return null;
  }
}

function openForLoad(file: string, withCounts: boolean): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MiB while loading and sorting the indexes
  db.exec(SCHEMA);
  if (withCounts) db.exec(COUNTS_SCHEMA);
  return db;
}

/** Builds both files from one pass of the generator (removing earlier ones) and writes the marker. */
export function buildSqlite(): SqliteMarker {
  fs.rmSync(sqliteDir, { recursive: true, force: true });
  fs.mkdirSync(sqliteDir, { recursive: true });
  const plain = openForLoad(plainFile, false);
  const counted = openForLoad(countsFile, true);
  const insertSql = `INSERT INTO records (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`;
  const plainInsert = plain.prepare(insertSql);
  const countedInsert = counted.prepare(insertSql);
  const countUpsert = counted.prepare('INSERT INTO record_counts (kind, value, unit, period, n) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n');
  const loadPlain = plain.transaction((rows: unknown[][]) => {
    for (const r of rows) plainInsert.run(r);
  });
  // The counts of a transaction's rows, added to the tables in the same transaction.
  const loadCounted = counted.transaction((rows: unknown[][], entries: RecordEntry[]) => {
    for (const r of rows) countedInsert.run(r);
    const add = new Map<string, [number, number | string, number, number, number]>();
    for (const e of entries) {
      if (e.deleted) continue;
      const day = localDay(e.startedAt);
      const month = monthOfDay(day);
      for (const [kind, value] of [
        [K_ALL, 0], [K_CHANNEL, e.channel], [K_CALL_TYPE, code(CALL_TYPES, e.callType)], [K_LEVEL, code(LEVELS, e.level)], [K_LINE, e.lineNumber],
      ] as const) {
        for (const [unit, period] of [[U_DAY, day], [U_MONTH, month]] as const) {
          const k = `${kind}\u0000${value}\u0000${unit}\u0000${period}`;
          const c = add.get(k);
          if (c) c[4]++;
          else add.set(k, [kind, value, unit, period, 1]);
        }
      }
    }
    for (const c of add.values()) countUpsert.run(c);
  });

  const sqliteVersion = (plain.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  note(`building ${RECORDS.toLocaleString('en')} records into SQLite ${sqliteVersion}: ${path.relative(root, plainFile)} and ${path.relative(root, countsFile)}`);
  const t0 = performance.now();
  let genMs = 0;
  let plainMs = 0;
  let countedMs = 0;
  let written = 0;
  let lastReport = t0;
  const gen = makeGenerator();
  const it = gen.days();
  for (;;) {
    let t = performance.now();
    const next = it.next();
    if (next.done) break;
    const entries = next.value.entries;
    const rows = entries.map(toRow);
    genMs += performance.now() - t;
    t = performance.now();
    loadPlain(rows);
    plainMs += performance.now() - t;
    t = performance.now();
    loadCounted(rows, entries);
    countedMs += performance.now() - t;
    written += entries.length;
    const now = performance.now();
    if (now - lastReport > 30_000) {
      lastReport = now;
      note(`  ${written.toLocaleString('en')} records, ${Math.round(written / ((now - t0) / 1000)).toLocaleString('en')} records/s, generator ${(genMs / 1000).toFixed(0)} s, plain ${(plainMs / 1000).toFixed(0)} s, counts ${(countedMs / 1000).toFixed(0)} s`);
    }
  }
  if (written !== RECORDS) throw new Error(`generated ${written} records, expected ${RECORDS}`);
  const finish = (db: Database.Database, file: string, insertMs: number): SqliteBuild => {
    let t = performance.now();
    for (const sql of INDEXES) db.exec(sql);
    const indexSeconds = (performance.now() - t) / 1000;
    t = performance.now();
    db.exec('ANALYZE');
    const analyzeSeconds = (performance.now() - t) / 1000;
    db.pragma('journal_mode = DELETE');
    db.close();
    const insertSeconds = insertMs / 1000;
    note(`  ${path.basename(file)}: rows ${insertSeconds.toFixed(0)} s, indexes ${indexSeconds.toFixed(0)} s, ANALYZE ${analyzeSeconds.toFixed(0)} s`);
    return { insertSeconds, indexSeconds, analyzeSeconds, buildSeconds: insertSeconds + indexSeconds + analyzeSeconds, bytes: fs.statSync(file).size };
  };
  const plainBuild = finish(plain, plainFile, plainMs);
  const countsBuild = finish(counted, countsFile, countedMs);
  const marker: SqliteMarker = {
    ...params,
    builtAt: new Date().toISOString(),
    sqliteVersion,
    generateSeconds: genMs / 1000,
    wallSeconds: (performance.now() - t0) / 1000,
    buildPeakRssMiB: process.resourceUsage().maxRSS / 1024,
    plain: plainBuild,
    counts: countsBuild,
    truth: gen.truth,
    customers: gen.customers.slice(0, SEARCHED_CUSTOMERS),
  };
  fs.writeFileSync(markerFile, JSON.stringify(marker));
  return marker;
}

// ------------------------------------------------------------------ search

/** The WHERE clause of a search, with its arguments. */
function conditions(q: RecordQuery, from = q.from, to = q.to): { where: string; args: (number | string)[] } {
  const w: string[] = [q.deleted ? 'deleted = 1' : 'deleted = 0'];
  const args: (number | string)[] = [];
  const add = (sql: string, ...v: (number | string)[]) => {
    w.push(sql);
    args.push(...v);
  };
  if (from !== undefined) add('started_at >= ?', from);
  if (to !== undefined) add('started_at <= ?', to);
  if (q.channel !== undefined) add('channel = ?', q.channel);
  if (q.callType !== undefined) add('call_type = ?', code(CALL_TYPES, q.callType));
  if (q.level !== undefined) add('level = ?', code(LEVELS, q.level));
  if (q.lineNumber !== undefined) add('line_number = ?', q.lineNumber);
  if (q.portType !== undefined) add('port_type = ?', code(PORT_TYPES, q.portType));
  if (q.minDurationMs !== undefined) add('duration_ms >= ?', q.minDurationMs);
  if (q.maxDurationMs !== undefined) add('duration_ms <= ?', q.maxDurationMs);
  if (q.store !== undefined) add('archived = ?', q.store === 'history' ? 1 : 0);
  if (q.remoteNumber !== undefined) {
    const p = q.remoteNumber;
    const head = p.replace(/%+$/, '');
    if (!p.includes('%')) add('remote_number = ?', p);
    else if (!head.includes('%')) {
      // A prefix as a range of the remote number index (digits: the next string is the last digit + 1).
      const last = head.charCodeAt(head.length - 1);
      if (head === '') {
        // every number
      } else add('remote_number >= ? AND remote_number < ?', head, head.slice(0, -1) + String.fromCharCode(last + 1));
    } else add("remote_number LIKE ? ESCAPE '\\'", p.replace(/[\\_]/g, (c) => `\\${c}`));
  }
  return { where: w.join(' AND '), args };
}

/** A search of one file: `counts` sums totals from the count tables where they answer. */
export class SqliteSearch {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly plans = new Map<string, string>();
  private readonly sumStmt: Database.Statement | null;

  constructor(file: string, private readonly counts: boolean) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    this.db.pragma(`cache_size = -${QUERY_CACHE_KIB}`);
    this.sumStmt = counts ? this.db.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM record_counts WHERE kind = ? AND value = ? AND unit = ? AND period BETWEEN ? AND ?') : null;
  }

  close(): void {
    this.db.close();
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /** The indexes SQLite uses for a statement (EXPLAIN QUERY PLAN), as `time`, `channel`, `scan`... */
  private plan(sql: string, args: unknown[]): string {
    let p = this.plans.get(sql);
    if (p === undefined) {
      const steps = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
      p = steps
        .map((s) => /USING (?:COVERING )?INDEX records_(\w+)/.exec(s.detail)?.[1] ?? (/^SCAN records\b/.test(s.detail) ? 'scan' : /TEMP B-TREE/.test(s.detail) ? 'sort' : ''))
        .filter(Boolean)
        .join('+');
      this.plans.set(sql, p);
    }
    return p;
  }

  /** The first page (ORDER BY started_at DESC LIMIT/OFFSET) and the total; plan: `<rows' indexes> | <total's>`. */
  search(q: RecordQuery): SearchResult {
    const { where, args } = conditions(q);
    let items: RecordEntry[] = [];
    let rowsPlan = '';
    if (q.limit > 0) {
      const sql = `SELECT * FROM records WHERE ${where} ORDER BY started_at DESC LIMIT ? OFFSET ?`;
      const rows = this.statement(sql).all(...args, q.limit, q.offset) as Row[];
      items = rows.map(toEntry);
      rowsPlan = this.plan(sql, [...args, q.limit, q.offset]);
    }
    let total = this.counts ? this.countFromTables(q) : null;
    let totalPlan = 'counts';
    if (total === null) {
      const sql = `SELECT COUNT(*) AS n FROM records WHERE ${where}`;
      total = (this.statement(sql).get(...args) as { n: number }).n;
      totalPlan = this.plan(sql, args);
    }
    return { total, items, plan: rowsPlan ? `${rowsPlan} | ${totalPlan}` : totalPlan };
  }

  private count(q: RecordQuery, from: number, to: number): number {
    const { where, args } = conditions(q, from, to);
    return (this.statement(`SELECT COUNT(*) AS n FROM records WHERE ${where}`).get(...args) as { n: number }).n;
  }

  private sum(kind: number, value: number | string, unit: number, p0: number, p1: number): number {
    return p0 > p1 ? 0 : (this.sumStmt!.get(kind, value, unit, p0, p1) as { n: number }).n;
  }

  /**
   * The total from the count tables: whole months, whole days at the ends of
   * the range, and COUNT(*) of partial days; null when the tables do not hold
   * the search's conditions (a number, a duration, a port type, combined
   * conditions, deleted or today/history).
   */
  private countFromTables(q: RecordQuery): number | null {
    if (q.remoteNumber !== undefined || q.minDurationMs !== undefined || q.maxDurationMs !== undefined || q.portType !== undefined) return null;
    if (q.store !== undefined || q.deleted) return null;
    const given = [
      q.channel !== undefined && ([K_CHANNEL, q.channel] as const),
      q.callType !== undefined && ([K_CALL_TYPE, code(CALL_TYPES, q.callType)] as const),
      q.level !== undefined && ([K_LEVEL, code(LEVELS, q.level)] as const),
      q.lineNumber !== undefined && ([K_LINE, q.lineNumber] as const),
    ].filter((x) => x !== false);
    if (given.length > 1) return null;
    const [kind, value] = given[0] ?? [K_ALL, 0];
    const NONE = -(2 ** 31);
    const ALL = 2 ** 31;
    // Whole days d0..d1 of the range; partial days at either end are counted from the rows.
    const lo = q.from;
    const hi = q.to;
    const d0 = lo === undefined ? NONE : dayStart(localDay(lo)) === lo ? localDay(lo) : localDay(lo) + 1;
    const d1 = hi === undefined ? ALL : dayStart(localDay(hi) + 1) - 1 === hi ? localDay(hi) : localDay(hi) - 1;
    if (d0 > d1) return null; // not one whole day: COUNT(*) of the range
    let n = 0;
    if (lo !== undefined && d0 !== localDay(lo)) n += this.count(q, lo, dayStart(d0) - 1);
    if (hi !== undefined && d1 !== localDay(hi)) n += this.count(q, dayStart(d1 + 1), hi);
    // Whole months m0..m1 inside d0..d1, and the days before and after them.
    const m0 = d0 === NONE ? NONE : monthFirstDay(monthOfDay(d0)) === d0 ? monthOfDay(d0) : monthOfDay(d0) + 1;
    const m1 = d1 === ALL ? ALL : monthFirstDay(monthOfDay(d1) + 1) - 1 === d1 ? monthOfDay(d1) : monthOfDay(d1) - 1;
    if (m0 > m1) return n + this.sum(kind, value, U_DAY, d0, d1);
    n += this.sum(kind, value, U_MONTH, m0, m1);
    if (d0 !== NONE) n += this.sum(kind, value, U_DAY, d0, monthFirstDay(m0) - 1);
    if (d1 !== ALL) n += this.sum(kind, value, U_DAY, monthFirstDay(m1 + 1), d1);
    return n;
  }
}
