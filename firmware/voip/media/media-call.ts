/**
 * A VoIP call being recorded (the implementation of `VoipCall`): its
 * streams, its recording session and its playout. Every 20 ms the media
 * layer advances the call's playout cursor to wall time minus the jitter
 * delay; each leg pulls exactly that many samples from its streams (silence
 * where none), so both legs of the recording advance together.
 */
import type { CallDirection, CallType, StartMode, StopMode } from '../../calls/call-types.ts';
import { STOP_MODE_LABEL } from '../../calls/call-types.ts';
import type { RecordingSession, SessionStart, SessionUpdate } from '../../recording/recorder.ts';
import { refKey, type ChannelRef } from '../../ports/channel-ref.ts';
import type { VoipOrigin } from '../../recording/record-entry.ts';
import { MediaStream } from './media-stream.ts';
import {
  VoipMediaError, type CallStats, type StreamOffer, type VoipCall, type VoipCallStart, type VoipParticipant,
} from './voip-call.ts';
import type { MediaContext } from './media-context.ts';

const SAMPLES_PER_MS = 8;

export function directionOfStart(d: VoipCallStart['direction']): CallDirection {
  return d === 'in' ? 'incoming' : d === 'out' ? 'outgoing' : 'unknown';
}

export function callTypeOf(d: VoipCallStart['direction']): CallType {
  return d === 'out' ? 'outgoing' : 'incoming-answered';
}

export function participantsText(p: readonly VoipParticipant[] | undefined): string {
  if (!p?.length) return '';
  return p
    .map((x) => [x.name, x.aor ? `<${x.aor}>` : '', x.role ? `(${x.role})` : ''].filter(Boolean).join(' '))
    .join('; ')
    .slice(0, 1000);
}

/**
 * The source identity a call's recording keeps: for SIPREC the dialog's
 * Call-ID and the metadata's session ids (`sip.callId`, `siprec.sessionId`,
 * `siprec.sipSessionId`), for phones the MAC and the phone's session id
 * (`phone.sessionId`, else what follows the MAC in the call id).
 */
export function originOf(s: Pick<VoipCallStart, 'source' | 'callId' | 'device' | 'participants' | 'metadata'>): VoipOrigin {
  const md = s.metadata ?? {};
  const phone = s.source === 'phone';
  return {
    source: s.source,
    sipCallId: phone ? '' : (md['sip.callId'] ?? s.callId),
    sessionId: phone ? (md['phone.sessionId'] ?? s.callId.slice(s.callId.indexOf('/') + 1)) : (md['siprec.sessionId'] ?? ''),
    sipSessionIds: md['siprec.sipSessionId'] ?? '',
    device: s.device ?? '',
    participants: (s.participants ?? []).map((p) => ({ aor: p.aor ?? '', name: p.name ?? '', role: p.role ?? '' })),
  };
}

/** A recording's start from a call's numbers, names and direction. */
export function sessionStartOf(
  s: Pick<VoipCallStart, 'direction' | 'localNumber' | 'localName' | 'remoteNumber' | 'remoteName' | 'at'>,
  callId: string,
  startMode: StartMode,
): SessionStart {
  return {
    callId: callId.slice(0, 128),
    part: 1,
    callType: callTypeOf(s.direction),
    direction: directionOfStart(s.direction),
    startMode,
    lineNumber: s.localNumber ?? '',
    localName: s.localName ?? '',
    remoteNumber: s.remoteNumber ?? '',
    callerName: s.remoteName ?? '',
    level: 'normal',
    at: s.at,
  };
}

/** The recording's stop mode for a reason given by a source. */
export function stopModeOf(reason: string): StopMode {
  return Object.hasOwn(STOP_MODE_LABEL, reason) ? (reason as StopMode) : 'hangup';
}

export class MediaCall implements VoipCall {
  readonly streams = new Map<string, MediaStream>();
  readonly key: string;
  readonly legs: 1 | 2;
  private session: RecordingSession | null;
  /** Id of the call's recording (null when it could not be opened). */
  readonly recordId: string | null;
  /** Output position (samples since `t0`) up to which every leg was written. */
  private written = 0;
  private pausedSince: number | null = null;
  private pausedMs = 0;
  private lastPacketAt: number;
  private closing: Promise<void> | null = null;
  private endReason: string | null = null;
  private resolveEnded!: (reason: string) => void;
  readonly ended: Promise<string>;
  readonly start: VoipCallStart;

  constructor(
    readonly id: string,
    readonly ref: ChannelRef,
    start: VoipCallStart,
    private readonly ctx: MediaContext,
    /** Wall time of output position 0 (moved with the clock when it is set by hand). */
    private t0: number,
  ) {
    this.start = { ...start };
    this.key = refKey(ref);
    this.legs = start.legs ?? (start.source === 'phone' ? 1 : 2);
    this.lastPacketAt = t0;
    this.ended = new Promise((r) => (this.resolveEnded = r));
    this.session = ctx.recorder.open(ref, {
      ...sessionStartOf(start, `${start.source}:${start.callId}`, 'signalling'),
      participants: participantsText(start.participants),
      voip: originOf(start),
      legs: this.legs,
      layout: ctx.layout(),
    });
    this.recordId = this.session.entry.id;
    this.publishState(true);
  }

