/**
 * A channel's call state machine: line status, ring, digits, caller ID,
 * tones and voice activity in; channel state and recording decisions out.
 * Pure: no I/O, time passed in with every event.
 *
 * Calls are followed the same way in every control mode (控制方式); the mode
 * only decides when a file is open:
 * - voltage (压控): from off-hook to hang-up;
 * - polarity (反极控): while the line's polarity is reversed during a call (the far end answered);
 * - dtmf (码控): from the start key to the stop key during a call;
 * - ring (铃流控): incoming calls from the first ring to hang-up; unanswered ones are kept as missed;
 * - voice (声控): while there is sound on the line, ended by the channel's silence duration;
 * - continuous (持续录音): whenever the line is connected, in files of the maximum length;
 * and forced recording (强制录音) opens a file at once whatever the mode.
 */
import type { ChannelConfig, RecordingParams } from './channel-config.ts';
import type { CallType, ChannelState, StartMode, StopMode } from './call-types.ts';
import type { CallInfo, Decision } from './call-decisions.ts';
import { FileControl } from './file-control.ts';
import { LineClassifier, classifyVoltage, type LineClass } from './line-classifier.ts';

export type { CallInfo, Decision } from './call-decisions.ts';

/** A ring burst followed by this much quiet ends the ringing (China cadence is 1 s on, 4 s off). */
export const RING_TIMEOUT_MS = 6000;
/** Caller ID received this long before ringing still belongs to the call. */
export const CALLER_ID_VALID_MS = 15000;
/** A call interrupted by a line-card fault resumes in a linked file if the card is back within this time. */
export const RESUME_WINDOW_MS = 60000;

interface ActiveCall extends CallInfo {
  type: 'incoming' | 'outgoing';
  answered: boolean;
  digits: string;
  /** When the last key was pressed (stripped `*` and `#` included); null before the first. */
  lastDigitAt: number | null;
  collecting: boolean;
  suspendedAt: number | null;
  /** The far end hung up (busy tone): nothing more is recorded for this call. */
  farEndCleared: boolean;
  /** Its file reached the maximum length with 到达最长录音文件停止录音 set: not reopened by the mode. */
  maxReached: boolean;
}

export class CallMachine {
  private readonly line = new LineClassifier();
  private readonly files: FileControl;
  private reversed = false;
  private ring: { startedAt: number; lastRingAt: number } | null = null;
  private callerId: { number: string; name: string; at: number } | null = null;
  private call: ActiveCall | null = null;
  private state: ChannelState | null = null;
  private linkUp = true;
  private forced = false;

  constructor(
    readonly channel: number,
    private config: ChannelConfig,
    private params: RecordingParams,
  ) {
    this.files = new FileControl(params);
  }

  /**
   * The wall clock was stepped by `stepMs` (set by hand): every time the
   * machine holds moves with it, so ring timeouts, digit gaps, debounces and
   * file lengths keep their elapsed time and nothing fires or stalls because
   * of the step.
   */
  shiftTime(stepMs: number): void {
    this.line.shiftTime(stepMs);
    this.files.shiftTime(stepMs);
    if (this.ring) {
      this.ring.startedAt += stepMs;
      this.ring.lastRingAt += stepMs;
    }
    if (this.callerId) this.callerId.at += stepMs;
    const c = this.call;
    if (c) {
      c.startedAt += stepMs;
      if (c.lastDigitAt !== null) c.lastDigitAt += stepMs;
      if (c.suspendedAt !== null) c.suspendedAt += stepMs;
    }
  }

  get channelState(): ChannelState {
    return this.state ?? 'idle';
  }

  get activeCall(): Readonly<CallInfo> | null {
    return this.call;
  }

  /** Caller ID received while the line rings, before the call is answered (it names the call that follows). */
  get ringingCallerId(): { number: string; name: string } | null {
    return !this.call && this.callerId ? { number: this.callerId.number, name: this.callerId.name } : null;
  }

  get recording(): boolean {
    return this.files.current !== null;
  }

  get recordingMode(): StartMode | null {
    return this.files.current?.startMode ?? null;
  }

  get polarityReversed(): boolean {
    return this.reversed;
  }

  get forcedRecording(): boolean {
    return this.forced;
  }

  onLineStatus(voltage: number, ringing: boolean, now: number): Decision[] {
    this.linkUp = true;
    const out: Decision[] = [];
    const cls = classifyVoltage(voltage, this.config.offhookVoltage, this.config.disconnectVoltage);
    if (ringing && cls === 'onhook') {
      if (this.ring) this.ring.lastRingAt = now;
      else {
        this.ring = { startedAt: now, lastRingAt: now };
        if (this.config.controlMode === 'ring' && !this.call) this.beginCall('incoming', now, out);
      }
    }
    const changed = this.line.sample(cls, now);
    if (changed) this.onLineClass(changed, now, out);
    const reversed = voltage < 0 && this.line.current === 'offhook';
    if (reversed !== this.reversed) {
      this.reversed = reversed;
      this.onPolarity(now, out);
    }
    this.tickInto(now, out);
    return out;
  }

