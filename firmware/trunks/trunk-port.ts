/**
 * One tapped E1 port in the daemon: its 20 ms blocks (both sides, 32
 * timeslots) are split into TS16, which goes to the port's signalling tap
 * (PRI or China No.1), and the voice timeslots. The tap's events drive each
 * timeslot (idle → seized → alerting → talking → idle): a call on a recorded
 * timeslot opens a two-leg recording at seizure (side a → leg 0, side b →
 * leg 1), takes the numbers as they come, and is closed when the call clears
 * — answered or not, with the clearing cause. E1_STATUS reports become port
 * alarms (LOS, AIS, loss of frame or multiframe alignment, remote alarm) and
 * port status events; a D-channel or CAS alignment lost on a side raises a
 * signalling alarm. Live listeners get both directions of a timeslot.
 */
import type { TrunkEvent, TrunkSide, NumberInfo } from '../e1/trunk-events.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { AudioTap } from '../events/audio-tap.ts';
import type { ChannelConfig, RecordingParams } from '../calls/channel-config.ts';
import type { CallDirection, CallType, StopMode } from '../calls/call-types.ts';
import type { Recorder, RecordingSession } from '../recording/recorder.ts';
import type { ChannelRef } from '../ports/channel-ref.ts';
import { ALAW_SILENCE, alawDecode } from '../dsp/g711.ts';
import { E1Alarm, E1_BLOCK_FRAMES, type E1StatusEntry } from '../linecard/messages.ts';
import type { E1Block } from '../linecard/e1-block-assembler.ts';
import { E1_VOICE_TIMESLOTS, parseTimeslotRanges, type E1PortConfig } from '../settings/e1-port-settings.ts';
import type { TrunkTap, TrunkTapFactory } from './trunk-tap.ts';
import { TrunkTimeslot, type TimeslotCall } from './trunk-timeslot.ts';

export const E1_ALARM_NAMES: ReadonlyArray<[bit: number, name: E1AlarmName]> = [
  [E1Alarm.Los, 'los'], [E1Alarm.Ais, 'ais'], [E1Alarm.Lof, 'lof'], [E1Alarm.Lomf, 'lomf'], [E1Alarm.Rai, 'rai'],
];
export type E1AlarmName = 'los' | 'ais' | 'lof' | 'lomf' | 'rai';

const ALARM_TEXT: Record<E1AlarmName, string> = {
  los: 'loss of signal',
  ais: 'alarm indication signal (all ones)',
  lof: 'loss of frame alignment',
  lomf: 'loss of multiframe alignment',
  rai: 'remote alarm indication',
};

const SILENCE = new Uint8Array(E1_BLOCK_FRAMES).fill(ALAW_SILENCE);

export interface TrunkSideStatus {
  alarms: E1AlarmName[];
  slips: number;
  crc4Errors: number;
  /** D-channel (PRI) or CAS multiframe alignment: null until the tap has said. */
  signalling: 'up' | 'down' | null;
}

export interface TrunkPortStatus {
  port: number;
  config: E1PortConfig;
  /** Up: enabled, no alarm on either side, signalling not down. */
  state: 'disabled' | 'up' | 'alarm';
  sides: { a: TrunkSideStatus; b: TrunkSideStatus };
  activeCalls: number;
  recordings: number;
  blocks: number;
  lostBlocks: number;
  tap: object;
}

export interface TrunkPortDeps {
  recorder: Pick<Recorder, 'open'>;
  alarms: AlarmList;
  events?: EventBus;
  audio?: AudioTap;
  createTap: TrunkTapFactory;
  /** A timeslot's channel parameters (name, recording switch, level). */
  channelConfig: (ref: ChannelRef) => ChannelConfig;
  /** The recording page's rules (minimum and maximum file length). */
  recording: () => Readonly<RecordingParams>;
}

const SIDES: readonly TrunkSide[] = ['a', 'b'];

export class TrunkPort {
  readonly timeslots: TrunkTimeslot[];
  private config: E1PortConfig;
  private recorded = new Set<number>();
  private tap: TrunkTap;
  private readonly sides: Record<TrunkSide, TrunkSideStatus> = {
    a: { alarms: [], slips: 0, crc4Errors: 0, signalling: null },
    b: { alarms: [], slips: 0, crc4Errors: 0, signalling: null },
  };
  private readonly alarmBits = { a: 0, b: 0 };
  private blocks = 0;
  private lostBlocks = 0;
  private readonly pcm = new Int16Array(E1_BLOCK_FRAMES);

