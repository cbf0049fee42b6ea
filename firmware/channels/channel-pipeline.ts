/**
 * One analog channel from the line card to the recorder: line status into the
 * call machine, audio through G.711 decoding into the signal detector (digits,
 * caller ID, level) and, while a call is recorded, into its WAV file.
 */
import { ALAW_SILENCE, ULAW_SILENCE, alawDecode, alawEncode, ulawDecode, ulawEncode } from '../dsp/g711.ts';
import { ChannelSignalDetector } from '../dsp/channel-detector.ts';
import type { CallerIdMessage } from '../dsp/callerid-message.ts';
import { AudioCodec, type AudioCodecId } from '../linecard/messages.ts';
import { CallMachine, type Decision } from '../calls/call-machine.ts';
import type { ChannelConfig, RecordingParams } from '../calls/channel-config.ts';
import type { ChannelState, StartMode } from '../calls/call-types.ts';
import type { Recorder } from '../recording/recorder.ts';
import type { AlarmList } from '../alarms/alarm-list.ts';

export interface ChannelView {
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
  recordingSince: number | null;
  recordingMs: number;
  /** What opened the current file (压控录音, 声控录音 ...), null while not recording. */
  recordingMode: StartMode | null;
  forcedRecording: boolean;
  controlMode: ChannelConfig['controlMode'];
  level: number;
}

export class ChannelPipeline {
  private readonly machine: CallMachine;
  private readonly detector: ChannelSignalDetector;
  private pcm = new Int16Array(160);
  private encoded = new Uint8Array(160);
  private voltage = 0;
  private ringing = false;
  private now = 0;

  constructor(
    readonly channel: number,
    private config: ChannelConfig,
    params: RecordingParams,
    private readonly recorder: Recorder,
    private readonly alarms: AlarmList,
  ) {
    this.machine = new CallMachine(channel, config, params);
    this.detector = new ChannelSignalDetector({
      onDigit: (digit) => this.apply(this.machine.onDigit(digit, this.now)),
      onCallerId: (m: CallerIdMessage) => this.apply(this.machine.onCallerId(callerNumber(m), m.name ?? '', this.now)),
      onTone: (tone) => this.apply(this.machine.onTone(tone, this.now)),
      onVoice: (active) => this.apply(this.machine.onVoice(active, this.now)),
    });
    this.configureDetector(config);
  }

  onLineStatus(voltage: number, ringing: boolean, now: number): void {
    this.voltage = voltage;
    this.ringing = ringing;
    this.apply(this.machine.onLineStatus(voltage, ringing, now));
  }

  onAudio(codec: AudioCodecId, samples: Buffer, missing: number, now: number): void {
    this.now = now;
    const pcm = this.decode(codec, samples);
    if (this.machine.recording) {
      const recCodec = this.recorder.recordingCodec;
      for (let i = 0; i < missing; i++) this.recorder.audio(this.channel, silenceBlock(recCodec, pcm.length), now);
      if (recCodec === 'alaw' && codec === AudioCodec.Alaw) this.recorder.audio(this.channel, samples, now);
      else if (recCodec === 'ulaw' && codec === AudioCodec.Ulaw) this.recorder.audio(this.channel, samples, now);
      else this.recorder.audio(this.channel, this.encode(recCodec, pcm), now);
    }
    this.detector.process(pcm, now - (pcm.length * 1000) / 8000);
  }

  onLinkDown(now: number): void {
    this.apply(this.machine.onLinkDown(now));
  }

  tick(now: number): void {
    this.apply(this.machine.tick(now));
  }

  configure(config: ChannelConfig, params: RecordingParams, now: number): void {
    this.config = config;
    this.configureDetector(config);
    this.apply(this.machine.configure(config, params, now));
  }

  /** Forced recording (强制录音) on or off. */
  setForced(on: boolean, now: number): void {
    this.apply(this.machine.setForced(on, now));
  }

  shutdown(now: number): void {
    this.apply(this.machine.shutdown(now));
  }

  view(): ChannelView {
    const call = this.machine.activeCall;
    const rec = this.recorder.current(this.channel);
    return {
      channel: this.channel,
      name: this.config.name,
      state: this.machine.channelState,
      voltage: this.voltage,
      ringing: this.ringing,
      polarityReversed: this.machine.polarityReversed,
      recording: rec !== null,
      recordingEnabled: this.config.recordingEnabled,
      lineNumber: this.config.lineNumber,
      remoteNumber: call?.remoteNumber ?? '',
      callerName: call?.callerName ?? '',
      recordingSince: rec?.entry.startedAt ?? null,
      recordingMs: rec?.durationMs ?? 0,
      recordingMode: this.machine.recordingMode,
      forcedRecording: this.machine.forcedRecording,
      controlMode: this.config.controlMode,
      level: this.detector.level,
    };
  }

  private apply(decisions: Decision[]): void {
    for (const d of decisions) {
      switch (d.kind) {
        case 'state':
          this.onState(d.state, d.at);
          break;
        case 'start':
          this.recorder.start(this.channel, d, { lineNumber: this.config.lineNumber, level: this.config.level });
          break;
        case 'stop':
          this.recorder.stop(this.channel, d);
          break;
        case 'update':
          this.recorder.update(this.channel, d.remoteNumber, d.callerName);
          break;
        case 'missed':
          this.recorder.missed(this.channel, d, { lineNumber: this.config.lineNumber, level: this.config.level });
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

  private encode(codec: 'alaw' | 'ulaw' | 'pcm16', pcm: Int16Array): Uint8Array {
    if (codec === 'pcm16') return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    if (this.encoded.length !== pcm.length) this.encoded = new Uint8Array(pcm.length);
    return codec === 'alaw' ? alawEncode(pcm, this.encoded) : ulawEncode(pcm, this.encoded);
  }
}

function callerNumber(m: CallerIdMessage): string {
  if (m.number) return m.number;
  if (m.numberAbsence === 'private') return 'P';
  if (m.numberAbsence === 'unavailable') return 'O';
  return '';
}

const silenceCache = new Map<string, Uint8Array>();
function silenceBlock(codec: 'alaw' | 'ulaw' | 'pcm16', samples: number): Uint8Array {
  const key = `${codec}:${samples}`;
  let block = silenceCache.get(key);
  if (!block) {
    block =
      codec === 'pcm16'
        ? new Uint8Array(samples * 2)
        : new Uint8Array(samples).fill(codec === 'alaw' ? ALAW_SILENCE : ULAW_SILENCE);
    silenceCache.set(key, block);
  }
  return block;
}
