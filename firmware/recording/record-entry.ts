/** One row of the recording index (manual 3.9 / 3.10 search results). */
import type { CallType, PortType, RecordLevel, StartMode, StopMode } from '../calls/call-types.ts';

/** How a recording's audio is stored: today's files are WAV in the recording codec; history may be transcoded. */
export type RecordFormat = 'alaw' | 'ulaw' | 'pcm16' | 'ima-adpcm' | 'mp3';

export const RECORD_FORMATS: readonly RecordFormat[] = ['alaw', 'ulaw', 'pcm16', 'ima-adpcm', 'mp3'];

export interface RecordEntry {
  id: string;
  /** Parts of one call (split at the maximum file length or a line-card fault) share the callId. */
  callId: string;
  part: number;
  channel: number;
  portType: PortType;
  lineNumber: string;
  remoteNumber: string;
  callerName: string;
  callType: CallType;
  /** Start of this file (ms since the epoch); for a missed call, the first ring. */
  startedAt: number;
  /** Audio length; for a missed call, how long it rang. */
  durationMs: number;
  startMode: StartMode;
  stopMode: StopMode | null;
  level: RecordLevel;
  /** Path relative to the data directory; null for a missed call (nothing recorded). */
  file: string | null;
  sizeBytes: number;
  codec: RecordFormat | null;
  /** Moved from today's recordings to history (归档). */
  archived: boolean;
  /** Encrypted at rest (AES-256-GCM sealed file); playback decrypts. */
  sealed: boolean;
  /** SHA-256 (hex) of the recording as downloaded (plaintext); null until the file is finished. */
  sha256: string | null;
  /** Marked deleted (删除): hidden from searches until purged (清空已删除录音) or restored. */
  deleted: boolean;
}

const PORT_LETTER: Record<PortType, string> = { analog: '', e1: 'E', voip: 'V' };

/**
 * Sortable id: start time, port, channel and part, e.g. `1763706000123-07-1`
 * (analog), `1763706000123-E07-1` (E1), `…-07-m` for a missed call.
 */
export function recordId(startedAt: number, channel: number, part: number | 'm', portType: PortType = 'analog'): string {
  return `${String(startedAt).padStart(13, '0')}-${PORT_LETTER[portType]}${String(channel).padStart(2, '0')}-${part}`;
}

export interface RecordIdParts {
  startedAt: number;
  portType: PortType;
  channel: number;
  /** 0 for a missed call. */
  part: number;
}

/** The parts of a record id, or null when the text is not one. */
export function parseRecordId(id: string): RecordIdParts | null {
  const m = /^(\d{13})-([EV]?)(\d{2,3})-(\d{1,3}|m)$/.exec(id);
  if (!m) return null;
  const part = m[4] === 'm' ? 0 : Number(m[4]);
  const channel = Number(m[3]);
  if (channel > 255 || part > 255) return null;
  return { startedAt: Number(m[1]), portType: m[2] === 'E' ? 'e1' : m[2] === 'V' ? 'voip' : 'analog', channel, part };
}
