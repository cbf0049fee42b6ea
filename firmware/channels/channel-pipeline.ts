/**
 * One analog channel from the line card to the recorder: line status into the
 * call machine, audio through G.711 decoding into the signal detector (digits,
 * caller ID, level), to live listeners, and, while a call is recorded, into
 * its recording session. Publishes the channel's state and level.
 */
import { ChannelSignalDetector } from '../dsp/channel-detector.ts';
import type { CallerIdMessage } from '../dsp/callerid-message.ts';
import { alawDecode, ulawDecode } from '../dsp/g711.ts';
import { AudioCodec, type AudioCodecId } from '../linecard/messages.ts';
import { CallMachine, type Decision } from '../calls/call-machine.ts';
import type { ChannelConfig, RecordingParams } from '../calls/channel-config.ts';
import type { ChannelState, StartMode } from '../calls/call-types.ts';
import { analogRef, refKey, type ChannelRef } from '../ports/channel-ref.ts';
import type { Recorder, RecordingSession } from '../recording/recorder.ts';
import { silenceBlock } from '../recording/sample-codec.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { AudioTap } from '../events/audio-tap.ts';

export interface ChannelView {
  ref: ChannelRef;
  channel: number;
  name: string;
  state: ChannelState;
  voltage: number;
  ringing: boolean;
  polarityReversed: boolean;
  recording: boolean;
  recordingEnabled: boolean;
  lineNumber: string;
  remoteNumber: string;
  callerName: string;
  recordingId: string | null;
  recordingSince: number | null;
  recordingMs: number;
  /** What opened the current file (压控录音, 声控录音 ...), null while not recording. */
  recordingMode: StartMode | null;
  forcedRecording: boolean;
  controlMode: ChannelConfig['controlMode'];
  level: number;
  config: ChannelConfig;
}

/** Where a channel publishes what it sees; both optional (tests run channels alone). */
export interface ChannelOutputs {
  events?: EventBus;
  tap?: AudioTap;
}

/** Level events per channel: at most one per this many ms. */
export const LEVEL_EVENT_MS = 250;
/** A voltage change this large (V) is a state event even without a state change. */
const VOLTAGE_EVENT_STEP = 1;

export class ChannelPipeline {
  readonly ref: ChannelRef;
  private readonly key: string;
  private readonly machine: CallMachine;
  private readonly detector: ChannelSignalDetector;
  private session: RecordingSession | null = null;
  private pcm = new Int16Array(160);
  private voltage = 0;
  private ringing = false;
  private now = 0;
  private lastLevelAt = 0;
  private published: { state: ChannelState; voltage: number; ringing: boolean; reversed: boolean; remote: string; name: string; recording: boolean } | null = null;

  constructor(
    readonly channel: number,
    private config: ChannelConfig,
    params: RecordingParams,
    private readonly recorder: Recorder,
    private readonly alarms: AlarmList,
    private readonly outputs: ChannelOutputs = {},
  ) {
    this.ref = analogRef(channel);
    this.key = refKey(this.ref);
    this.machine = new CallMachine(channel, config, params);
    this.detector = new ChannelSignalDetector({
      onDigit: (digit) => this.apply(this.machine.onDigit(digit, this.now)),
      onCallerId: (m: CallerIdMessage) => {
        this.apply(this.machine.onCallerId(callerNumber(m), m.name ?? '', this.now));
        // The caller is shown while the line still rings (screen pop, 来电弹屏).
        this.publishState(this.now);
      },
      onTone: (tone) => this.apply(this.machine.onTone(tone, this.now)),
      onVoice: (active) => this.apply(this.machine.onVoice(active, this.now)),
    });
    this.configureDetector(config);
  }

  onLineStatus(voltage: number, ringing: boolean, now: number): void {
    this.voltage = voltage;
    this.ringing = ringing;
    this.now = now;
    this.apply(this.machine.onLineStatus(voltage, ringing, now));
    this.publishState(now);
  }

