/**
 * Metadata sidecars: each recording folder (`…/YYYY/MM/DD/chNN/`) keeps an
 * append-only `records.jsonl`, one line per change of an entry (written,
 * changed, purged), each stamped with a change counter. The index can be
 * rebuilt from them and the files alone (index-rebuild.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RecordEntry } from './record-entry.ts';
import type { CustodyReceipt } from './custody-hook.ts';
import { recordingFolder, SIDECAR_NAME } from './recording-paths.ts';
import { localDay } from './local-day.ts';

export type SidecarLine = { at: number; entry: RecordEntry } | { at: number; purged: string };

/** A recording's signed custody statement (docs/custody.md), kept beside its entry; the index ignores it. */
export interface CustodyLine {
  at: number;
  id: string;
  /** The chain entry's line, exactly as in the chain. */
  custody: string;
  /** Its byte offset in `custody/chain.log`. */
  offset: number;
}

let lastStamp = 0;
/** Increasing stamps (ms with a sub-ms counter), so the last line written wins on a rebuild. */
function stamp(): number {
  lastStamp = Math.max(Date.now() * 1000, lastStamp + 1);
  return lastStamp;
}

/** The sidecar of the folder an entry's file lives in (missed calls: their day's channel folder). */
export function sidecarOf(dataDir: string, e: Pick<RecordEntry, 'file' | 'startedAt' | 'portType' | 'port' | 'channel' | 'archived'>): string {
  const folder = e.file ? path.dirname(e.file) : recordingFolder(e.archived, localDay(e.startedAt), e);
  return path.join(dataDir, folder, SIDECAR_NAME);
}

/**
 * Appends and makes durable, off the event loop (the fdatasync of a busy
 * card can take tens of milliseconds). Lines are stamped when the append is
 * asked, so a rebuild orders them by stamp whatever order they land in.
 */
async function append(file: string, ...lines: (SidecarLine | CustodyLine)[]): Promise<void> {
  const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const handle = await fs.promises.open(file, 'a');
  try {
    await handle.write(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** A line for the entry, and its custody statement when there is one, written together; resolves once durable. */
export function appendEntry(dataDir: string, entry: RecordEntry, custody?: CustodyReceipt | null): Promise<void> {
  const file = sidecarOf(dataDir, entry);
  if (!custody) return append(file, { at: stamp(), entry });
  return append(file, { at: stamp(), entry }, { at: stamp(), id: entry.id, custody: custody.line, offset: custody.offset });
}

export function appendPurge(dataDir: string, entry: RecordEntry): Promise<void> {
  return append(sidecarOf(dataDir, entry), { at: stamp(), purged: entry.id });
}

/** Lines of a sidecar; a torn last line (power lost mid-append) is skipped. */
export function readSidecar(file: string): SidecarLine[] {
  const out: SidecarLine[] = [];
  for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!text) continue;
    try {
      const line = JSON.parse(text) as SidecarLine;
      if (typeof line.at === 'number' && ('entry' in line || 'purged' in line)) out.push(line);
    } catch {
      // torn line
    }
  }
  return out;
}