  get closed(): boolean {
    return this.closing !== null;
  }

  /** The wall clock was stepped by `stepMs`: the call's timeline moves with it (no gap, no overlap, no silence timeout). */
  shiftTime(stepMs: number): void {
    this.t0 += stepMs;
    this.lastPacketAt += stepMs;
    if (this.pausedSince !== null) this.pausedSince += stepMs;
  }

  /** Output position of wall time `now`. */
  posOf(now: number): number {
    return Math.floor((now - this.t0) * SAMPLES_PER_MS);
  }

  async addStream(o: StreamOffer): Promise<{ port: number }> {
    if (this.closing) throw new VoipMediaError('closed', `call ${this.id} is closed`);
    checkOffer(o);
    if (this.streams.has(o.label)) throw new VoipMediaError('duplicate', `stream '${o.label}' already offered`);
    const stream = new MediaStream(o, this.ctx.delaySamples(), this.written);
    this.streams.set(o.label, stream);
    try {
      const { socket, port } = await this.ctx.ports.open((msg, rinfo) => this.onDatagram(stream, msg, rinfo.address, rinfo.port));
      stream.socket = socket;
      stream.port = port;
    } catch (e) {
      this.streams.delete(o.label);
      stream.removed = true;
      throw new VoipMediaError('ports', (e as Error).message);
    }
    if (this.closing || this.streams.get(o.label) !== stream) {
      // Closed or removed while the port was being bound.
      await this.ctx.ports.close(stream.socket, stream.port);
      throw new VoipMediaError('closed', `call ${this.id} is closed`);
    }
    return { port: stream.port };
  }

  async updateStream(label: string, o: Partial<StreamOffer>): Promise<{ port: number }> {
    const s = this.streams.get(label);
    if (!s) throw new VoipMediaError('unknown-stream', `no stream '${label}'`);
    const next = { ...s.offer, ...o, label };
    checkOffer(next);
    s.reoffer(next);
    return { port: s.port };
  }

  removeStream(label: string): void {
    const s = this.streams.get(label);
    if (!s) return;
    this.streams.delete(label);
    s.removed = true;
    if (s.socket) void this.ctx.ports.close(s.socket, s.port);
  }

  pause(reason: string): void {
    if (this.pausedSince !== null || this.closing) return;
    this.pausedSince = this.ctx.now();
    this.ctx.log.info({ call: this.id, reason }, 'voip recording paused');
  }

  resume(): void {
    if (this.pausedSince === null) return;
    const now = this.ctx.now();
    this.pausedMs += now - this.pausedSince;
    this.pausedSince = null;
    this.lastPacketAt = now;
  }

  update(change: Partial<VoipCallStart>): void {
    if (this.closing) return;
    Object.assign(this.start, definedOf(change));
    const u: SessionUpdate = {};
    if (change.localNumber !== undefined) u.lineNumber = change.localNumber;
    if (change.localName !== undefined) u.localName = change.localName;
    if (change.remoteNumber !== undefined) u.remoteNumber = change.remoteNumber;
    if (change.remoteName !== undefined) u.callerName = change.remoteName;
    if (change.participants !== undefined) u.participants = participantsText(change.participants);
    if (change.participants !== undefined || change.metadata !== undefined || change.device !== undefined) u.voip = originOf(this.start);
    if (change.direction !== undefined) {
      u.direction = directionOfStart(change.direction);
      u.callType = callTypeOf(change.direction);
    }
    this.session?.update(u);
    this.publishState(true);
  }

  private onDatagram(s: MediaStream, msg: Buffer, address: string, port: number): void {
    if (this.closing !== null || s.removed) return;
    if (!s.accepts(address, port)) {
      s.rtp.counters.foreign++;
      return;
    }
    const now = this.ctx.now();
    this.lastPacketAt = now;
    // Paused, the stream still follows the packets (no loss counted); the playout records silence.
    s.rtp.receive(msg, this.posOf(now));
  }

  /** Plays out up to wall time `now` minus the jitter delay; ends the call after the silence timeout. */
  tick(now: number, scratch: Int16Array[]): void {
    if (this.closing) return;
    const target = this.posOf(now) - this.ctx.delaySamples();
    if (target > this.written) this.playout(target, now, scratch);
    const timeout = this.ctx.silenceTimeoutMs();
    if (this.pausedSince === null && timeout > 0 && now - this.lastPacketAt >= timeout) void this.close('silence');
  }

