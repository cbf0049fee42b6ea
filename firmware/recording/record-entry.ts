/** One row of the recording index (manual 3.9 / 3.10 search results). */
import type { CallDirection, CallType, RecordLevel, StartMode, StopMode } from '../calls/call-types.ts';
import { parseRefTag, refTag, type ChannelRef } from '../ports/channel-ref.ts';

/** How a recording's audio is stored: today's files are WAV in the recording codec; history may be transcoded. */
export type RecordFormat = 'alaw' | 'ulaw' | 'pcm16' | 'ima-adpcm' | 'mp3';

export const RECORD_FORMATS: readonly RecordFormat[] = ['alaw', 'ulaw', 'pcm16', 'ima-adpcm', 'mp3'];

/** An entry is also the reference of the channel it was recorded on (portType, port, channel). */
export interface RecordEntry extends ChannelRef {
  id: string;
  /** Parts of one call (split at the maximum file length or a line-card fault) share the callId. */
  callId: string;
  part: number;
  /** Local number: the analog line's number (线路号码), the extension, the trunk's called number. */
  lineNumber: string;
  /** Local party's name (VoIP display name, E1 trunk name); empty when unknown. */
  localName: string;
  remoteNumber: string;
  /** Remote party's name (caller ID name, VoIP display name). */
  callerName: string;
  callType: CallType;
  direction: CallDirection;
  /** Free text naming every participant (SIPREC participants, conference members); empty for two-party calls. */
  participants: string;
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
  /** Two parties in a stereo file, one per channel (left: leg A, right: leg B). */
  stereo: boolean;
  /** Moved from today's recordings to history (归档). */
  archived: boolean;
  /** Encrypted at rest (AES-256-GCM sealed file); playback decrypts. */
  sealed: boolean;
  /** SHA-256 (hex) of the recording as downloaded (plaintext); null until the file is finished. */
  sha256: string | null;
  /** Marked deleted (删除): hidden from searches until purged (清空已删除录音) or restored. */
  deleted: boolean;
  /** Trunk calls (E1): whether the call was answered; absent where the port does not tell. */
  answered?: boolean;
  /** Trunk calls (E1): the clearing cause as `<value> <text>` (Q.850), e.g. `17 user busy`; absent when none was signalled. */
  cause?: string;
  /** VoIP recordings: who sent the call and the SIP identity of the session; absent for other ports and older entries. */
  voip?: VoipOrigin;
}

/** One party of a VoIP call as its source named it (SIPREC participant, phone). */
export interface VoipParty {
  /** Address of record, e.g. `sip:alice@example.com`; empty when unknown. */
  aor: string;
  name: string;
  /** Where the party is recorded: `leg0`, `leg1`, `mixed`, or `participant` when it sends no recorded stream. */
  role: string;
}

/** The source identity of a VoIP recording: what a PBX integration asks for to find it again. */
export interface VoipOrigin {
  source: 'phone' | 'siprec';
  /** The recording dialog's SIP Call-ID (SIPREC); empty for phones. */
  sipCallId: string;
  /** The SIPREC session id (RFC 7865 `session` element), or the phone's own session id. */
  sessionId: string;
  /** `sipSessionID`s of the recorded communication session (RFC 7865), space-separated; empty when none. */
  sipSessionIds: string;
  /** The sending device: the phone's MAC address, or the SRC's `address:port/transport`. */
  device: string;
  participants: VoipParty[];
}

/** Bounds of what an index entry keeps of a VoIP origin, so an entry stays small. */
export const VOIP_ORIGIN_LIMITS = { text: 256, participants: 16 } as const;

/** An origin cut to the index's bounds. */
export function boundedOrigin(o: VoipOrigin): VoipOrigin {
  const t = (s: string) => (s.length > VOIP_ORIGIN_LIMITS.text ? s.slice(0, VOIP_ORIGIN_LIMITS.text) : s);
  return {
    source: o.source,
    sipCallId: t(o.sipCallId),
    sessionId: t(o.sessionId),
    sipSessionIds: t(o.sipSessionIds),
    device: t(o.device),
    participants: o.participants.slice(0, VOIP_ORIGIN_LIMITS.participants).map((p) => ({ aor: t(p.aor), name: t(p.name), role: t(p.role) })),
  };
}

/** Defaults of the fields added for VoIP and E1, for entries written before them (markers, sidecars). */
export function withEntryDefaults(e: Partial<RecordEntry> & Omit<RecordEntry, 'port' | 'localName' | 'direction' | 'participants' | 'stereo'>): RecordEntry {
  return {
    ...e,
    port: e.port ?? 0,
    localName: e.localName ?? '',
    direction: e.direction ?? directionOf(e.callType),
    participants: e.participants ?? '',
    stereo: e.stereo ?? false,
  };
}

/** The direction an analog call type implies. */
export function directionOf(callType: CallType): CallDirection {
  if (callType === 'outgoing') return 'outgoing';
  if (callType === 'incoming-answered' || callType === 'incoming-missed') return 'incoming';
  return 'unknown';
}

/**
 * Sortable id: start time, channel and part, e.g. `1763706000123-07-1`
 * (analog line 7), `1763706000123-E1.16-1` (E1 trunk 1, timeslot 16),
 * `1763706000123-V0.8001-1` (VoIP), `…-07-m` for a missed call.
 */
export function recordId(startedAt: number, ref: ChannelRef, part: number | 'm'): string {
  return `${String(startedAt).padStart(13, '0')}-${refTag(ref)}-${part}`;
}

export interface RecordIdParts extends ChannelRef {
  startedAt: number;
  /** 0 for a missed call. */
  part: number;
}

/** The parts of a record id, or null when the text is not one. */
export function parseRecordId(id: string): RecordIdParts | null {
  const m = /^(\d{13})-([AEV]?\d{1,2}\.\d{2,5}|\d{2,3})-(\d{1,3}|m)$/.exec(id);
  if (!m) return null;
  const ref = parseRefTag(m[2]!);
  if (!ref) return null;
  const part = m[3] === 'm' ? 0 : Number(m[3]);
  if (part > 255) return null;
  return { startedAt: Number(m[1]), ...ref, part };
}

/** The id of the parts of an id (`part` 0: a missed call). */
export function idOfParts(p: RecordIdParts): string {
  return recordId(p.startedAt, p, p.part === 0 ? 'm' : p.part);
}
