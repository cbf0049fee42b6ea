/**
 * A channel's call state machine in voltage-controlled mode (压控): line
 * status, ring, digits and caller ID in; channel state and recording
 * decisions out. Pure: no I/O, time passed in with every event.
 */
import type { ChannelConfig, RecordingParams } from './channel-config.ts';
import type { CallType, ChannelState, StartMode, StopMode } from './call-types.ts';
import { LineClassifier, classifyVoltage, type LineClass } from './line-classifier.ts';

/** A ring burst followed by this much quiet ends the ringing (China cadence is 1 s on, 4 s off). */
export const RING_TIMEOUT_MS = 6000;
/** Caller ID received this long before ringing still belongs to the call. */
export const CALLER_ID_VALID_MS = 15000;
/** A call interrupted by a line-card fault resumes in a linked file if the card is back within this time. */
export const RESUME_WINDOW_MS = 60000;

export interface CallInfo {
  callId: string;
  type: 'incoming' | 'outgoing';
  remoteNumber: string;
  callerName: string;
  startedAt: number;
}

export type Decision =
  | { kind: 'state'; state: ChannelState; at: number }
  | { kind: 'start'; call: CallInfo; callType: CallType; part: number; startMode: StartMode; at: number }
  | { kind: 'stop'; stopMode: StopMode; keep: boolean; at: number }
  | { kind: 'update'; remoteNumber: string; callerName: string; at: number }
  | { kind: 'missed'; remoteNumber: string; callerName: string; ringStartedAt: number; ringEndedAt: number }
  | { kind: 'digits'; digits: string; at: number };

interface ActiveCall extends CallInfo {
  digits: string;
  lastDigitAt: number;
  collecting: boolean;
  /** Start of the current file, or null while not recording. */
  fileStartedAt: number | null;
  part: number;
  suspendedAt: number | null;
  /** The far end hung up (busy tone): nothing more is recorded until the line is on hook. */
  farEndCleared: boolean;
}

export class CallMachine {
  private readonly line = new LineClassifier();
  private reversed = false;
  private ring: { startedAt: number; lastRingAt: number } | null = null;
  private callerId: { number: string; name: string; at: number } | null = null;
  private call: ActiveCall | null = null;
  private state: ChannelState | null = null;
  private linkUp = true;

  constructor(
    readonly channel: number,
    private config: ChannelConfig,
    private params: RecordingParams,
  ) {}

  get channelState(): ChannelState {
    return this.state ?? 'idle';
  }

  get activeCall(): Readonly<CallInfo> | null {
    return this.call;
  }

  get recording(): boolean {
    return this.call?.fileStartedAt != null;
  }

  get polarityReversed(): boolean {
    return this.reversed;
  }

  onLineStatus(voltage: number, ringing: boolean, now: number): Decision[] {
    this.linkUp = true;
    const cls = classifyVoltage(voltage, this.config.offhookVoltage, this.config.disconnectVoltage);
    this.reversed = voltage < 0 && cls === 'offhook';
    const out: Decision[] = [];
    if (ringing && cls === 'onhook') {
      if (!this.ring) this.ring = { startedAt: now, lastRingAt: now };
      else this.ring.lastRingAt = now;
    }
    const changed = this.line.sample(cls, now);
    if (changed) this.onLineClass(changed, now, out);
    this.tickInto(now, out);
    return out;
  }

  onDigit(digit: string, now: number): Decision[] {
    const c = this.call;
    if (!c || c.type !== 'outgoing' || !c.collecting) return [];
    if (this.params.digitGapS > 0 && c.digits.length > 0 && now - c.lastDigitAt > this.params.digitGapS * 1000) {
      c.collecting = false;
      return [];
    }
    c.lastDigitAt = now;
    if (!this.params.keepStarHash && (digit === '*' || digit === '#')) return [];
    c.digits += digit;
    c.remoteNumber = c.digits;
    return [
      { kind: 'digits', digits: c.digits, at: now },
      { kind: 'update', remoteNumber: c.remoteNumber, callerName: c.callerName, at: now },
    ];
  }

  onCallerId(number: string, name: string, now: number): Decision[] {
    const c = this.call;
    if (c && c.type === 'incoming' && !c.remoteNumber) {
      c.remoteNumber = number;
      c.callerName = name;
      return [{ kind: 'update', remoteNumber: number, callerName: name, at: now }];
    }
    // Caller ID belongs to a call still to be answered: while a call is in progress,
    // A…C key presses or a second caller's data must not name a later call.
    if (!c) this.callerId = { number, name, at: now };
    return [];
  }

  /** Busy or congestion tone on a call: the far end has hung up, so the recording ends now. */
  onTone(tone: 'busy' | 'congestion' | 'ringback', now: number): Decision[] {
    const c = this.call;
    if (!c || tone === 'ringback' || c.fileStartedAt === null) return [];
    const out: Decision[] = [];
    this.stopFile('busy-tone', now, out);
    c.farEndCleared = true;
    return out;
  }

  /** The line card stopped answering: close the file, keep the call to resume it. */
  onLinkDown(now: number): Decision[] {
    this.linkUp = false;
    this.line.reset();
    const out: Decision[] = [];
    const c = this.call;
    if (c) {
      if (c.fileStartedAt !== null) this.stopFile('linecard-fault', now, out);
      c.suspendedAt = now;
    }
    return out;
  }