  private playout(target: number, now: number, scratch: Int16Array[]): void {
    const n = target - this.written;
    const [mixA, mixB, tmp] = scratch as [Int16Array, Int16Array, Int16Array];
    if (mixA.length < n) {
      // A long stall (the process was busy): write what is due in blocks.
      const step = mixA.length;
      for (let t = this.written + step; this.written < target; t = Math.min(target, t + step)) this.playout(t, now, scratch);
      return;
    }
    // Each leg is mixA / mixB from index 0 to n. The first stream of a leg plays straight into it; others are mixed in.
    const a = mixA;
    const b = mixB;
    let filledA = false;
    let filledB = false;
    for (const s of this.streams.values()) {
      const toB = this.legs === 2 && s.offer.leg === 1;
      const dst = toB ? b : a;
      if (!(toB ? filledB : filledA)) {
        const got = s.rtp.pull(target, dst);
        if (got < n) dst.fill(0, got, n);
        if (toB) filledB = true;
        else filledA = true;
        continue;
      }
      const got = s.rtp.pull(target, tmp);
      for (let i = 0; i < got; i++) {
        const v = dst[i]! + tmp[i]!;
        dst[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
    if (!filledA || this.pausedSince !== null) a.fill(0, 0, n);
    if (this.legs === 2 && (!filledB || this.pausedSince !== null)) b.fill(0, 0, n);
    const at = this.t0 + this.written / SAMPLES_PER_MS;
    this.written = target;
    const session = this.session;
    if (session) {
      session.writePcm(0, a, n, now);
      if (this.legs === 2) session.writePcm(1, b, n, now);
    }
    const tap = this.ctx.tap;
    if (tap.listening(this.key)) {
      tap.publish(this.key, this.ref, 0, at, a.subarray(0, n), 8000);
      if (this.legs === 2) tap.publish(this.key, this.ref, 1, at, b.subarray(0, n), 8000);
    }
  }

  close(reason: string): Promise<void> {
    if (this.closing) return this.closing;
    this.endReason = reason;
    const now = this.ctx.now();
    if (this.pausedSince !== null) this.resume();
    const sockets = [...this.streams.values()];
    this.closing = (async () => {
      try {
        const min = this.ctx.minDurationMs();
        const session = this.session;
        this.session = null;
        const duration = session?.durationMs ?? 0;
        session?.close(stopModeOf(reason), duration > 0 && duration >= min, now);
      } catch (e) {
        this.ctx.log.error({ call: this.id, err: (e as Error).message }, 'closing a voip recording failed');
      } finally {
        await Promise.all(sockets.map((s) => (s.socket ? this.ctx.ports.close(s.socket, s.port) : undefined)));
        this.ctx.closed(this);
        this.publishState(false);
        this.resolveEnded(reason);
      }
    })();
    return this.closing;
  }

  stats(): CallStats {
    const now = this.ctx.now();
    const streams = [...this.streams.values()].map((s) => s.stats());
    return {
      id: this.id,
      source: this.start.source,
      callId: this.start.callId,
      ref: { ...this.ref },
      recordId: this.recordId,
      device: this.start.device ?? '',
      localNumber: this.start.localNumber ?? '',
      remoteNumber: this.start.remoteNumber ?? '',
      direction: this.start.direction,
      startedAt: this.start.at,
      durationMs: Math.max(0, now - this.t0),
      paused: this.pausedSince !== null,
      pausedMs: this.pausedMs + (this.pausedSince !== null ? now - this.pausedSince : 0),
      digits: streams.map((s) => s.digits).join(''),
      streams,
      endReason: this.endReason,
    };
  }

  private publishState(active: boolean): void {
    const events = this.ctx.events;
    if (!events.wants('channel.state')) return;
    events.publish({
      type: 'channel.state',
      ref: { ...this.ref },
      state: !active ? 'idle' : this.start.direction === 'out' ? 'outgoing' : 'incoming',
      voltage: 0,
      ringing: false,
      polarityReversed: false,
      remoteNumber: this.start.remoteNumber ?? '',
      callerName: this.start.remoteName ?? '',
      recording: active && this.session !== null,
      at: this.ctx.now(),
    });
  }
}

function checkOffer(o: StreamOffer): void {
  if (typeof o.label !== 'string' || !o.label || o.label.length > 64) throw new VoipMediaError('bad-offer', 'a stream needs a label');
  if (o.leg !== 0 && o.leg !== 1 && o.leg !== 'mixed') throw new VoipMediaError('bad-offer', `stream '${o.label}': leg must be 0, 1 or 'mixed'`);
  if (!Array.isArray(o.codecs) || !o.codecs.some((c) => c.name !== 'telephone-event')) {
    throw new VoipMediaError('bad-offer', `stream '${o.label}': no audio codec the recorder knows (PCMA, PCMU, G722)`);
  }
  for (const c of o.codecs) {
    if (!Number.isInteger(c.pt) || c.pt < 0 || c.pt > 127) throw new VoipMediaError('bad-offer', `stream '${o.label}': payload type ${c.pt}`);
  }
}

function definedOf<T extends object>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}