  constructor(
    readonly port: number,
    config: E1PortConfig,
    private readonly deps: TrunkPortDeps,
  ) {
    this.config = config;
    this.recorded = new Set(parseTimeslotRanges(config.timeslots) ?? []);
    this.tap = deps.createTap(config.signalling);
    this.timeslots = E1_VOICE_TIMESLOTS.map((ts) => new TrunkTimeslot(port, ts, this));
  }

  get events(): EventBus | undefined {
    return this.deps.events;
  }

  channelConfigOf(ref: ChannelRef): ChannelConfig {
    return this.deps.channelConfig(ref);
  }

  get settings(): Readonly<E1PortConfig> {
    return this.config;
  }

  ref(timeslot: number): ChannelRef {
    return { portType: 'e1', port: this.port, channel: timeslot };
  }

  timeslot(ts: number): TrunkTimeslot | undefined {
    return this.timeslots.find((t) => t.timeslot === ts);
  }

  /** Whether calls on this timeslot are recorded now. */
  records(ts: number): boolean {
    return this.config.enabled && this.recorded.has(ts) && this.deps.channelConfig(this.ref(ts)).recordingEnabled;
  }

  /** Whether the port carries calls: enabled, no line alarm, signalling not down. */
  get up(): boolean {
    return this.config.enabled && this.alarmBits.a === 0 && this.alarmBits.b === 0 && this.sides.a.signalling !== 'down' && this.sides.b.signalling !== 'down';
  }

  status(): TrunkPortStatus {
    const calls = this.timeslots.filter((t) => t.call !== null);
    return {
      port: this.port,
      config: { ...this.config },
      state: !this.config.enabled ? 'disabled' : this.up ? 'up' : 'alarm',
      sides: { a: { ...this.sides.a, alarms: [...this.sides.a.alarms] }, b: { ...this.sides.b, alarms: [...this.sides.b.alarms] } },
      activeCalls: calls.length,
      recordings: calls.filter((t) => t.call!.session !== null).length,
      blocks: this.blocks,
      lostBlocks: this.lostBlocks,
      tap: this.tap.stats(),
    };
  }

  /** New settings: calls the change stops recording are closed ('switch-off'); a new signalling starts a new tap. */
  configure(config: E1PortConfig, now: number): void {
    const before = this.config;
    this.config = config;
    this.recorded = new Set(parseTimeslotRanges(config.timeslots) ?? []);
    if (before.signalling !== config.signalling || (before.enabled && !config.enabled)) {
      for (const t of this.timeslots) this.endCall(t, 'switch-off', now);
      this.tap = this.deps.createTap(config.signalling);
      this.sides.a.signalling = this.sides.b.signalling = null;
      this.deps.alarms.clear(this.alarmId('signalling'), now);
    }
    if (!config.enabled) for (const [, name] of E1_ALARM_NAMES) this.deps.alarms.clear(this.alarmId(name), now);
    for (const t of this.timeslots) {
      if (t.call?.session && !this.records(t.timeslot)) {
        t.call.session.close('switch-off', true, now);
        t.call.session = null;
      }
      t.changed(now);
    }
    this.publishPort(now);
  }

  /** A timeslot's channel parameters changed (recording switch). */
  channelChanged(ts: number, now: number): void {
    const t = this.timeslot(ts);
    if (t?.call?.session && !this.records(ts)) {
      t.call.session.close('switch-off', true, now);
      t.call.session = null;
      t.changed(now);
    }
  }

  onBlock(block: E1Block, now: number): void {
    if (!this.config.enabled) return;
    this.blocks++;
    if (block.missing) {
      this.lostBlocks += block.missing;
      for (const t of this.timeslots) {
        const s = t.call?.session;
        if (s) for (let k = 0; k < block.missing; k++) {
          s.write(0, SILENCE, 'alaw', now);
          s.write(1, SILENCE, 'alaw', now);
        }
      }
    }
    const [a, b] = block.slots;
    const a16 = a[16];
    const b16 = b[16];
    if (a16) this.handle(this.tap.pushTs16('a', a16, now), now);
    if (b16) this.handle(this.tap.pushTs16('b', b16, now), now);
    const audio = this.deps.audio;
    for (const t of this.timeslots) {
      const ts = t.timeslot;
      const call = t.call;
      const listening = audio?.listening(t.key) ?? false;
      if (!call && !listening) continue;
      const va = a[ts] ?? SILENCE;
      const vb = b[ts] ?? SILENCE;
      if (call && this.tap.wantsVoice && call.answeredAt === null) {
        this.handle(this.tap.pushVoice('a', ts, va, now), now);
        this.handle(this.tap.pushVoice('b', ts, vb, now), now);
      }
      const s = t.call?.session;
      if (s) {
        s.write(0, va, 'alaw', now);
        s.write(1, vb, 'alaw', now);
      }
      if (listening) {
        const blockStart = now - 20;
        audio!.publish(t.key, t.ref, 0, blockStart, alawDecode(va, this.pcm));
        audio!.publish(t.key, t.ref, 1, blockStart, alawDecode(vb, this.pcm));
      }
    }
  }

