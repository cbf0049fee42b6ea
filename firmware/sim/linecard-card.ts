/**
 * The simulated line card: the card side of the line-card protocol
 * (docs/linecard-protocol.md) driven by a Clock and fed by one LineSource per
 * channel.
 *
 * The card works in 10 ms steps counted from start(): each step it measures
 * every line and sends a lineStatus with just the changed channels when a
 * voltage band or the ring AC changed; every 10th step it sends a lineStatus
 * with all channels (10 Hz); every 2nd step it sends the 20 ms audio block
 * just completed (160 samples) for each channel whose audio is enabled. When
 * the clock jumps, the missed steps are all run, in order, so the audio never
 * drifts from the clock. Frames produced in one step go out in one write.
 *
 * At power-up (start()) the card sends a hello. Commands: identify → hello +
 * ack; configure → ack (BadChannel for a channel it does not have); ping →
 * ack; reset → ack, then sequence numbers and channel settings return to
 * their power-up values and a hello follows. Frames it cannot decode, and
 * card-side messages, are ignored and counted.
 *
 * E1 ports (`e1Ports`, one E1PortModel each) are off at power-up; once the host
 * switches a port on (e1Configure), every 20 ms block goes out as four
 * E1_AUDIO frames (side a and b, timeslots 0-15 and 16-31), and E1_STATUS
 * reports the ports' alarms every 500 ms and at once when they change.
 */
import type { ByteLink, Clock, TimerHandle } from '../host/host.ts';
import {
  AckStatus,
  AudioCodec,
  PROTOCOL_VERSION,
  decodeMessage,
  isDecodeFailure,
  type AckStatusId,
  type AudioCodecId,
  type HostCommand,
  type LineStatusEntry,
} from '../linecard/messages.ts';
import { SlipDecoder } from '../linecard/slip.ts';
import { CardOutput, encodeAudioBlock, type CardFaults, type CardSentCounters } from './linecard-card-output.ts';
import type { E1PortModel } from './e1/e1-port-model.ts';
import { E1_BLOCK_FRAMES, E1_MAX_TIMESLOTS_PER_FRAME, E1_TIMESLOTS, type E1StatusEntry } from '../linecard/messages.ts';
import { idleSource, lineReading, voltageBand, type LineSource, type VoltageBand } from './line-model.ts';

export type { CardFaults, CardSentCounters } from './linecard-card-output.ts';

export const STEP_MS = 10;
export const AUDIO_BLOCK_MS = 20;
export const AUDIO_BLOCK_SAMPLES = 160;
const MAX_STATUS_ENTRIES = 128;

export interface SimulatedLineCardOptions {
  clock: Clock;
  channelCount: number;
  sources: LineSource[];
  model?: string;
  firmwareVersion?: string;
  faults?: CardFaults;
  /** Seed of the garbage bytes. */
  seed?: number;
  /** Larger clock jumps are skipped rather than replayed (default: replay everything). */
  maxCatchUpMs?: number;
  /** The E1 ports the card taps, each playing its script (none by default). */
  e1Ports?: E1PortModel[];
}

export interface E1PortSettings {
  enabled: boolean;
  crc4: boolean;
}

/** E1 status goes out in full every this many steps (500 ms), and at once on a change of alarms. */
const E1_STATUS_EVERY_STEPS = 50;

export interface ChannelSettings {
  audioEnabled: boolean;
  codec: AudioCodecId;
  gainDb: number;
}

/**
 * What the card received: commands by type; `garbled` counts frames that did
 * not decode, `unexpected` well-formed frames that are not host commands.
 */
export type CardReceivedCounters = Record<
  'frames' | 'identify' | 'configure' | 'reset' | 'ping' | 'e1Configure' | 'garbled' | 'unexpected' | 'bytesWhileMuted',
  number
>;

const defaultSettings = (): ChannelSettings => ({ audioEnabled: true, codec: AudioCodec.Alaw, gainDb: 0 });

export class SimulatedLineCard {
  readonly channelCount: number;
  readonly model: string;
  readonly firmwareVersion: string;
  readonly received: CardReceivedCounters = {
    frames: 0, identify: 0, configure: 0, reset: 0, ping: 0, e1Configure: 0, garbled: 0, unexpected: 0, bytesWhileMuted: 0,
  };
  readonly e1Ports: readonly E1PortModel[];

  private readonly clock: Clock;
  private readonly sources: LineSource[];
  private readonly faults: CardFaults;
  private readonly maxCatchUpMs: number;
  private readonly out: CardOutput;
  private readonly decoder = new SlipDecoder();
  private timer: TimerHandle | null = null;
  private originMs: number | null = null;
  private step = 0;
  private settings: ChannelSettings[];
  private seqs: Uint16Array;
  private blocks: Uint32Array;
  private readonly lastBand: Array<VoltageBand | null>;
  private readonly lastRing: boolean[];
  private readonly pcm = new Int16Array(AUDIO_BLOCK_SAMPLES);
  private e1Settings: E1PortSettings[] = [];
  private e1Seqs = new Uint16Array(0);
  private e1LastAlarms: number[] = [];
  private e1Slips: number[] = [];