  onDigit(digit: string, now: number): Decision[] {
    const c = this.call;
    if (!c) return [];
    const out: Decision[] = [];
    if (this.config.controlMode === 'dtmf' && (digit === this.params.startKey || digit === this.params.stopKey)) {
      // The start and stop keys control recording; they are not part of the number.
      // A start key pressed again is a new request to record, even after the maximum length stopped it.
      if (digit === this.params.startKey) {
        c.maxReached = false;
        this.openForCall(c, 'dtmf', now, out);
      } else if (this.recordingMode === 'dtmf') this.files.close('dtmf', now, out);
      return out;
    }
    if (c.type !== 'outgoing' || !c.collecting) return out;
    // 停止收号间隔时间: once a key has been pressed, a gap longer than this ends the number for good.
    const gapMs = this.params.digitGapS * 1000;
    if (gapMs > 0 && c.lastDigitAt !== null && now - c.lastDigitAt > gapMs) {
      c.collecting = false;
      return out;
    }
    c.lastDigitAt = now;
    // 呼出号码全显: '*' and '#' are part of the number only when it is set.
    if (!this.params.keepStarHash && (digit === '*' || digit === '#')) return out;
    c.digits += digit;
    out.push({ kind: 'digits', digits: c.digits, at: now });
    this.setNumbers(c, c.digits, c.callerName, now, out);
    return out;
  }

  onCallerId(number: string, name: string, now: number): Decision[] {
    const c = this.call;
    const out: Decision[] = [];
    if (c && c.type === 'incoming' && !c.remoteNumber) this.setNumbers(c, number, name, now, out);
    // While a call is in progress, A…C key presses or a second caller's data must not name a later call.
    else if (!c) this.callerId = { number, name, at: now };
    return out;
  }

  /** Busy or congestion tone on a call: the far end has hung up, so the call's recording ends now. */
  onTone(tone: 'busy' | 'congestion' | 'ringback', now: number): Decision[] {
    const c = this.call;
    if (!c || tone === 'ringback' || !this.files.current?.forCall) return [];
    const out: Decision[] = [];
    this.files.close('busy-tone', now, out);
    c.farEndCleared = true;
    return out;
  }

  /** Sound on the line started or ended (voice control, 声控). */
  onVoice(active: boolean, now: number): Decision[] {
    if (this.config.controlMode !== 'voice') return [];
    const out: Decision[] = [];
    if (active) this.openForLine('voice', now, out);
    else if (this.recordingMode === 'voice') this.files.close('silence', now, out);
    return out;
  }

  /** Forced recording (强制录音) on or off, from the status page or the console. */
  setForced(on: boolean, now: number): Decision[] {
    const out: Decision[] = [];
    this.forced = on;
    if (on && this.recordingMode !== 'forced') {
      this.files.close('manual', now, out);
      this.openForLine('forced', now, out);
    } else if (!on && this.recordingMode === 'forced') {
      this.files.close('manual', now, out);
      this.applyMode(now, out);
    }
    return out;
  }

  /** The line card stopped answering: close the file, keep the call to resume it. */
  onLinkDown(now: number): Decision[] {
    this.linkUp = false;
    this.line.reset();
    const out: Decision[] = [];
    this.files.close('linecard-fault', now, out);
    if (this.call) this.call.suspendedAt = now;
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
    const before = this.config;
    this.config = config;
    this.params = params;
    this.files.setParams(params);
    const out: Decision[] = [];
    const f = this.files.current;
    if (f && f.startMode !== 'forced' && (!config.recordingEnabled || config.controlMode !== before.controlMode)) {
      this.files.close('switch-off', now, out);
    }
    this.applyMode(now, out);
    return out;
  }

  /** The recorder is shutting down: close any open file. */
  shutdown(now: number): Decision[] {
    const out: Decision[] = [];
    this.files.close('shutdown', now, out);
    this.call = null;
    return out;
  }

  private onLineClass(cls: LineClass, now: number, out: Decision[]): void {
    const c = this.call;
    if (c?.suspendedAt != null) {
      c.suspendedAt = null;
      if (cls === 'offhook') {
        if (!this.files.resume(c.callId, RESUME_WINDOW_MS, now, out)) this.applyMode(now, out);
      } else this.call = null;
    } else if (cls === 'offhook') {
      if (!c) this.beginCall(this.ringing(now) ? 'incoming' : 'outgoing', now, out);
      if (this.call?.type === 'incoming') this.call.answered = true;
      this.ring = null;
    } else if (c) {
      this.endCall(cls === 'disconnected' ? 'disconnect' : 'hangup', now, out);
    }
    if (cls === 'disconnected') this.ring = null;
    if (this.config.controlMode === 'continuous') {
      if (cls === 'disconnected') {
        if (this.recordingMode === 'continuous') this.files.close('disconnect', now, out);
      } else this.openForLine('continuous', now, out);
    }
    this.updateState(now, out);
  }

