/**
 * A recording's signed statement on the box: found in its folder's sidecar,
 * its signature checked, and its place in the chain confirmed (the line at
 * its offset is the same bytes, the entry before hashes to its prev, the
 * entry after links to it).
 */
import fs from 'node:fs';
import type { RecordEntry } from '../recording/record-entry.ts';
import { sidecarOf } from '../recording/sidecar.ts';
import { readCustodyLines } from './custody-lines.ts';
import { hashLine, parseEntry, type ChainEntry } from './statement.ts';

export interface RecordStatement {
  id: string;
  /** The chain entry, one canonical JSON line. */
  line: string;
  entry: ChainEntry;
  offset: number;
}

export interface ChainPosition {
  /** The chain holds the same line at the statement's offset. */
  inChain: boolean;
  seq: number;
  offset: number;
  /** The entry before hashes to the statement's prev (null: none or unreadable). */
  linkedBefore: boolean | null;
  /** The entry after names the statement's hash as its prev (null: it is the last). */
  linkedAfter: boolean | null;
}

/** The last statement the box signed about a recording's current file; null when none. */
export function findRecordStatement(dataDir: string, e: RecordEntry): RecordStatement | null {
  const lines = readCustodyLines(sidecarOf(dataDir, e)).filter((l) => l.id === e.id);
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    const p = parseEntry(l.custody);
    if (p.ok) return { id: e.id, line: l.custody, entry: p.entry, offset: l.offset };
  }
  return null;
}

function readAt(fd: number, offset: number, len: number): Buffer {
  const buf = Buffer.alloc(Math.max(0, len));
  const got = fs.readSync(fd, buf, 0, buf.length, offset);
  return buf.subarray(0, got);
}

/** Where a statement sits in the chain file, checked against its neighbours. */
export function chainPosition(chainFile: string, s: RecordStatement): ChainPosition {
  const pos: ChainPosition = { inChain: false, seq: s.entry.seq, offset: s.offset, linkedBefore: null, linkedAfter: null };
  let fd: number;
  try {
    fd = fs.openSync(chainFile, 'r');
  } catch {
    return pos;
  }
  try {
    const want = Buffer.from(`${s.line}\n`, 'utf8');
    pos.inChain = readAt(fd, s.offset, want.length).equals(want);
    if (!pos.inChain) return pos;
    if (s.offset > 0) {
      const before = readAt(fd, Math.max(0, s.offset - 65536), Math.min(65536, s.offset));
      const start = before.lastIndexOf(0x0a, before.length - 2) + 1;
      pos.linkedBefore = hashLine(before.subarray(start, before.length - 1)) === s.entry.prev;
    }
    const after = readAt(fd, s.offset + want.length, 65536);
    const nl = after.indexOf(0x0a);
    if (nl > 0) {
      const next = parseEntry(after.subarray(0, nl).toString('utf8'));
      pos.linkedAfter = next.ok && next.entry.prev === hashLine(s.line);
    }
    return pos;
  } finally {
    fs.closeSync(fd);
  }
}