  /** Alarms and counters of one side, as the card reports them. */
  onStatus(e: E1StatusEntry, now: number): void {
    const side: TrunkSide = e.side === 0 ? 'a' : 'b';
    const s = this.sides[side];
    const changed = this.alarmBits[side] !== e.alarms || s.slips !== e.slips || s.crc4Errors !== e.crc4Errors;
    this.alarmBits[side] = e.alarms;
    s.alarms = E1_ALARM_NAMES.filter(([bit]) => e.alarms & bit).map(([, name]) => name);
    s.slips = e.slips;
    s.crc4Errors = e.crc4Errors;
    if (!changed) return;
    if (this.config.enabled) {
      for (const [bit, name] of E1_ALARM_NAMES) {
        const on = SIDES.filter((x) => this.alarmBits[x] & bit);
        if (on.length) {
          this.deps.alarms.raise(this.alarmId(name), name === 'rai' ? 'minor' : 'major', 'channel', `E1 port ${this.port}: ${ALARM_TEXT[name]} on side ${on.join(' and ')}`, now);
        } else this.deps.alarms.clear(this.alarmId(name), now);
      }
    }
    for (const t of this.timeslots) t.changed(now);
    this.publishPort(now);
  }

  tick(now: number): void {
    if (!this.config.enabled) return;
    this.handle(this.tap.tick(now), now);
    const max = this.deps.recording();
    for (const t of this.timeslots) {
      const s = t.call?.session;
      if (!s || s.durationMs < max.maxFileS * 1000) continue;
      s.close('max-length', true, now);
      t.call!.session = max.stopAtMaxFile ? null : this.open(t, t.call!, now, s.entry.part + 1);
    }
  }

  /** The line card stopped answering: recordings end ('linecard-fault'); the calls are forgotten. */
  onLinkDown(now: number): void {
    for (const t of this.timeslots) this.endCall(t, 'linecard-fault', now);
    this.tap = this.deps.createTap(this.config.signalling);
    this.sides.a.signalling = this.sides.b.signalling = null;
  }

  shutdown(now: number): void {
    for (const t of this.timeslots) this.endCall(t, 'shutdown', now);
  }

  /** Forced recording (强制录音) of a timeslot outside any call, or its end. */
  setForced(t: TrunkTimeslot, on: boolean, now: number): void {
    if (on && !t.forced) {
      t.forced = this.deps.recorder.open(t.ref, {
        callId: `${t.timeslot}-${now}`, part: 1, callType: 'idle', direction: 'unknown', startMode: 'forced',
        lineNumber: '', localName: this.config.name, remoteNumber: '', callerName: '', level: this.deps.channelConfig(t.ref).level,
        at: now, legs: 2, layout: this.layout,
      });
    } else if (!on && t.forced) {
      t.forced.close('manual', true, now);
      t.forced = null;
    }
    t.changed(now);
  }

  private get layout(): 'stereo' | 'mono' {
    return this.config.storage === 'mixed' ? 'mono' : 'stereo';
  }

  private alarmId(what: E1AlarmName | 'signalling'): string {
    return `e1-${what}:${this.port}`;
  }

  private handle(events: TrunkEvent[], now: number): void {
    for (const e of events) {
      if (e.type === 'signalling') {
        this.onSignalling(e.state, e.side, e.reason, now);
        continue;
      }
      const t = this.timeslot(e.timeslot);
      if (!t) continue;
      switch (e.type) {
        case 'seized':
          this.onSeized(t, e.originatingSide, e.calling, e.called, now);
          break;
        case 'numbers':
          if (t.call) this.setNumbers(t.call, e.calling, e.called);
          break;
        case 'alerting':
          if (t.call) t.call.alertingAt ??= now;
          break;
        case 'answered':
          if (t.call && t.call.answeredAt === null) {
            t.call.answeredAt = now;
            if (t.call.direction === 'incoming') t.call.session?.update({ callType: 'incoming-answered' });
          }
          break;
        case 'cleared':
          this.onCleared(t, e, now);
          break;
      }
      t.changed(now);
    }
  }

