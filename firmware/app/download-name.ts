/**
 * The name a recording is downloaded under: caller, callee and local start
 * time, `8001-13800138000-20261202-140312.wav`. Only letters, digits and
 * `-_.` ever reach a name, so it is never a path.
 */
import type { RecordEntry } from '../recording/record-entry.ts';

const UNKNOWN = 'unknown';

function clean(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+|[._]+$/g, '');
  return s.slice(0, 40) || UNKNOWN;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDD-HHMMSS` in the box's local time. */
export function localStamp(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}${two(d.getMonth() + 1)}${two(d.getDate())}-${two(d.getHours())}${two(d.getMinutes())}${two(d.getSeconds())}`;
}

export function extensionOf(e: Pick<RecordEntry, 'codec'>): string {
  return e.codec === 'mp3' ? 'mp3' : 'wav';
}

export function downloadName(e: Pick<RecordEntry, 'lineNumber' | 'remoteNumber' | 'direction' | 'startedAt' | 'codec'>): string {
  const incoming = e.direction === 'incoming';
  const caller = incoming ? e.remoteNumber : e.lineNumber;
  const callee = incoming ? e.lineNumber : e.remoteNumber;
  return `${clean(caller)}-${clean(callee)}-${localStamp(e.startedAt)}.${extensionOf(e)}`;
}

/** Hands out names once each: a repeated one gets `_2`, `_3`… before its extension. */
export class UniqueNames {
  private readonly used = new Set<string>();

  take(name: string): string {
    const dot = name.lastIndexOf('.');
    const base = dot > 0 ? name.slice(0, dot) : name;
    const ext = dot > 0 ? name.slice(dot) : '';
    let candidate = name;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}${ext}`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
