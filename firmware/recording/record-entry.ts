/** One row of the recording index (manual 3.9 / 3.10 search results). */
import type { CallType, PortType, RecordLevel, StartMode, StopMode } from '../calls/call-types.ts';
import type { WavCodec } from '../audio/wav.ts';

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
  codec: WavCodec | null;
}

/** Sortable id: start time, channel and part, e.g. `1763706000123-07-1`. */
export function recordId(startedAt: number, channel: number, part: number | 'm'): string {
  return `${String(startedAt).padStart(13, '0')}-${String(channel).padStart(2, '0')}-${part}`;
}