  constructor(options: SimulatedLineCardOptions) {
    this.clock = options.clock;
    this.channelCount = options.channelCount;
    this.sources = Array.from({ length: options.channelCount }, (_, ch) => options.sources[ch] ?? idleSource());
    this.model = options.model ?? `SIM-LC${options.channelCount}`;
    this.firmwareVersion = options.firmwareVersion ?? '1.4.2';
    this.faults = options.faults ?? {};
    this.maxCatchUpMs = options.maxCatchUpMs ?? Infinity;
    this.out = new CardOutput(this.faults, options.seed ?? 1);
    this.settings = Array.from({ length: this.channelCount }, defaultSettings);
    this.seqs = new Uint16Array(this.channelCount);
    this.blocks = new Uint32Array(this.channelCount);
    this.lastBand = new Array(this.channelCount).fill(null);
    this.lastRing = new Array(this.channelCount).fill(false);
    this.e1Ports = options.e1Ports ?? [];
    this.e1Seqs = new Uint16Array(this.e1Ports.length);
    this.e1Slips = new Array(this.e1Ports.length * 2).fill(0);
  }

  e1PortSettings(port: number): E1PortSettings {
    return { ...this.e1Settings[port]! };
  }

  /** What the card sent. */
  get sent(): CardSentCounters {
    return this.out.sent;
  }

  /** Connects the card to a link (replacing any previous one). */
  attach(link: ByteLink): void {
    this.out.link = link;
    this.decoder.reset();
    link.onData((chunk) => {
      if (this.out.link === link) this.receive(chunk);
    });
    link.onClose(() => {
      if (this.out.link === link) this.detach();
    });
  }

  /** Disconnects from the link; the card keeps running. */
  detach(): void {
    this.out.link = null;
  }

