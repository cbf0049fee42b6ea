/**
 * The media layer of VoIP recording (`VoipMedia`): opens calls within the
 * licensed concurrency, gives each a channel slot and its streams UDP ports,
 * and runs one 20 ms playout tick for every call. See voip-call.ts for the
 * API the phone server and SIPREC use.
 */
import type { Clock, TimerHandle } from '../../host/host.ts';
import type { Recorder } from '../../recording/recorder.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { AudioTap } from '../../events/audio-tap.ts';
import { PortPool, type PortRange } from './port-pool.ts';
import { MediaCall } from './media-call.ts';
import type { MediaContext, MediaLogger } from './media-context.ts';
import { SOURCE_PORT, VoipMediaError, type CallStats, type VoipCall, type VoipCallStart, type VoipMedia } from './voip-call.ts';

export interface MediaSettings {
  rtpPorts: PortRange;
  /** Jitter buffer delay, ms. */
  jitterMs: number;
  /** A call without RTP for this long ends with stop mode `silence`; 0: never. */
  silenceTimeoutS: number;
  layout: 'stereo' | 'mono';
}

export interface VoipMediaOptions {
  recorder: Recorder;
  events: EventBus;
  tap: AudioTap;
  clock: Clock;
  log: MediaLogger;
  capacity: number;
  settings: () => MediaSettings;
  /** Recordings shorter than this are discarded (the recording page's minimum file length). */
  minDurationMs?: () => number;
  /** Address the RTP sockets bind to. */
  bindAddress?: string;
  /** Called when the number of calls changes (capacity alarms). */
  onLoad?: (active: number, capacity: number) => void;
  /** How many ended calls `ended()` keeps (default 100). */
  keepEnded?: number;
  /** Called with the final status of every call that ended. */
  onEnded?: (stats: CallStats) => void;
}

export const PLAYOUT_TICK_MS = 20;
/** Largest block written at once: 1 s at 8 kHz. */
const MAX_BLOCK = 8000;

export class VoipMediaServer implements VoipMedia {
  private readonly calls = new Map<string, MediaCall>();
  /** Slots in use: a call's channel number. */
  private readonly slots = new Set<number>();
  private readonly ports: PortPool;
  private readonly ctx: MediaContext;
  private timer: TimerHandle | null = null;
  private seq = 0;
  private readonly scratch = [new Int16Array(MAX_BLOCK), new Int16Array(MAX_BLOCK), new Int16Array(MAX_BLOCK)];
  readonly counters = { opened: 0, refused: 0, ended: 0 };
  /** Stats of the calls that ended most recently (status page, tests). */
  private readonly recent: CallStats[] = [];

  constructor(private readonly o: VoipMediaOptions) {
    this.ports = new PortPool(o.settings().rtpPorts, o.bindAddress);
    this.ctx = {
      recorder: o.recorder,
      ports: this.ports,
      events: o.events,
      tap: o.tap,
      log: o.log,
      now: () => o.clock.now(),
      delaySamples: () => Math.round(o.settings().jitterMs * 8),
      silenceTimeoutMs: () => o.settings().silenceTimeoutS * 1000,
      minDurationMs: () => o.minDurationMs?.() ?? 0,
      layout: () => o.settings().layout,
      closed: (c) => this.onClosed(c),
    };
  }

  get capacity(): number {
    return this.o.capacity;
  }

  get portsInUse(): number {
    return this.ports.inUse;
  }

  start(): void {
    this.timer ??= this.o.clock.setInterval(() => this.tick(), PLAYOUT_TICK_MS);
  }

  /** New settings: the port range applies to new streams. */
  reconfigure(): void {
    this.ports.setRange(this.o.settings().rtpPorts);
  }

  open(start: VoipCallStart): VoipCall {
    if (this.calls.size >= this.o.capacity) {
      this.counters.refused++;
      throw new VoipMediaError('capacity', `all ${this.o.capacity} licensed VoIP calls are in use`);
    }
    for (const c of this.calls.values()) {
      if (c.start.source === start.source && c.start.callId === start.callId) throw new VoipMediaError('duplicate', `call ${start.callId} is already open`);
    }
    let slot = 0;
    while (this.slots.has(slot)) slot++;
    this.slots.add(slot);
    const id = `${start.source}-${(++this.seq).toString(36)}`;
    const now = this.o.clock.now();
    let call: MediaCall;
    try {
      call = new MediaCall(id, { portType: 'voip', port: SOURCE_PORT[start.source], channel: slot }, start, this.ctx, now);
    } catch (e) {
      this.slots.delete(slot);
      throw e;
    }
    this.calls.set(id, call);
    this.counters.opened++;
    this.o.onLoad?.(this.calls.size, this.o.capacity);
    return call;
  }

  active(): VoipCall[] {
    return [...this.calls.values()];
  }

  get(id: string): VoipCall | null {
    return this.calls.get(id) ?? null;
  }

  /** Calls that ended lately, newest first. */
  ended(): readonly CallStats[] {
    return this.recent;
  }

  /** Plays out every call up to now (the 20 ms timer; tests may call it). */
  tick(): void {
    const now = this.o.clock.now();
    for (const c of this.calls.values()) {
      try {
        c.tick(now, this.scratch);
      } catch (e) {
        this.o.log.error({ call: c.id, err: (e as Error).message }, 'voip playout failed; call closed');
        void c.close('shutdown');
      }
    }
  }

  /** The wall clock was stepped by `stepMs`: every call's timeline moves with it. */
  shiftTime(stepMs: number): void {
    for (const c of this.calls.values()) c.shiftTime(stepMs);
  }

  /** Ends every call (shutdown) and stops the timer. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await Promise.all([...this.calls.values()].map((c) => c.close('shutdown')));
  }

  private onClosed(c: VoipCall): void {
    if (this.calls.get(c.id) !== c) return;
    this.calls.delete(c.id);
    this.slots.delete(c.ref.channel);
    this.counters.ended++;
    const stats = c.stats();
    this.recent.unshift(stats);
    if (this.recent.length > (this.o.keepEnded ?? 100)) this.recent.pop();
    this.o.onLoad?.(this.calls.size, this.o.capacity);
    this.o.onEnded?.(stats);
  }
}
