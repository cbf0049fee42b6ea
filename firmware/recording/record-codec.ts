/**
 * Compact binary form of an index entry (about 60 bytes with a signature).
 * Fields that follow from the key (start time, port type, port, channel,
 * part) or from other fields (the file path) are not stored; see
 * record-keys.ts.
 *
 *   u8  version (3)         u8 flags           u8 call type   u8 start mode
 *   u8  stop mode + 1       u8 format + 1 | direction << 4    varint duration ms
 *   varint size bytes       zigzag folder-day offset
 *   varint call id (0: string follows; n: `<channel>-<startedAt - n + 1>`)
 *   str line number, str remote number, str caller name (varint length + UTF-8)
 *   u8 more flags (stereo, local name, participants)
 *   str local name, str participants, each when flagged
 *   32 bytes SHA-256 when flagged
 *   str clearing cause, when flagged (trunk calls); more flags also say
 *   whether the call was answered, when known
 *   VoIP origin, when flagged: u8 source, str SIP Call-ID, str session id,
 *   str sipSessionIDs, str device, varint count, then per participant
 *   str aor, str name, str role
 *
 *
 * Version 3 (index format 5) is version 2 followed by the entry's change-feed
 * sequence number (change-feed.ts) as a varint written backwards: its last
 * byte holds the lowest seven bits, and a byte's top bit says that more
 * bytes come before it, so it is read from the end of the value without
 * parsing the fields before it.
 *
 * Version 1 (index format 3 and before) lacks the direction, the more-flags
 * byte and what follows it but the signature; it is still read, for the
 * conversion of those indexes, as version 2 (format 4) is for the conversion
 * of format 4. Enumerations only ever grow at their end.
 */
import type { CallDirection, CallType, PortType, RecordLevel, StartMode, StopMode } from '../calls/call-types.ts';
import { RECORD_FORMATS, type RecordEntry, type RecordFormat, type VoipOrigin, directionOf, recordId } from './record-entry.ts';
import { recordingFilePath } from './recording-paths.ts';

const VERSION_2 = 2;
const VERSION = 3;
const VERSION_1 = 1;
export const CALL_TYPES: readonly CallType[] = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'];
const START_MODES: readonly StartMode[] = ['voltage', 'voice', 'dtmf', 'polarity', 'ring', 'continuous', 'forced', 'signalling'];
const STOP_MODES: readonly StopMode[] = [
  'hangup', 'disconnect', 'busy-tone', 'polarity', 'dtmf', 'silence', 'ring-timeout',
  'manual', 'max-length', 'switch-off', 'linecard-fault', 'shutdown', 'power-loss', 'superseded',
];
const DIRECTIONS: readonly CallDirection[] = ['incoming', 'outgoing', 'internal', 'unknown'];

const F_ARCHIVED = 1;
const F_SEALED = 2;
const F_SHA = 4;
const F_FILE = 8;
const F_IMPORTANT = 16;
const M_STEREO = 1;
const M_LOCAL_NAME = 2;
const M_PARTICIPANTS = 4;
const M_ANSWER_KNOWN = 8;
const M_ANSWERED = 16;
const M_CAUSE = 32;
const M_VOIP = 64;
const VOIP_SOURCES: readonly VoipOrigin['source'][] = ['phone', 'siprec'];
const DAY_MS = 86_400_000;

/** The fields a value does not hold: they come from the key. */
export interface KeyFields {
  startedAt: number;
  portType: PortType;
  port: number;
  channel: number;
  part: number;
  deleted: boolean;
}

/** Scratch space of the (synchronous) encoder, grown as needed; a value is copied out of it. */
let scratch = Buffer.allocUnsafeSlow(1024);