  get attached(): boolean {
    return this.out.link !== null;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** Card time: ms since the first start(), or 0 before it. */
  get elapsedMs(): number {
    return this.step * STEP_MS;
  }

  /** Power on: settings and sequence numbers at their defaults, a hello, then status and audio. */
  start(): void {
    if (this.timer) return;
    const now = this.clock.now();
    if (this.originMs === null) this.originMs = now;
    else this.step = Math.max(this.step, Math.floor((now - this.originMs) / STEP_MS));
    this.restart();
    this.lastBand.fill(null);
    this.runStep(this.step);
    this.timer = this.clock.setInterval(() => this.catchUp(), STEP_MS);
  }

  /** Power off: nothing more is sent until start(). */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** A muted card neither sends nor answers (its lines and sequence numbers go on). */
  setMute(muted: boolean): void {
    if (this.out.muted && !muted) this.decoder.reset();
    this.out.muted = muted;
  }

  get isMuted(): boolean {
    return this.out.muted;
  }

  channelSettings(channel: number): ChannelSettings {
    return { ...this.settings[channel]! };
  }

  private restart(): void {
    this.settings = Array.from({ length: this.channelCount }, defaultSettings);
    this.seqs.fill(0);
    this.blocks.fill(0);
    this.e1Settings = this.e1Ports.map(() => ({ enabled: false, crc4: true }));
    this.e1Seqs.fill(0);
    this.e1LastAlarms = new Array(this.e1Ports.length * 2).fill(-1);
    this.sendHello();
    this.out.flush();
  }

  private sendHello(): void {
    const { channelCount, model, firmwareVersion } = this;
    const e1 = this.e1Ports.length ? { e1Ports: this.e1Ports.length } : {};
    this.out.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, channelCount, audioCodec: AudioCodec.Alaw, model, firmwareVersion, ...e1 });
  }

  private catchUp(): void {
    if (this.originMs === null) return;
    const due = Math.floor((this.clock.now() - this.originMs) / STEP_MS);
    if ((due - this.step) * STEP_MS > this.maxCatchUpMs) {
      this.step = due - 1;
      this.lastBand.fill(null);
    }
    while (this.step < due) this.runStep(++this.step);
  }

  private runStep(step: number): void {
    const tMs = step * STEP_MS;
    this.scanLines(tMs, step % 10 === 0);
    if (step > 0 && step % 2 === 0) {
      this.sendAudio(tMs - AUDIO_BLOCK_MS);
      this.sendE1(tMs - AUDIO_BLOCK_MS, step % E1_STATUS_EVERY_STEPS === 0);
    }
    this.out.flush();
  }

  private scanLines(tMs: number, full: boolean): void {
    const all: LineStatusEntry[] = [];
    const changed: LineStatusEntry[] = [];
    for (let ch = 0; ch < this.channelCount; ch++) {
      const source = this.sources[ch]!;
      const { state, sinceMs } = source.stateAt(tMs);
      const r = lineReading(state, sinceMs, { cadence: source.cadence, channel: ch, tMs });
      const entry = { channel: ch, voltage: r.voltage, ringing: r.ringing };
      const band = voltageBand(r.voltage);
      if (band !== this.lastBand[ch] || r.ringing !== this.lastRing[ch]) changed.push(entry);
      this.lastBand[ch] = band;
      this.lastRing[ch] = r.ringing;
      all.push(entry);
    }
    const entries = full ? all : changed;
    for (let i = 0; i < entries.length; i += MAX_STATUS_ENTRIES) {
      const sent = this.out.send({ type: 'lineStatus', entries: entries.slice(i, i + MAX_STATUS_ENTRIES) });
      if (sent && !full) this.out.sent.lineStatusChanges++;
    }
  }

  private sendAudio(blockStartMs: number): void {
    for (let ch = 0; ch < this.channelCount; ch++) {
      const s = this.settings[ch]!;
      if (!s.audioEnabled) continue;
      const seq = this.seqs[ch]!;
      this.seqs[ch] = (seq + 1) & 0xffff;
      const block = this.blocks[ch]!++;
      const drop = this.faults.dropAudioEvery;
      if (drop && drop > 0 && (block + 1) % drop === 0) {
        this.out.sent.audioDropped++;
        continue;
      }
      this.sources[ch]!.fillAudio(blockStartMs, this.pcm);
      this.out.send({ type: 'audio', channel: ch, codec: s.codec, seq, samples: encodeAudioBlock(this.pcm, s.codec, s.gainDb) });
    }
  }

  private sendE1(blockStartMs: number, fullStatus: boolean): void {
    const status: E1StatusEntry[] = [];
    this.e1Ports.forEach((model, port) => {
      const sides = model.block(blockStartMs);
      const settings = this.e1Settings[port]!;
      if (!settings.enabled) return;
      const seq = this.e1Seqs[port]!;
      this.e1Seqs[port] = (seq + 1) & 0xffff;
      ([sides.a, sides.b] as const).forEach((octets, side) => {
        for (let first = 0; first < E1_TIMESLOTS; first += E1_MAX_TIMESLOTS_PER_FRAME) {
          const part = octets.subarray(first * E1_BLOCK_FRAMES, (first + E1_MAX_TIMESLOTS_PER_FRAME) * E1_BLOCK_FRAMES);
          this.out.send({ type: 'e1Audio', port, side: side as 0 | 1, seq, first, count: E1_MAX_TIMESLOTS_PER_FRAME, octets: Buffer.from(part.buffer, part.byteOffset, part.length) });
        }
        const alarms = model.alarmsAt(side === 0 ? 'a' : 'b', blockStartMs);
        const k = port * 2 + side;
        if (this.e1LastAlarms[k] !== alarms && this.e1LastAlarms[k]! > 0 && alarms === 0) this.e1Slips[k]!++; // a slip as the receiver resynchronises
        if (fullStatus || this.e1LastAlarms[k] !== alarms) status.push({ port, side: side as 0 | 1, alarms, slips: this.e1Slips[k]!, crc4Errors: 0 });
        this.e1LastAlarms[k] = alarms;
      });
    });
    if (status.length) this.out.send({ type: 'e1Status', entries: status });
  }

  private receive(chunk: Buffer): void {
    if (this.out.muted) {
      this.received.bytesWhileMuted += chunk.length;
      return;
    }
    this.decoder.push(chunk, (frame) => this.handleFrame(frame));
    this.out.flush();
  }

  private handleFrame(frame: Buffer): void {
    this.received.frames++;
    const m = decodeMessage(frame);
    if (isDecodeFailure(m)) {
      this.received.garbled++;
      return;
    }
    switch (m.type) {
      case 'identify':
      case 'configure':
      case 'reset':
      case 'ping':
      case 'e1Configure':
        this.handleCommand(m);
        return;
      default:
        this.received.unexpected++;
    }
  }

  private handleCommand(c: HostCommand): void {
    this.received[c.type]++;
    const ack = (status: AckStatusId = AckStatus.Ok) => void this.out.send({ type: 'ack', seq: c.seq, status });
    switch (c.type) {
      case 'identify':
        this.sendHello();
        ack();
        return;
      case 'configure':
        if (c.channel >= this.channelCount) return ack(AckStatus.BadChannel);
        this.settings[c.channel] = { audioEnabled: c.audioEnabled, codec: c.codec, gainDb: c.gainDb };
        ack();
        return;
      case 'ping':
        ack();
        return;
      case 'e1Configure':
        if (c.port >= this.e1Ports.length) return ack(AckStatus.BadChannel);
        this.e1Settings[c.port] = { enabled: c.enabled, crc4: c.crc4 };
        ack();
        return;
      case 'reset':
        ack();
        this.out.flush();
        this.restart();
        return;
    }
  }
}
