/**
 * Checks a custody chain from its first line to its last, streaming: every
 * line a canonical entry, numbered one after the other, linked by hash to
 * the line before, signed by a key the chain announced (chain-started,
 * key-rotated), and those keys trusted from an anchor (the device's public
 * key as the checker has it):
 * - a hand-over signed by a trusted key makes the new key trusted;
 * - a key handed over to a trusted key is trusted when the trusted key signed
 *   a later entry (it commits, through the hash links, to everything before).
 * Problems name the sequence number of the entry at fault. Used by the box
 * (GET /api/v1/custody/chain/verify) and by scripts/verify-recordings.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { publicKeyFromRaw, type PublicKeyInfo } from './key-material.ts';
import { GENESIS_PREV, hashLine, parseEntry, signatureValid, type ChainEntry } from './statement.ts';

export type ChainProblemKind =
  /** An entry whose signature, form or link is wrong: edited, inserted, or entries removed before it. */
  | 'forged'
  /** The chain ends in a partial entry, or entries known from elsewhere are missing from its end. */
  | 'truncated'
  /** Entries signed by a key the anchor does not vouch for. */
  | 'foreign-key';

export interface ChainProblem {
  kind: ChainProblemKind;
  /** The entry at fault (for foreign-key, the first of the run). */
  seq: number;
  /** Line number in the file, from 1. */
  line: number;
  reason: string;
  /** For foreign-key: the key's fingerprint and how many entries it signed. */
  key?: string;
  count?: number;
}

export interface ChainKey {
  fingerprint: string;
  trusted: boolean;
  /** Sequence number of its first entry. */
  firstSeq: number;
  entries: number;
}

export interface ChainReport {
  file: string;
  present: boolean;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  lastHash: string | null;
  keys: ChainKey[];
  problems: ChainProblem[];
  ok: boolean;
}

interface Run {
  key: string;
  firstSeq: number;
  line: number;
  entries: number;
  /** Index in `signedEntries` order of the last validly signed entry. */
  lastValidLine: number;
}

interface HandOver {
  from: string;
  to: string;
  line: number;
  valid: boolean;
}

export interface ChainCheck {
  report: ChainReport;
  /** Fingerprints of the keys trusted (the anchors and those handed over from or to them). */
  trustedKeys: Set<string>;
  /** Every public key known: the anchors and those the chain announced. */
  knownKeys: Map<string, PublicKeyInfo>;
}

export interface VerifyChainOptions {
  onEntry?: (e: { entry: ChainEntry; line: number; signatureOk: boolean }) => void;
  /** Check only the first bytes (a chain still being appended to: up to its last whole entry). */
  bytes?: number;
}