  private ringing(now: number): boolean {
    return this.ring !== null && now - this.ring.lastRingAt < RING_TIMEOUT_MS;
  }

  private beginCall(type: 'incoming' | 'outgoing', now: number, out: Decision[]): void {
    const cid = type === 'incoming' && this.callerId && now - this.callerId.at < CALLER_ID_VALID_MS + RING_TIMEOUT_MS * 4 ? this.callerId : null;
    this.callerId = null;
    this.call = {
      callId: `${this.channel}-${now}`,
      type,
      remoteNumber: cid?.number ?? '',
      callerName: cid?.name ?? '',
      startedAt: type === 'incoming' && this.ring ? this.ring.startedAt : now,
      answered: false,
      digits: '',
      lastDigitAt: null,
      collecting: type === 'outgoing',
      suspendedAt: null,
      farEndCleared: false,
      maxReached: false,
    };
    this.applyMode(now, out);
  }

  private endCall(stopMode: StopMode, now: number, out: Decision[]): void {
    if (this.files.current?.forCall) this.files.close(stopMode, now, out);
    this.call = null;
  }

  /** Opens the file the mode calls for now, if it is not open already. */
  private applyMode(now: number, out: Decision[]): void {
    if (this.forced) return this.openForLine('forced', now, out);
    const c = this.call;
    switch (this.config.controlMode) {
      case 'voltage':
        if (c && this.line.current === 'offhook') this.openForCall(c, 'voltage', now, out);
        return;
      case 'polarity':
        if (c && this.reversed) this.openForCall(c, 'polarity', now, out);
        return;
      case 'ring':
        if (c?.type === 'incoming') this.openForCall(c, 'ring', now, out);
        return;
      case 'continuous':
        if (this.line.current !== null && this.line.current !== 'disconnected') this.openForLine('continuous', now, out);
        return;
      case 'dtmf':
      case 'voice':
        return; // opened by the start key or by sound
    }
  }

  private onPolarity(now: number, out: Decision[]): void {
    if (this.config.controlMode !== 'polarity' || !this.call) return;
    if (this.reversed) this.openForCall(this.call, 'polarity', now, out);
    else if (this.recordingMode === 'polarity') this.files.close('polarity', now, out);
  }

  private openForCall(c: ActiveCall, startMode: StartMode, now: number, out: Decision[]): void {
    if (!this.config.recordingEnabled || c.farEndCleared || c.maxReached || c.suspendedAt !== null) return;
    const callType: CallType = c.type === 'incoming' ? 'incoming-answered' : 'outgoing';
    const info: CallInfo = { callId: c.callId, type: c.type, remoteNumber: c.remoteNumber, callerName: c.callerName, startedAt: c.startedAt };
    this.files.open(info, callType, startMode, true, now, out);
  }

  /** A file for the line rather than a call (continuous, voice, forced); it takes the call's numbers if there is one. */
  private openForLine(startMode: StartMode, now: number, out: Decision[]): void {
    if (this.files.current || (startMode !== 'forced' && !this.config.recordingEnabled)) return;
    const c = this.call;
    const info: CallInfo = {
      callId: `${this.channel}-${now}`,
      type: c?.type ?? 'none',
      remoteNumber: c?.remoteNumber ?? '',
      callerName: c?.callerName ?? '',
      startedAt: now,
    };
    const callType: CallType = !c ? 'idle' : c.type === 'incoming' ? 'incoming-answered' : 'outgoing';
    this.files.open(info, callType, startMode, false, now, out);
  }

  private setNumbers(c: ActiveCall, remoteNumber: string, callerName: string, now: number, out: Decision[]): void {
    c.remoteNumber = remoteNumber;
    c.callerName = callerName;
    if (!this.files.current) return;
    this.files.updateNumbers(remoteNumber, callerName);
    out.push({ kind: 'update', remoteNumber, callerName, at: now });
  }

  private tickInto(now: number, out: Decision[]): void {
    const r = this.ring;
    if (r && now - r.lastRingAt >= RING_TIMEOUT_MS && !this.call?.answered) {
      const c = this.call;
      if (c && this.files.current?.forCall) this.files.close('ring-timeout', now, out, 'incoming-missed');
      else {
        out.push({
          kind: 'missed',
          remoteNumber: c ? c.remoteNumber : (this.callerId?.number ?? ''),
          callerName: c ? c.callerName : (this.callerId?.name ?? ''),
          ringStartedAt: r.startedAt,
          ringEndedAt: r.lastRingAt,
        });
      }
      if (c) this.call = null;
      this.ring = null;
      this.callerId = null;
    }
    const c = this.call;
    if (c?.suspendedAt != null && now - c.suspendedAt > RESUME_WINDOW_MS) this.call = null;
    const stopped = this.files.checkLength(now, out, this.config.controlMode === 'continuous');
    if (stopped?.forCall && this.call) this.call.maxReached = true;
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
