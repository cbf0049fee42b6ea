/**
 * The offline check of a copy of the data folder (or a NAS folder, or an
 * export of files and statements) against the device's public key alone:
 * the chain (chain-verify.ts), then every recording a trusted statement
 * names:
 * - `intact`: the file is there and its SHA-256 is the signed one;
 * - `altered`: the file differs from its statement (or a transcoded file's
 *   statement names a source other than what was recorded);
 * - `missing`: a finished recording with no deletion in the chain is gone;
 * - `explained`: deleted or purged through the box (who and when, from the chain);
 * - `unverifiable`: a sealed file and no encryption key given;
 * - `unsigned`: an audio file no trusted statement names.
 */
import path from 'node:path';
import { signatureOf } from '../recording/file-signature.ts';
import { chainFileOf } from './chain-ledger.ts';
import { verifyChain, type ChainProblem, type ChainReport } from './chain-verify.ts';
import { listDataFolder, readCustodyLines, readStatementFile } from './custody-lines.ts';
import type { PublicKeyInfo } from './key-material.ts';
import { parseEntry, signatureValid, type ChainEntry, type RecordingFacts, type Statement } from './statement.ts';

export type RecordingStatus = 'intact' | 'altered' | 'missing' | 'explained' | 'unverifiable' | 'unsigned';

export interface RecordingReport {
  id: string | null;
  status: RecordingStatus;
  file: string;
  /** Sequence number of the statement relied on. */
  seq: number | null;
  expected: string | null;
  actual: string | null;
  /** For explained: what happened, who asked, when (ISO time). */
  event?: { kind: 'deleted' | 'purged'; by: string; at: string; seq: number };
  reason?: string;
}

export interface VerifyOptions {
  dataDir: string;
  anchors: readonly PublicKeyInfo[];
  /** The chain file; default `<dataDir>/custody/chain.log`; null: statements alone (an export without the chain). */
  chainFile?: string | null;
  /** AES-256 key, to check sealed recordings. */
  encryptionKey?: Buffer | null;
}

export interface VerifyResult {
  chain: ChainReport;
  recordings: RecordingReport[];
  counts: Record<RecordingStatus, number>;
  /** Something was tampered with: altered, missing, or a chain problem. */
  tampered: boolean;
}

interface RecordState {
  facts: RecordingFacts;
  statement: Statement;
  seq: number;
  /** Signature of what was recorded (a transcoded statement must name it as its source). */
  recordedSha: string | null;
  brokenLink: string | null;
  removal: { kind: 'deleted' | 'purged'; by: string; time: number; seq: number } | null;
  /** Files earlier statements named (the original of an archived recording). */
  earlier: string[];
}

export async function verifyRecordings(opts: VerifyOptions): Promise<VerifyResult> {
  const { dataDir } = opts;
  const records = new Map<string, RecordState>();
  const chainEntries: { entry: ChainEntry; signatureOk: boolean }[] = [];
  const chainFile = opts.chainFile === null ? null : (opts.chainFile ?? chainFileOf(dataDir));
  const check = await verifyChain(chainFile ?? '', opts.anchors, {
    onEntry: (x) => {
      if (x.signatureOk) chainEntries.push({ entry: x.entry, signatureOk: true });
    },
  });
  const { report: chain, trustedKeys, knownKeys } = check;
  if (chainFile === null) {
    // Statements alone: nothing to say of a chain that was not given.
    chain.problems = [];
    chain.file = '';
  }
  const trusted = (e: ChainEntry) => trustedKeys.has(e.key);

  // Statements by sequence number: the chain's, and the sidecars' copies (which also reveal a chain cut short or replaced).
  const bySeq = new Map<number, ChainEntry>();
  for (const { entry } of chainEntries) if (trusted(entry)) bySeq.set(entry.seq, entry);
  const extra: ChainEntry[] = [];
  let beyondEnd: number | null = null;
  const conflicts = new Set<number>();
  const folder = await listDataFolder(dataDir);
  const copies = [
    ...folder.sidecars.flatMap((f) => readCustodyLines(f).map((l) => l.custody)),
    ...folder.statements.map(readStatementFile).filter((l): l is string => l !== null),
  ];
  {
    for (const line of copies) {
      const p = parseEntry(line);
      if (!p.ok) continue;
      const key = knownKeys.get(p.entry.key);
      if (!key || !trustedKeys.has(key.fingerprint) || !signatureValid(p.entry, key)) continue;
      if (chain.lastSeq === null || p.entry.seq > chain.lastSeq) beyondEnd = Math.max(beyondEnd ?? -1, p.entry.seq);
      const inChain = bySeq.get(p.entry.seq);
      if (!inChain) bySeq.set(p.entry.seq, p.entry);
      else if (inChain.sig !== p.entry.sig) {
        // Two signed entries with one number: the chain was started again or replaced.
        extra.push(p.entry);
        conflicts.add(p.entry.seq);
      }
    }
  }
  if (beyondEnd !== null && chain.present && chainFile !== null) {
    chain.problems.push({
      kind: 'truncated', seq: beyondEnd, line: chain.entries + 1,
      reason: `the chain ends at ${chain.lastSeq ?? 'nothing'} but a signed statement ${beyondEnd} is in a sidecar: entries were removed from its end`,
    });
  }
  for (const seq of [...conflicts].sort((a, b) => a - b)) {
    chain.problems.push({ kind: 'forged', seq, line: 0, reason: `a sidecar keeps another signed entry ${seq}: the chain was replaced or started again` });
  }
  chain.ok = chain.problems.length === 0;

  for (const e of extra) apply(records, e);
  for (const seq of [...bySeq.keys()].sort((a, b) => a - b)) apply(records, bySeq.get(seq)!);

  // The files present.
  const files = new Set(folder.audio);
  const byName = new Map(folder.audio.map((rel) => [path.basename(rel), rel]));
  const covered = new Set<string>();
  const reports: RecordingReport[] = [];
  for (const [id, r] of records) {
    for (const f of r.earlier) covered.add(f);
    reports.push(await judge(id, r, dataDir, files, byName, covered, opts.encryptionKey ?? null));
  }
  for (const rel of files) {
    if (!covered.has(rel)) reports.push({ id: null, status: 'unsigned', file: rel, seq: null, expected: null, actual: null, reason: 'no signed statement names this file' });
  }
  reports.sort((a, b) => (a.id ?? a.file).localeCompare(b.id ?? b.file));
  const counts: Record<RecordingStatus, number> = { intact: 0, altered: 0, missing: 0, explained: 0, unverifiable: 0, unsigned: 0 };
  for (const r of reports) counts[r.status]++;
  return { chain, recordings: reports, counts, tampered: counts.altered + counts.missing > 0 || chain.problems.length > 0 };
}

