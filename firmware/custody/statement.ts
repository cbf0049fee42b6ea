/**
 * Custody statements and the chain entries that carry them. A statement
 * says what happened to a recording (recorded, transcoded, deleted,
 * restored, level changed, purged) or to the chain (started, key rotated);
 * an entry puts it at a place in the box's chain:
 *
 *   body  = {v: 1, seq, prev, time, key, statement}
 *   sig   = Ed25519(device key, canonicalJson(body))           (128 hex digits)
 *   line  = canonicalJson({...body, sig})                      (one line of chain.log)
 *   hash  = SHA-256(line as UTF-8)                             (the next entry's prev)
 *
 * `prev` of the first entry is 64 zeros. See docs/custody.md.
 */
import { createHash } from 'node:crypto';
import type { RecordEntry } from '../recording/record-entry.ts';
import { canonicalBytes, canonicalJson, type Canonical } from './canonical.ts';
import { signBytes, verifyBytes, type PublicKeyInfo, type SigningKey } from './key-material.ts';

export const ENTRY_VERSION = 1;
export const GENESIS_PREV = '0'.repeat(64);

/** The recording a statement vouches for: its reference, numbers and file. */
export interface RecordingFacts {
  id: string;
  callId: string;
  ref: { portType: string; port: number; channel: number };
  startedAt: number;
  durationMs: number;
  lineNumber: string;
  remoteNumber: string;
  callerName: string;
  direction: string;
  callType: string;
  file: string;
  sha256: string;
  sizeBytes: number;
  codec: string;
  stereo: boolean;
  serial: string;
}

export type Statement =
  | { kind: 'chain-started'; serial: string; publicKey: string; reason: string }
  | ({ kind: 'recorded' } & RecordingFacts)
  | ({ kind: 'transcoded'; source: { file: string; sha256: string; sizeBytes: number; codec: string } } & RecordingFacts)
  | { kind: 'deleted' | 'restored' | 'purged'; id: string; by: string; file: string | null; sha256: string | null }
  | { kind: 'level'; id: string; level: string; by: string }
  | { kind: 'key-rotated'; newKey: string; newPublicKey: string; by: string }
  | { kind: 'key-accepted'; previousKey: string }
  | { kind: 'key-replaced'; reason: string };

export type StatementKind = Statement['kind'];

export const STATEMENT_KINDS: readonly StatementKind[] = [
  'chain-started', 'recorded', 'transcoded', 'deleted', 'restored', 'purged', 'level', 'key-rotated', 'key-accepted', 'key-replaced',
];

export interface EntryBody {
  v: number;
  seq: number;
  prev: string;
  time: number;
  key: string;
  statement: Statement;
}

export interface ChainEntry extends EntryBody {
  sig: string;
}

export interface SignedEntry {
  entry: ChainEntry;
  /** The canonical line, without its newline. */
  line: string;
  /** SHA-256 hex of the line. */
  hash: string;
}

export function hashLine(line: string | Uint8Array): string {
  return createHash('sha256').update(line).digest('hex');
}

/** What a finished (or transcoded) recording's statement says about it. */
export function factsOf(e: RecordEntry, serial: string): RecordingFacts {
  return {
    id: e.id,
    callId: e.callId,
    ref: { portType: e.portType, port: e.port, channel: e.channel },
    startedAt: e.startedAt,
    durationMs: Math.round(e.durationMs),
    lineNumber: e.lineNumber,
    remoteNumber: e.remoteNumber,
    callerName: e.callerName,
    direction: e.direction,
    callType: e.callType,
    file: e.file ?? '',
    sha256: e.sha256 ?? '',
    sizeBytes: e.sizeBytes,
    codec: e.codec ?? '',
    stereo: e.stereo,
    serial,
  };
}

export function signEntry(key: SigningKey, body: Omit<EntryBody, 'v' | 'key'>): SignedEntry {
  const full: EntryBody = { v: ENTRY_VERSION, seq: body.seq, prev: body.prev, time: Math.round(body.time), key: key.fingerprint, statement: body.statement };
  const sig = signBytes(key, canonicalBytes(full as unknown as Canonical)).toString('hex');
  const entry: ChainEntry = { ...full, sig };
  const line = canonicalJson(entry as unknown as Canonical);
  return { entry, line, hash: hashLine(line) };
}

export type ParsedEntry = { ok: true; entry: ChainEntry; hash: string } | { ok: false; reason: string };

const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** An entry from its line: well-formed and canonical (any other spelling of it is an edit). The signature is not checked here. */
export function parseEntry(line: string): ParsedEntry {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, reason: 'not an object' };
  const e = v as Partial<ChainEntry>;
  if (e.v !== ENTRY_VERSION) return { ok: false, reason: `version ${String(e.v)} is not ${ENTRY_VERSION}` };
  if (!Number.isSafeInteger(e.seq) || e.seq! < 0) return { ok: false, reason: 'bad seq' };
  if (typeof e.prev !== 'string' || !HEX64.test(e.prev)) return { ok: false, reason: 'bad prev' };
  if (!Number.isSafeInteger(e.time)) return { ok: false, reason: 'bad time' };
  if (typeof e.key !== 'string' || !HEX64.test(e.key)) return { ok: false, reason: 'bad key' };
  if (typeof e.sig !== 'string' || !HEX128.test(e.sig)) return { ok: false, reason: 'bad sig' };
  const s = e.statement as { kind?: unknown } | undefined;
  if (!s || typeof s !== 'object' || !STATEMENT_KINDS.includes(s.kind as StatementKind)) return { ok: false, reason: 'bad statement' };
  let again: string;
  try {
    again = canonicalJson(v as Canonical);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (again !== line) return { ok: false, reason: 'not in canonical form' };
  return { ok: true, entry: e as ChainEntry, hash: hashLine(line) };
}

/** Whether the entry's signature is the given key's over its body. */
export function signatureValid(entry: ChainEntry, key: PublicKeyInfo): boolean {
  const { sig, ...body } = entry;
  return verifyBytes(key, canonicalBytes(body as unknown as Canonical), Buffer.from(sig, 'hex'));
}

/** The recording a statement is about, if any. */
export function recordIdOf(s: Statement): string | null {
  return 'id' in s ? s.id : null;
}
