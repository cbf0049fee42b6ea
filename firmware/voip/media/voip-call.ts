/**
 * The media API shared by the two VoIP sources of the recorder: IP phones
 * that push their own calls (phone/, the record-server protocol) and PBXs
 * or SBCs through SIPREC. A source opens a call, offers its RTP streams
 * and gets a UDP port for each; the media layer receives, reorders and
 * decodes the audio and records it.
 *
 * ```
 * const call = media.open({ source: 'siprec', callId, direction: 'in', remoteNumber, at: now });  // throws VoipMediaError 'capacity'
 * const { port } = await call.addStream({ label: '1', leg: 0, codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] });
 * const b = await call.addStream({ label: '2', leg: 1, remote: { address, port }, codecs: [...] });
 * call.update({ remoteName: 'Alice' });         // new names or numbers (re-INVITE, metadata update)
 * call.pause('hold'); call.resume();              // recorded as silence; the pause is counted
 * await call.close('hangup');                     // ends the recording; ports are freed
 * ```
 *
 * - **Legs.** A call is a one-leg recording (`legs: 1`: a phone's mixed
 *   stream) or a two-leg one (`legs: 2`, SIPREC's default: leg 0 and leg 1,
 *   one party each). A two-leg call is stored stereo (one party per channel)
 *   or mixed to mono, as the VoIP settings say. Streams of the same leg are
 *   summed; a `'mixed'` stream goes to leg 0.
 * - **Ports.** Each stream gets its own UDP socket from the configured port
 *   range; `removeStream`, `close` and every failure give it back.
 * - **Senders.** A stream accepts RTP only from `remote.address` when given
 *   (any source port: SDP names the receive port, not always the sending
 *   one), otherwise from the address and port of its first packet
 *   (latching). Other datagrams are counted as foreign and dropped.
 * - **Time.** Every stream plays out on the box's clock with the configured
 *   jitter delay, so parties stay aligned; losses become silence (counted).
 * - **End.** `close(reason)`, or no RTP on any stream for the silence
 *   timeout (stop mode `silence`). The reason is kept as the recording's stop
 *   mode when it names one (`hangup`, `disconnect`, `silence`, `shutdown`,
 *   `manual`...), `hangup` otherwise, and in the call's status as given.
 * - Events: channel state (呼入/呼出/空闲) on the event bus for the call's
 *   channel `{portType: 'voip', port: source index, channel: slot}`, and
 *   each leg's audio on the audio tap for live listening.
 */
import type { CodecName } from '../rtp/payload-codec.ts';
import type { StreamCounters } from '../rtp/rtp-stream.ts';
import type { ChannelRef } from '../../ports/channel-ref.ts';

export type VoipSource = 'phone' | 'siprec';

/** Port index of each source in the channel references of its calls. */
export const SOURCE_PORT: Readonly<Record<VoipSource, number>> = { phone: 0, siprec: 1 };

export interface VoipParticipant {
  aor?: string;
  name?: string;
  role?: string;
}

export interface VoipCallStart {
  source: VoipSource;
  /** The source's id of the call (phone session id, SIPREC session id); unique among open calls of that source. */
  callId: string;
  localNumber?: string;
  localName?: string;
  remoteNumber?: string;
  remoteName?: string;
  direction: 'in' | 'out' | 'unknown';
  participants?: VoipParticipant[];
  metadata?: Record<string, string>;
  /** Sending device (a phone's MAC, an SRC's address). */
  device?: string;
  /** 1: one mixed stream; 2: one party per leg. Default: 1 for phones, 2 for SIPREC. */
  legs?: 1 | 2;
  at: number;
}

export interface StreamCodec {
  pt: number;
  name: CodecName;
  rate: number;
}

export interface StreamOffer {
  label: string;
  leg: 0 | 1 | 'mixed';
  remote?: { address: string; port: number };
  codecs: StreamCodec[];
}

export interface StreamStats extends StreamCounters {
  label: string;
  leg: 0 | 1 | 'mixed';
  port: number;
  sender: string | null;
  codec: CodecName | null;
  /** Interarrival jitter, ms (RFC 3550 A.8). */
  jitterMs: number;
  digits: string;
}

export interface CallStats {
  id: string;
  source: VoipSource;
  callId: string;
  ref: ChannelRef;
  recordId: string | null;
  device: string;
  localNumber: string;
  remoteNumber: string;
  direction: 'in' | 'out' | 'unknown';
  startedAt: number;
  durationMs: number;
  paused: boolean;
  pausedMs: number;
  /** Digits received as telephone events, all streams. */
  digits: string;
  streams: StreamStats[];
  /** Set once the call ended: the reason given (or 'silence'). */
  endReason: string | null;
}

export interface VoipCall {
  /** Unique id of the call in the box (also the key of its status). */
  readonly id: string;
  readonly ref: ChannelRef;
  readonly start: Readonly<VoipCallStart>;
  /** Opens a UDP port for a stream; rejects with VoipMediaError 'ports' when the range is used up, 'closed' after close. */
  addStream(o: StreamOffer): Promise<{ port: number }>;
  /** Changes a stream's codecs, leg or sender (re-INVITE); its port stays. */
  updateStream(label: string, o: Partial<StreamOffer>): Promise<{ port: number }>;
  removeStream(label: string): void;
  pause(reason: string): void;
  resume(): void;
  update(change: Partial<VoipCallStart>): void;
  close(reason: string): Promise<void>;
  /** Resolves when the call ended, whoever ended it (the source, the silence timeout, shutdown). */
  readonly ended: Promise<string>;
  stats(): CallStats;
}

export interface VoipMedia {
  /** Opens a call; throws VoipMediaError 'capacity' past the licensed concurrency. */
  open(start: VoipCallStart): VoipCall;
  active(): VoipCall[];
  /** Licensed concurrent calls. */
  readonly capacity: number;
}

export type VoipMediaErrorCode = 'capacity' | 'ports' | 'closed' | 'bad-offer' | 'duplicate' | 'unknown-stream';

export class VoipMediaError extends Error {
  constructor(readonly code: VoipMediaErrorCode, message: string) {
    super(message);
    this.name = 'VoipMediaError';
  }
}