function apply(records: Map<string, RecordState>, e: ChainEntry): void {
  const s = e.statement;
  switch (s.kind) {
    case 'recorded':
    case 'transcoded': {
      const old = records.get(s.id);
      const recordedSha = s.kind === 'recorded' ? s.sha256 : (old?.recordedSha ?? null);
      let brokenLink: string | null = old?.brokenLink ?? null;
      if (s.kind === 'transcoded' && old && s.source.sha256 !== old.facts.sha256) {
        brokenLink = `transcoded from ${s.source.sha256}, but the statement before says ${old.facts.sha256}`;
      }
      const earlier = old ? [...old.earlier, old.facts.file] : [];
      records.set(s.id, { facts: s, statement: s, seq: e.seq, recordedSha, brokenLink, removal: old?.removal ?? null, earlier });
      return;
    }
    case 'deleted':
    case 'purged': {
      const r = records.get(s.id);
      if (r && (s.kind === 'purged' || !r.removal)) r.removal = { kind: s.kind, by: s.by, time: e.time, seq: e.seq };
      return;
    }
    case 'restored': {
      const r = records.get(s.id);
      if (r && r.removal?.kind === 'deleted') r.removal = null;
      return;
    }
    case 'level':
    case 'chain-started':
    case 'key-rotated':
    case 'key-accepted':
    case 'key-replaced':
      return;
  }
}

async function judge(
  id: string, r: RecordState, dataDir: string, files: Set<string>, byName: Map<string, string>, covered: Set<string>, key: Buffer | null,
): Promise<RecordingReport> {
  const f = r.facts;
  const base: RecordingReport = { id, status: 'intact', file: f.file, seq: r.seq, expected: f.sha256, actual: null };
  const event = r.removal ? { kind: r.removal.kind, by: r.removal.by, at: new Date(r.removal.time).toISOString(), seq: r.removal.seq } : undefined;
  const rel = files.has(f.file) ? f.file : byName.get(path.basename(f.file)) ?? null;
  if (rel === null) {
    if (event) return { ...base, status: 'explained', event };
    return { ...base, status: 'missing', reason: 'the file is gone and the chain records no deletion' };
  }
  covered.add(rel);
  let actual: string;
  try {
    actual = await signatureOf(path.join(dataDir, rel), key);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENCRYPTION_KEY_MISSING' || code === 'ENCRYPTION_KEY_MISMATCH') {
      return { ...base, file: rel, status: 'unverifiable', reason: 'sealed file: give the encryption key (--encryption-key) to check it' };
    }
    return { ...base, file: rel, status: 'altered', reason: `the file cannot be read back (${(e as Error).message})` };
  }
  if (actual !== f.sha256) return { ...base, file: rel, actual, status: 'altered', reason: 'SHA-256 differs from the signed statement' };
  if (r.brokenLink) return { ...base, file: rel, actual, status: 'altered', reason: r.brokenLink };
  if (event) return { ...base, file: rel, actual, status: 'explained', event };
  return { ...base, file: rel, actual };
}

/** Chain problems and the recordings not intact, for people. */
export function summaryText(r: VerifyResult): string {
  const lines: string[] = [];
  const c = r.counts;
  lines.push(`chain: ${r.chain.file === '' ? 'not checked (statements alone)' : r.chain.present ? `${r.chain.entries} entries` : 'missing'}${r.chain.lastSeq !== null ? `, last ${r.chain.lastSeq}` : ''}; keys: ${r.chain.keys.map((k) => `${k.fingerprint.slice(0, 16)}…${k.trusted ? '' : ' (not trusted)'}`).join(', ') || 'none'}`);
  for (const p of r.chain.problems) lines.push(`chain ${p.kind} at entry ${p.seq} (line ${p.line}): ${p.reason}${p.key ? ` [key ${p.key}]` : ''}`);
  for (const x of r.recordings) {
    if (x.status === 'intact') continue;
    const what = x.event ? ` — ${x.event.kind} by ${x.event.by} at ${x.event.at} (entry ${x.event.seq})` : x.reason ? ` — ${x.reason}` : '';
    lines.push(`${x.status.padEnd(12)} ${x.id ?? '-'} ${x.file}${what}`);
  }
  lines.push(`recordings: ${c.intact} intact, ${c.altered} altered, ${c.missing} missing, ${c.explained} explained, ${c.unverifiable} unverifiable, ${c.unsigned} unsigned`);
  lines.push(r.tampered ? 'RESULT: TAMPERING FOUND' : 'RESULT: no tampering found');
  return `${lines.join('\n')}\n`;
}

export type { ChainProblem };