  /** Periodic evaluation of time-based rules (debounce, ring timeout, file length). */
  tick(now: number): Decision[] {
    const out: Decision[] = [];
    if (this.linkUp) {
      const changed = this.line.evaluate(now);
      if (changed) this.onLineClass(changed, now, out);
    }
    this.tickInto(now, out);
    return out;
  }

  configure(config: ChannelConfig, params: RecordingParams, now: number): Decision[] {
    const wasEnabled = this.config.recordingEnabled;
    this.config = config;
    this.params = params;
    const out: Decision[] = [];
    const c = this.call;
    if (c && wasEnabled && !config.recordingEnabled && c.fileStartedAt !== null) this.stopFile('switch-off', now, out);
    if (c && !wasEnabled && config.recordingEnabled && c.fileStartedAt === null && c.suspendedAt === null) {
      this.startFile(c, now, out);
    }
    return out;
  }

  /** The recorder is shutting down: close any open file. */
  shutdown(now: number): Decision[] {
    const out: Decision[] = [];
    if (this.call?.fileStartedAt != null) this.stopFile('shutdown', now, out);
    this.call = null;
    return out;
  }

  private onLineClass(cls: LineClass, now: number, out: Decision[]): void {
    const c = this.call;
    if (c?.suspendedAt != null) {
      c.suspendedAt = null;
      if (cls === 'offhook') this.startFile(c, now, out);
      else this.call = null;
      this.updateState(now, out);
      return;
    }
    if (cls === 'offhook') {
      if (!c) this.beginCall(now, out);
    } else if (c) {
      this.stopFile(cls === 'disconnected' ? 'disconnect' : 'hangup', now, out);
      this.call = null;
    }
    if (cls === 'disconnected') this.ring = null;
    this.updateState(now, out);
  }

  private beginCall(now: number, out: Decision[]): void {
    const ringing = this.ring !== null && now - this.ring.lastRingAt < RING_TIMEOUT_MS;
    const cid = ringing && this.callerId && now - this.callerId.at < CALLER_ID_VALID_MS + RING_TIMEOUT_MS * 4 ? this.callerId : null;
    const startedAt = ringing ? this.ring!.startedAt : now;
    this.ring = null;
    this.callerId = null;
    const call: ActiveCall = {
      callId: `${this.channel}-${now}`,
      type: ringing ? 'incoming' : 'outgoing',
      remoteNumber: cid?.number ?? '',
      callerName: cid?.name ?? '',
      startedAt,
      digits: '',
      lastDigitAt: now,
      collecting: !ringing,
      fileStartedAt: null,
      part: 0,
      suspendedAt: null,
      farEndCleared: false,
    };
    this.call = call;
    this.startFile(call, now, out);
  }

  private startFile(c: ActiveCall, now: number, out: Decision[]): void {
    if (!this.config.recordingEnabled || c.farEndCleared) return;
    c.part++;
    c.fileStartedAt = now;
    out.push({
      kind: 'start',
      call: { callId: c.callId, type: c.type, remoteNumber: c.remoteNumber, callerName: c.callerName, startedAt: c.startedAt },
      callType: c.type === 'incoming' ? 'incoming-answered' : 'outgoing',
      part: c.part,
      startMode: 'voltage',
      at: now,
    });
  }

  private stopFile(stopMode: StopMode, now: number, out: Decision[]): void {
    const c = this.call;
    if (!c || c.fileStartedAt === null) return;
    const lengthMs = now - c.fileStartedAt;
    // A continuation part is always kept: it belongs to a call already long enough.
    const keep = c.part > 1 || lengthMs >= this.params.minFileS * 1000;
    c.fileStartedAt = null;
    out.push({ kind: 'stop', stopMode, keep, at: now });
  }

  private tickInto(now: number, out: Decision[]): void {
    const r = this.ring;
    if (r && !this.call && now - r.lastRingAt >= RING_TIMEOUT_MS) {
      const cid = this.callerId;
      out.push({
        kind: 'missed',
        remoteNumber: cid?.number ?? '',
        callerName: cid?.name ?? '',
        ringStartedAt: r.startedAt,
        ringEndedAt: r.lastRingAt,
      });
      this.ring = null;
      this.callerId = null;
    }
    const c = this.call;
    if (c?.suspendedAt != null && now - c.suspendedAt > RESUME_WINDOW_MS) this.call = null;
    if (c && c.fileStartedAt !== null && now - c.fileStartedAt >= this.params.maxFileS * 1000) {
      this.stopFile('max-length', now, out);
      if (!this.params.stopAtMaxFile) this.startFile(c, now, out);
    }
    this.updateState(now, out);
  }

  private updateState(now: number, out: Decision[]): void {
    const cls = this.line.current;
    let state: ChannelState;
    if (this.call) state = this.call.type === 'incoming' ? 'incoming' : 'outgoing';
    else if (cls === 'disconnected') state = 'disconnected';
    else if (this.ring) state = 'incoming';
    else state = 'idle';
    if (state !== this.state && cls !== null) {
      this.state = state;
      out.push({ kind: 'state', state, at: now });
    }
  }
}