  private onSignalling(state: 'up' | 'down', side: TrunkSide | undefined, reason: string | undefined, now: number): void {
    for (const s of side ? [side] : SIDES) this.sides[s].signalling = state;
    const down = SIDES.filter((s) => this.sides[s].signalling === 'down');
    const what = this.config.signalling === 'pri' ? 'D-channel' : 'CAS multiframe alignment';
    if (down.length) this.deps.alarms.raise(this.alarmId('signalling'), 'major', 'channel', `E1 port ${this.port}: ${what} down on side ${down.join(' and ')}${reason ? ` (${reason})` : ''}`, now);
    else this.deps.alarms.clear(this.alarmId('signalling'), now);
    for (const t of this.timeslots) t.changed(now);
    this.publishPort(now);
  }

  private onSeized(t: TrunkTimeslot, from: TrunkSide, calling: NumberInfo | undefined, called: NumberInfo | undefined, now: number): void {
    if (t.call) this.endCall(t, 'superseded', now);
    const networkSide: TrunkSide = this.config.sideA === 'network' ? 'a' : 'b';
    const direction: CallDirection = from === networkSide ? 'incoming' : 'outgoing';
    const call: TimeslotCall = {
      callId: `${t.timeslot}-${now}`, direction, originatingSide: from, calling: '', called: '',
      seizedAt: now, alertingAt: null, answeredAt: null, session: null,
    };
    this.setNumbers(call, calling, called);
    t.call = call;
    if (this.records(t.timeslot)) call.session = this.open(t, call, now, 1);
  }

  private open(t: TrunkTimeslot, call: TimeslotCall, now: number, part: number): RecordingSession {
    const incoming = call.direction === 'incoming';
    const callType: CallType = incoming ? (call.answeredAt !== null ? 'incoming-answered' : 'incoming-missed') : 'outgoing';
    return this.deps.recorder.open(t.ref, {
      callId: call.callId, part, callType, direction: call.direction, startMode: 'signalling',
      lineNumber: incoming ? call.called : call.calling, localName: this.config.name,
      remoteNumber: incoming ? call.calling : call.called, callerName: '',
      level: this.deps.channelConfig(t.ref).level, at: now, legs: 2, layout: this.layout,
    });
  }

  private setNumbers(call: TimeslotCall, calling: NumberInfo | undefined, called: NumberInfo | undefined): void {
    if (calling?.digits) call.calling = calling.digits;
    if (called?.digits) call.called = called.digits;
    const incoming = call.direction === 'incoming';
    call.session?.update({ lineNumber: incoming ? call.called : call.calling, remoteNumber: incoming ? call.calling : call.called });
  }

  private onCleared(t: TrunkTimeslot, e: Extract<TrunkEvent, { type: 'cleared' }>, now: number): void {
    const call = t.call;
    if (!call) return;
    t.call = null;
    const s = call.session;
    if (!s) return;
    const answered = call.answeredAt !== null || e.outcome === 'answered';
    const stopMode: StopMode = e.clearedBy === 'timeout' ? 'disconnect'
      : answered ? 'hangup' : e.outcome === 'busy' ? 'busy-tone' : e.outcome === 'no-answer' ? 'ring-timeout' : 'disconnect';
    s.update({ answered, ...(e.cause ? { cause: `${e.cause.value} ${e.cause.text}` } : {}) });
    const finalType: CallType = call.direction === 'incoming' ? (answered ? 'incoming-answered' : 'incoming-missed') : 'outgoing';
    // An unanswered call is kept whatever its length: the index must show it.
    const keep = !answered || s.durationMs >= this.deps.recording().minFileS * 1000;
    s.close(stopMode, keep, now, finalType);
  }

  private endCall(t: TrunkTimeslot, stopMode: StopMode, now: number): void {
    const s = t.call?.session;
    if (s) s.close(stopMode, s.durationMs >= this.deps.recording().minFileS * 1000, now);
    t.call = null;
    if (t.forced && stopMode !== 'superseded') {
      t.forced.close(stopMode, true, now);
      t.forced = null;
    }
    t.changed(now);
  }

  private publishPort(now: number): void {
    const events = this.deps.events;
    if (!events?.wants('e1.port')) return;
    const st = this.status();
    events.publish({ type: 'e1.port', port: this.port, state: st.state, sides: st.sides, at: now });
  }
}