export async function verifyChain(file: string, anchors: readonly PublicKeyInfo[], options: VerifyChainOptions = {}): Promise<ChainCheck> {
  const { onEntry } = options;
  const report: ChainReport = { file, present: true, entries: 0, firstSeq: null, lastSeq: null, lastHash: null, keys: [], problems: [], ok: false };
  const known = new Map<string, PublicKeyInfo>(anchors.map((k) => [k.fingerprint, k]));
  const runs = new Map<string, Run>();
  const handOvers: HandOver[] = [];
  let stream: Readable;
  let size: number;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    size = Math.min((await fs.promises.stat(file)).size, options.bytes ?? Infinity);
    stream = size > 0 ? fs.createReadStream(file, { end: size - 1 }) : Readable.from([]);
  } catch {
    report.present = false;
    report.problems.push({ kind: 'truncated', seq: 0, line: 0, reason: 'the chain file is missing' });
    return { report, trustedKeys: new Set(anchors.map((a) => a.fingerprint)), knownKeys: known };
  }
  let endsWithNewline = size === 0;
  if (size > 0) {
    const fd = await fs.promises.open(file, 'r');
    const b = Buffer.alloc(1);
    await fd.read(b, 0, 1, size - 1);
    await fd.close();
    endsWithNewline = b[0] === 0x0a;
  }
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  let prevHash = GENESIS_PREV;
  let expectSeq = 0;
  /** The line before was at fault itself: a broken link after it is its consequence, not another problem. */
  let prevFaulty = false;
  const problem = (p: ChainProblem) => report.problems.push(p);
  const check = (raw: string) => {
    lineNo++;
    const hash = hashLine(raw);
    const parsed = parseEntry(raw);
    if (!parsed.ok) {
      problem({ kind: 'forged', seq: expectSeq, line: lineNo, reason: `malformed entry: ${parsed.reason}` });
      prevHash = hash;
      expectSeq++;
      prevFaulty = true;
      return;
    }
    const e = parsed.entry;
    const reasons: string[] = [];
    if (e.seq !== expectSeq) reasons.push(`sequence number ${e.seq} where ${expectSeq} was expected (entries removed or inserted)`);
    if (e.prev !== prevHash && !prevFaulty) reasons.push('does not link to the entry before it (prev hash differs)');
    const s = e.statement;
    if (s.kind === 'chain-started' && !known.has(e.key)) learn(known, s.publicKey, e.key);
    const pub = known.get(e.key);
    const sigOk = pub ? signatureValid(e, pub) : false;
    if (pub && !sigOk) reasons.push('bad signature');
    if (reasons.length) problem({ kind: 'forged', seq: e.seq, line: lineNo, reason: reasons.join('; ') });
    let run = runs.get(e.key);
    if (!run) runs.set(e.key, (run = { key: e.key, firstSeq: e.seq, line: lineNo, entries: 0, lastValidLine: -1 }));
    run.entries++;
    if (sigOk) run.lastValidLine = lineNo;
    if (s.kind === 'key-rotated') {
      if (sigOk) learn(known, s.newPublicKey, s.newKey);
      handOvers.push({ from: e.key, to: s.newKey, line: lineNo, valid: sigOk });
    }
    onEntry?.({ entry: e, line: lineNo, signatureOk: sigOk });
    report.entries++;
    report.firstSeq ??= e.seq;
    report.lastSeq = e.seq;
    report.lastHash = hash;
    prevHash = hash;
    expectSeq = e.seq + 1;
    prevFaulty = reasons.length > 0;
  };
  // Each line is checked once the next one arrives, so the last is known as such.
  let held: string | null = null;
  for await (const text of lines) {
    if (held !== null) check(held);
    held = text;
  }
  if (held !== null) {
    if (endsWithNewline) check(held);
    else problem({ kind: 'truncated', seq: expectSeq, line: lineNo + 1, reason: 'the last entry is incomplete (an append cut short; the box cuts it off at its next start)' });
  }

  // Trust: from the anchors, along hand-overs, both ways.
  const trusted = new Set(anchors.map((a) => a.fingerprint));
  for (let changed = true; changed; ) {
    changed = false;
    for (const h of handOvers) {
      if (!h.valid) continue;
      if (trusted.has(h.from) && !trusted.has(h.to)) {
        trusted.add(h.to);
        changed = true;
      }
      const successor = runs.get(h.to);
      if (trusted.has(h.to) && !trusted.has(h.from) && successor && successor.lastValidLine > h.line) {
        trusted.add(h.from);
        changed = true;
      }
    }
  }
  for (const run of runs.values()) {
    report.keys.push({ fingerprint: run.key, trusted: trusted.has(run.key), firstSeq: run.firstSeq, entries: run.entries });
    if (!trusted.has(run.key)) {
      problem({
        kind: 'foreign-key', seq: run.firstSeq, line: run.line, key: run.key, count: run.entries,
        reason: known.has(run.key) ? 'signed by a key the device key does not vouch for' : 'signed by a key the chain never announced',
      });
    }
  }
  report.problems.sort((a, b) => a.line - b.line);
  report.ok = report.problems.length === 0;
  return { report, trustedKeys: trusted, knownKeys: known };
}

function learn(known: Map<string, PublicKeyInfo>, rawBase64: string, fingerprint: string): void {
  try {
    const k = publicKeyFromRaw(Buffer.from(rawBase64, 'base64'));
    if (k.fingerprint === fingerprint && !known.has(fingerprint)) known.set(fingerprint, k);
  } catch {
    // not a key: entries naming it stay unverifiable
  }
}