class Writer {
  private buf = scratch;
  length = 0;
  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = scratch = next;
  }
  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }
  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot store ${v} in an index entry`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.u8(v);
  }
  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.room(n);
    this.length += this.buf.write(s, this.length, n, 'utf8');
  }
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  done(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    this.buf.copy(out, 0, 0, this.length);
    return out;
  }
}

class Reader {
  private readonly b: Buffer;
  constructor(
    b: Uint8Array,
    private o = 0,
  ) {
    this.b = Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  }
  get offset(): number {
    return this.o;
  }
  u8(): number {
    if (this.o >= this.b.length) throw new RangeError('index entry truncated');
    return this.b[this.o++]!;
  }
  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const x = this.u8();
      v += (x & 0x7f) * scale;
      if (x < 0x80) return v;
      scale *= 0x80;
    }
  }
  str(): string {
    const n = this.varint();
    if (n === 0) return '';
    this.need(n);
    const s = this.b.toString('utf8', this.o, this.o + n);
    this.o += n;
    return s;
  }
  /** n bytes as hexadecimal digits. */
  hex(n: number): string {
    this.need(n);
    const s = this.b.toString('hex', this.o, this.o + n);
    this.o += n;
    return s;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return out;
  }
  private need(n: number): void {
    if (this.o + n > this.b.length) throw new RangeError('index entry truncated');
  }
}

const dec = new TextDecoder();

const zigzag = (n: number) => (n < 0 ? -2 * n - 1 : 2 * n);
const unzigzag = (n: number) => (n % 2 ? -(n + 1) / 2 : n / 2);

/**
 * `folderDay`: the day folder a recording's file lives in, usually its local
 * start day; `feedSeq`: the entry's change-feed sequence number (the index
 * always gives one; without it the value is of version 2).
 */
export function encodeRecord(e: RecordEntry, folderDay: number, feedSeq?: number): Buffer {
  const w = new Writer();
  w.u8(feedSeq === undefined ? VERSION_2 : VERSION);
  w.u8(
    (e.archived ? F_ARCHIVED : 0) | (e.sealed ? F_SEALED : 0) | (e.sha256 ? F_SHA : 0) |
      (e.file ? F_FILE : 0) | (e.level === 'important' ? F_IMPORTANT : 0),
  );
  w.u8(CALL_TYPES.indexOf(e.callType));
  w.u8(START_MODES.indexOf(e.startMode));
  w.u8(e.stopMode === null ? 0 : STOP_MODES.indexOf(e.stopMode) + 1);
  w.u8((e.codec === null ? 0 : RECORD_FORMATS.indexOf(e.codec) + 1) | (DIRECTIONS.indexOf(e.direction) << 4));
  w.varint(Math.max(0, Math.round(e.durationMs)));
  w.varint(e.sizeBytes);
  w.varint(zigzag(folderDay - Math.floor(e.startedAt / DAY_MS)));
  const m = /^(\d+)-(\d+)$/.exec(e.callId);
  const callStart = m && Number(m[1]) === e.channel ? Number(m[2]) : NaN;
  if (callStart <= e.startedAt) w.varint(e.startedAt - callStart + 1);
  else {
    w.varint(0);
    w.str(e.callId);
  }
  w.str(e.lineNumber);
  w.str(e.remoteNumber);
  w.str(e.callerName);
  w.u8(
    (e.stereo ? M_STEREO : 0) | (e.localName ? M_LOCAL_NAME : 0) | (e.participants ? M_PARTICIPANTS : 0) |
      (e.answered !== undefined ? M_ANSWER_KNOWN | (e.answered ? M_ANSWERED : 0) : 0) | (e.cause ? M_CAUSE : 0) | (e.voip ? M_VOIP : 0),
  );
  if (e.localName) w.str(e.localName);
  if (e.participants) w.str(e.participants);
  if (e.sha256) w.bytes(Buffer.from(e.sha256, 'hex'));
  if (e.cause) w.str(e.cause);
  if (e.voip) writeOrigin(w, e.voip);
  if (feedSeq !== undefined) writeBackwardVarint(w, feedSeq);
  return w.done();
}

function writeBackwardVarint(w: Writer, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot store ${v} in an index entry`);
  const groups: number[] = [];
  do {
    groups.push(v % 0x80);
    v = Math.floor(v / 0x80);
  } while (v > 0);
  for (let i = groups.length - 1; i >= 0; i--) w.u8(groups[i]! | (i < groups.length - 1 ? 0x80 : 0));
}

/** The change-feed sequence number a value holds (version 3); null for a value of an earlier version. */
export function feedSeqOf(value: Uint8Array): number | null {
  if (value[0] !== VERSION) return null;
  let v = 0;
  let scale = 1;
  for (let i = value.length - 1; i > 0; i--) {
    const b = value[i]!;
    v += (b & 0x7f) * scale;
    if (!(b & 0x80)) return v;
    scale *= 0x80;
  }
  throw new RangeError('index entry truncated');
}

/**
 * A value of version 2 (format 4) given its change-feed sequence number:
 * version 3, the same fields, the number after them (the format-4 conversion).
 */
export function withFeedSeq(value: Uint8Array, feedSeq: number): Buffer {
  if (value[0] !== VERSION_2) throw new RangeError(`index entry version ${value[0]} has no place for a sequence number`);
  const w = new Writer();
  w.bytes(value);
  writeBackwardVarint(w, feedSeq);
  const out = w.done();
  out[0] = VERSION;
  return out;
}

