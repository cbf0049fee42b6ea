/**
 * One voice timeslot of a tapped E1 port as the rest of the box sees a
 * channel: its call (seized, alerting, talking), numbers and recording, as a
 * ChannelView for the channel list and monitor, and its state published on
 * the event bus when it changes, like an analog line's.
 */
import type { TrunkSide } from '../e1/trunk-events.ts';
import type { CallDirection, ChannelState } from '../calls/call-types.ts';
import type { ChannelView } from '../channels/channel-pipeline.ts';
import type { RecordingSession } from '../recording/recorder.ts';
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import type { ChannelConfig } from '../calls/channel-config.ts';
import type { EventBus } from '../events/event-bus.ts';

/** What a timeslot asks of its port. */
export interface TimeslotOwner {
  readonly up: boolean;
  readonly events: EventBus | undefined;
  records(timeslot: number): boolean;
  channelConfigOf(ref: ChannelRef): ChannelConfig;
  setForced(t: TrunkTimeslot, on: boolean, now: number): void;
}

export type TimeslotPhase = 'idle' | 'seized' | 'alerting' | 'talking';

export interface TimeslotCall {
  callId: string;
  direction: CallDirection;
  originatingSide: TrunkSide;
  calling: string;
  called: string;
  seizedAt: number;
  alertingAt: number | null;
  answeredAt: number | null;
  /** The open recording, null when the timeslot is not recorded. */
  session: RecordingSession | null;
}

/** What the E1 pages show of a timeslot (E1录音状态). */
export interface TimeslotStatus {
  port: number;
  timeslot: number;
  ref: string;
  phase: TimeslotPhase;
  direction: CallDirection | null;
  calling: string;
  called: string;
  since: number | null;
  recorded: boolean;
  recording: boolean;
  recordingId: string | null;
  recordingMs: number;
}

export class TrunkTimeslot {
  readonly ref: ChannelRef;
  readonly key: string;
  call: TimeslotCall | null = null;
  /** A forced recording (强制录音) outside any call. */
  forced: RecordingSession | null = null;
  private published = '';

  constructor(
    readonly port: number,
    readonly timeslot: number,
    private readonly owner: TimeslotOwner,
  ) {
    this.ref = { portType: 'e1', port, channel: timeslot };
    this.key = refKey(this.ref);
  }

  get phase(): TimeslotPhase {
    const c = this.call;
    if (!c) return 'idle';
    if (c.answeredAt !== null) return 'talking';
    return c.alertingAt !== null ? 'alerting' : 'seized';
  }

  get session(): RecordingSession | null {
    return this.call?.session ?? this.forced;
  }

  get channelState(): ChannelState {
    if (!this.owner.up) return 'disconnected';
    const d = this.call?.direction;
    return d === 'incoming' ? 'incoming' : d === 'outgoing' ? 'outgoing' : 'idle';
  }

  status(): TimeslotStatus {
    const c = this.call;
    const s = this.session?.writing ? this.session : null;
    return {
      port: this.port, timeslot: this.timeslot, ref: this.key, phase: this.phase, direction: c?.direction ?? null,
      calling: c?.calling ?? '', called: c?.called ?? '', since: c?.seizedAt ?? null,
      recorded: this.owner.records(this.timeslot), recording: s !== null,
      recordingId: s?.entry.id ?? null, recordingMs: s?.durationMs ?? 0,
    };
  }

  view(): ChannelView {
    const config = this.owner.channelConfigOf(this.ref);
    const c = this.call;
    const s = this.session?.writing ? this.session : null;
    const incoming = c?.direction === 'incoming';
    return {
      ref: this.ref, channel: this.timeslot, name: config.name || `E1 ${this.port} TS${this.timeslot}`, state: this.channelState,
      voltage: 0, ringing: this.phase === 'alerting', polarityReversed: false, recording: s !== null,
      recordingEnabled: this.owner.records(this.timeslot), lineNumber: c ? (incoming ? c.called : c.calling) : config.lineNumber,
      remoteNumber: c ? (incoming ? c.calling : c.called) : '', callerName: '', recordingId: s?.entry.id ?? null,
      recordingSince: s?.entry.startedAt ?? null, recordingMs: s?.durationMs ?? 0,
      recordingMode: s ? s.entry.startMode : null, forcedRecording: this.forced !== null,
      controlMode: config.controlMode, level: 0, config,
    };
  }

  setForced(on: boolean, now: number): void {
    this.owner.setForced(this, on, now);
  }

  /** Publishes the channel's state when it differs from the last one published. */
  changed(now: number): void {
    const events = this.owner.events;
    if (!events?.wants('channel.state')) return;
    const v = this.view();
    const sig = `${v.state}|${v.ringing}|${v.remoteNumber}|${v.recording}`;
    if (sig === this.published) return;
    this.published = sig;
    events.publish({
      type: 'channel.state', ref: this.ref, state: v.state, voltage: 0, ringing: v.ringing, polarityReversed: false,
      remoteNumber: v.remoteNumber, callerName: '', recording: v.recording, at: now,
    });
  }
}