  onAudio(codec: AudioCodecId, samples: Buffer, missing: number, now: number): void {
    this.now = now;
    const pcm = this.decode(codec, samples);
    const s = this.session;
    if (s) {
      const recCodec = this.recorder.recordingCodec;
      for (let i = 0; i < missing; i++) s.write(0, silenceBlock(recCodec, pcm.length), recCodec, now);
      if (codec === AudioCodec.Alaw) s.write(0, samples, 'alaw', now);
      else if (codec === AudioCodec.Ulaw) s.write(0, samples, 'ulaw', now);
      else s.write(0, new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength), 'pcm16', now);
    }
    const blockStart = now - (pcm.length * 1000) / 8000;
    const { tap, events } = this.outputs;
    if (tap?.listening(this.key)) tap.publish(this.key, this.ref, 0, blockStart, pcm);
    this.detector.process(pcm, blockStart);
    if (now < this.lastLevelAt) this.lastLevelAt = now; // the clock was set back
    if (events?.wants('channel.level') && now - this.lastLevelAt >= LEVEL_EVENT_MS) {
      this.lastLevelAt = now;
      events.publish({ type: 'channel.level', ref: this.ref, level: this.detector.level, at: now });
    }
  }

  onLinkDown(now: number): void {
    this.apply(this.machine.onLinkDown(now));
    this.publishState(now);
  }

  tick(now: number): void {
    this.apply(this.machine.tick(now));
    this.publishState(now);
  }

  /** Applies new settings at once: thresholds and modes for what follows, the switch and mode changes to a call in progress. */
  configure(config: ChannelConfig, params: RecordingParams, now: number): void {
    this.config = config;
    this.configureDetector(config);
    this.apply(this.machine.configure(config, params, now));
    this.publishState(now);
  }

  /** Forced recording (强制录音) on or off. */
  setForced(on: boolean, now: number): void {
    this.apply(this.machine.setForced(on, now));
    this.publishState(now);
  }

  shutdown(now: number): void {
    this.apply(this.machine.shutdown(now));
  }

  view(): ChannelView {
    const call = this.machine.activeCall;
    // A call the license does not let record has a session but no file: not shown as recording.
    const rec = this.session?.writing ? this.session : null;
    return {
      ref: this.ref,
      channel: this.channel,
      name: this.config.name,
      state: this.machine.channelState,
      voltage: this.voltage,
      ringing: this.ringing,
      polarityReversed: this.machine.polarityReversed,
      recording: rec !== null,
      recordingEnabled: this.config.recordingEnabled,
      lineNumber: this.config.lineNumber,
      remoteNumber: call?.remoteNumber ?? this.ringingCaller()?.number ?? '',
      callerName: call?.callerName ?? this.ringingCaller()?.name ?? '',
      recordingId: rec?.entry.id ?? null,
      recordingSince: rec?.entry.startedAt ?? null,
      recordingMs: rec?.durationMs ?? 0,
      recordingMode: this.machine.recordingMode,
      forcedRecording: this.machine.forcedRecording,
      controlMode: this.config.controlMode,
      level: this.detector.level,
      config: this.config,
    };
  }

  /** The wall clock was stepped by `stepMs`: the call keeps its timers and its file its length. */
  shiftTime(stepMs: number): void {
    this.machine.shiftTime(stepMs);
  }

  private apply(decisions: Decision[]): void {
    if (!decisions.length) return;
    // Subscribers see the channel's new state before what it causes (a recording starting or stopping).
    const state = decisions.find((d) => d.kind === 'state');
    if (state) {
      this.onState(state.state, state.at);
      this.publishState(state.at);
    }
    for (const d of decisions) {
      switch (d.kind) {
        case 'state':
          break;
        case 'start':
          this.session = this.recorder.open(this.ref, {
            callId: d.call.callId,
            part: d.part,
            callType: d.callType,
            startMode: d.startMode,
            lineNumber: this.config.lineNumber,
            remoteNumber: d.call.remoteNumber,
            callerName: d.call.callerName,
            level: this.config.level,
            at: d.at,
          });
          break;
        case 'stop':
          this.session?.close(d.stopMode, d.keep, d.at, d.callType);
          this.session = null;
          break;
        case 'update':
          this.session?.update({ remoteNumber: d.remoteNumber, callerName: d.callerName });
          break;
        case 'missed':
          this.recorder.missed(this.ref, {
            callId: `${this.channel}-${d.ringStartedAt}`,
            lineNumber: this.config.lineNumber,
            remoteNumber: d.remoteNumber,
            callerName: d.callerName,
            level: this.config.level,
            at: d.ringStartedAt,
            endedAt: d.ringEndedAt,
          });
          break;
        case 'digits':
          break;
        default: {
          const never: never = d;
          void never;
        }
      }
    }
  }

  /** Caller ID of a line that is ringing (incoming, not answered yet). */
  private ringingCaller(): { number: string; name: string } | null {
    return this.machine.channelState === 'incoming' ? this.machine.ringingCallerId : null;
  }

  private publishState(now: number): void {
    const events = this.outputs.events;
    if (!events?.wants('channel.state')) return;
    const call = this.machine.activeCall;
    const next = {
      state: this.machine.channelState,
      voltage: this.voltage,
      ringing: this.ringing,
      reversed: this.machine.polarityReversed,
      remote: call?.remoteNumber ?? this.ringingCaller()?.number ?? '',
      name: call?.callerName ?? this.ringingCaller()?.name ?? '',
      recording: this.session !== null,
    };
    const p = this.published;
    if (
      p && p.state === next.state && p.ringing === next.ringing && p.reversed === next.reversed && p.remote === next.remote &&
      p.name === next.name && p.recording === next.recording && Math.abs(p.voltage - next.voltage) < VOLTAGE_EVENT_STEP
    ) return;
    this.published = next;
    events.publish({
      type: 'channel.state', ref: this.ref, state: next.state, voltage: next.voltage, ringing: next.ringing,
      polarityReversed: next.reversed, remoteNumber: next.remote, callerName: next.name, recording: next.recording, at: now,
    });
  }

  /** Voice-control thresholds and 收号模式. */
  private configureDetector(c: ChannelConfig): void {
    this.detector.configureVoice({ speechThreshold: c.speechThreshold, silenceThreshold: c.silenceThreshold, silenceMs: c.silenceMs });
    this.detector.configureCallerId(c.callerIdMode);
  }

  private onState(state: ChannelState, at: number): void {
    const id = `channel-disconnected:${this.channel}`;
    if (state === 'disconnected' && this.config.recordingEnabled) {
      this.alarms.raise(id, 'critical', 'channel', `断线: 通道[${this.channel}] line disconnected`, at);
    } else this.alarms.clear(id);
  }

  private decode(codec: AudioCodecId, samples: Buffer): Int16Array {
    const n = codec === AudioCodec.Linear16 ? samples.length >> 1 : samples.length;
    if (this.pcm.length !== n) this.pcm = new Int16Array(n);
    if (codec === AudioCodec.Alaw) return alawDecode(samples, this.pcm);
    if (codec === AudioCodec.Ulaw) return ulawDecode(samples, this.pcm);
    for (let i = 0; i < n; i++) this.pcm[i] = samples.readInt16LE(i * 2);
    return this.pcm;
  }
}

function callerNumber(m: CallerIdMessage): string {
  if (m.number) return m.number;
  if (m.numberAbsence === 'private') return 'P';
  if (m.numberAbsence === 'unavailable') return 'O';
  return '';
}

