/**
 * The end of a chain file, found at start-up without reading the whole
 * file: a torn last entry (a power loss mid-append) is cut off, and the last
 * complete entry gives the sequence number and hash the next one links to.
 */
import fs from 'node:fs';
import { GENESIS_PREV, hashLine, parseEntry, type ChainEntry } from './statement.ts';

export interface ChainHead {
  /** Sequence number of the last entry; -1 for an empty chain. */
  seq: number;
  /** Hash of the last entry's line (what the next entry's prev is). */
  hash: string;
  /** Bytes of complete entries: where the next one is written. */
  size: number;
}

export interface TailReport {
  head: ChainHead;
  /** Bytes of a torn last entry cut off. */
  tornBytes: number;
  /** The last line is complete but not a well-formed entry (edited or damaged): why. */
  damaged: string | null;
}

export const EMPTY_HEAD: ChainHead = { seq: -1, hash: GENESIS_PREV, size: 0 };

const STEP = 64 * 1024;

/** Reads `len` bytes ending at `end`. */
function readBefore(fd: number, end: number, len: number): Buffer {
  const start = Math.max(0, end - len);
  const buf = Buffer.alloc(end - start);
  fs.readSync(fd, buf, 0, buf.length, start);
  return buf;
}

/** Offset just after the last newline before `end`, 0 when there is none. */
function lastLineStart(fd: number, end: number): number {
  for (let len = STEP; ; len *= 2) {
    const buf = readBefore(fd, end, len);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) return end - buf.length + nl + 1;
    if (buf.length >= end) return 0;
  }
}

/** Finds the head of the chain in an open file (read-write: a torn end is truncated). */
export function recoverTail(fd: number): TailReport {
  let size = fs.fstatSync(fd).size;
  let tornBytes = 0;
  if (size > 0 && readBefore(fd, size, 1)[0] !== 0x0a) {
    const keep = lastLineStart(fd, size);
    tornBytes = size - keep;
    fs.ftruncateSync(fd, keep);
    fs.fdatasyncSync(fd);
    size = keep;
  }
  if (size === 0) return { head: { ...EMPTY_HEAD }, tornBytes, damaged: null };
  const start = lastLineStart(fd, size - 1);
  const raw = readBefore(fd, size - 1, size - 1 - start);
  const line = raw.toString('utf8');
  const parsed = parseEntry(line);
  if (parsed.ok) return { head: { seq: parsed.entry.seq, hash: parsed.hash, size }, tornBytes, damaged: null };
  // Link to the bytes as they are; the sequence continues from the number of lines.
  return { head: { seq: countLines(fd, size) - 1, hash: hashLine(raw), size }, tornBytes, damaged: parsed.reason };
}

function countLines(fd: number, size: number): number {
  const buf = Buffer.alloc(STEP);
  let n = 0;
  for (let at = 0; at < size; ) {
    const got = fs.readSync(fd, buf, 0, Math.min(STEP, size - at), at);
    if (got <= 0) break;
    for (let i = 0; i < got; i++) if (buf[i] === 0x0a) n++;
    at += got;
  }
  return n;
}

/** Complete entries in the last `bytes` of a chain file, oldest first (unparsable lines skipped). */
export function tailEntries(file: string, bytes = 1024 * 1024): ChainEntry[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = readBefore(fd, size, bytes);
    const out: ChainEntry[] = [];
    for (const text of buf.toString('utf8').split('\n')) {
      const p = text ? parseEntry(text) : null;
      if (p?.ok) out.push(p.entry);
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}