export function decodeRecord(value: Uint8Array, k: KeyFields): RecordEntry {
  const r = new Reader(value);
  const version = r.u8();
  if (version !== VERSION && version !== VERSION_2 && version !== VERSION_1) throw new RangeError(`index entry version ${version} is not supported`);
  const flags = r.u8();
  const callType = CALL_TYPES[r.u8()];
  const startMode = START_MODES[r.u8()];
  const stopIdx = r.u8();
  const formatByte = r.u8();
  const codecIdx = formatByte & 0x0f;
  const direction = version === VERSION_1 ? directionOf(callType ?? 'idle') : DIRECTIONS[formatByte >> 4];
  if (!callType || !startMode || !direction || stopIdx > STOP_MODES.length || codecIdx > RECORD_FORMATS.length) {
    throw new RangeError('index entry holds an unknown enumeration value');
  }
  const durationMs = r.varint();
  const sizeBytes = r.varint();
  const folderDay = Math.floor(k.startedAt / DAY_MS) + unzigzag(r.varint());
  const callTag = r.varint();
  const callId = callTag === 0 ? r.str() : `${k.channel}-${k.startedAt - callTag + 1}`;
  const lineNumber = r.str();
  const remoteNumber = r.str();
  const callerName = r.str();
  const more = version === VERSION_1 ? 0 : r.u8();
  const localName = more & M_LOCAL_NAME ? r.str() : '';
  const participants = more & M_PARTICIPANTS ? r.str() : '';
  const sha256 = flags & F_SHA ? r.hex(32) : null;
  const cause = more & M_CAUSE ? r.str() : null;
  const voip = more & M_VOIP ? readOrigin(r) : null;
  const codec: RecordFormat | null = codecIdx === 0 ? null : RECORD_FORMATS[codecIdx - 1]!;
  const archived = (flags & F_ARCHIVED) !== 0;
  const id = recordId(k.startedAt, k, k.part === 0 ? 'm' : k.part);
  const e: RecordEntry = {
    id,
    callId,
    part: k.part,
    channel: k.channel,
    portType: k.portType,
    port: k.port,
    lineNumber,
    localName,
    direction,
    participants,
    stereo: (more & M_STEREO) !== 0,
    remoteNumber,
    callerName,
    callType,
    startedAt: k.startedAt,
    durationMs,
    startMode,
    stopMode: stopIdx === 0 ? null : STOP_MODES[stopIdx - 1]!,
    level: flags & F_IMPORTANT ? 'important' : 'normal',
    file: flags & F_FILE ? recordingFilePath(archived, folderDay, k, id, codec ?? 'alaw') : null,
    sizeBytes,
    codec,
    archived,
    sealed: (flags & F_SEALED) !== 0,
    sha256,
    deleted: k.deleted,
  };
  if (more & M_ANSWER_KNOWN) e.answered = (more & M_ANSWERED) !== 0;
  if (cause !== null) e.cause = cause;
  if (voip) e.voip = voip;
  return e;
}

function writeOrigin(w: Writer, o: VoipOrigin): void {
  w.u8(VOIP_SOURCES.indexOf(o.source));
  w.str(o.sipCallId);
  w.str(o.sessionId);
  w.str(o.sipSessionIds);
  w.str(o.device);
  w.varint(o.participants.length);
  for (const p of o.participants) {
    w.str(p.aor);
    w.str(p.name);
    w.str(p.role);
  }
}

function readOrigin(r: Reader): VoipOrigin {
  const source = VOIP_SOURCES[r.u8()];
  if (!source) throw new RangeError('index entry holds an unknown enumeration value');
  const o: VoipOrigin = { source, sipCallId: r.str(), sessionId: r.str(), sipSessionIds: r.str(), device: r.str(), participants: [] };
  for (let n = r.varint(); n > 0; n--) o.participants.push({ aor: r.str(), name: r.str(), role: r.str() });
  return o;
}

/** The call id a value holds when it is stored as text (VoIP and imported calls); null for a derived one. */
export function textCallIdOf(value: Uint8Array): string | null {
  const r = new Reader(value, 6);
  r.varint(); // duration
  r.varint(); // size
  r.varint(); // folder day
  return r.varint() === 0 ? r.str() : null;
}

/** Where the line and remote numbers' UTF-8 bytes lie in a value: [lineStart, lineEnd, remoteStart, remoteEnd]. */
export function numberSpans(value: Uint8Array): [number, number, number, number] {
  const r = new Reader(value, 6);
  r.varint(); // duration
  r.varint(); // size
  r.varint(); // folder day
  if (r.varint() === 0) r.take(r.varint()); // call id string
  const lineLength = r.varint();
  const lineStart = r.offset;
  r.take(lineLength);
  const remoteLength = r.varint();
  const remoteStart = r.offset;
  r.take(remoteLength);
  return [lineStart, lineStart + lineLength, remoteStart, remoteStart + remoteLength];
}

/** The remote number of a value, without decoding the rest. */
export function remoteNumberOf(value: Uint8Array): string {
  const s = numberSpans(value);
  return dec.decode(value.subarray(s[2], s[3]));
}

/** What a search filters on, read without decoding the whole value. */
export interface RecordSummary {
  callType: CallType;
  level: RecordLevel;
  durationMs: number;
  archived: boolean;
}

export function summarizeRecord(value: Uint8Array): RecordSummary {
  const flags = value[1]!;
  const durationMs = new Reader(value, 6).varint();
  return {
    callType: CALL_TYPES[value[2]!]!,
    level: flags & F_IMPORTANT ? 'important' : 'normal',
    durationMs,
    archived: (flags & F_ARCHIVED) !== 0,
  };
}
