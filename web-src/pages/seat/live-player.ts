/**
 * Live listening in the browser (实时监听): audio frames from the box's
 * WebSocket (firmware/api/ws/live-audio.ts) played through an AudioWorklet
 * jitter buffer (jitter-worklet.ts) at the stream's own sample rate. Keeps
 * the last frames it received (sequence, block time, arrival time, samples)
 * for the delay and match checks of the browser tests.
 */
declare const __JITTER_WORKLET__: string;

export interface ReceivedFrame {
  seq: number;
  /** Time of the block's first sample at the box (ms since the epoch). */
  at: number;
  /** When it arrived here (ms since the epoch, this machine's clock). */
  receivedAt: number;
  /** What the jitter buffer held when it arrived (ms). */
  heldMs: number;
  samples: Int16Array;
}

/** Target and largest jitter buffer, ms. */
export const TARGET_MS = 60;
export const MAX_MS = 200;
const KEEP_FRAMES = 3000;

export class LivePlayer {
  private ctx: AudioContext | null = null;
  private node: AudioWorkletNode | null = null;
  private starting: Promise<void> | null = null;
  readonly frames: ReceivedFrame[] = [];
  heldMs = 0;
  underruns = 0;

  constructor(readonly stream: number, readonly ref: string) {}

  /** Opens the audio output (call from a click, so the browser lets it play). */
  start(sampleRate = 8000): Promise<void> {
    this.starting ??= (async () => {
      const ctx = new AudioContext({ sampleRate, latencyHint: 'interactive' });
      await ctx.audioWorklet.addModule(__JITTER_WORKLET__);
      const node = new AudioWorkletNode(ctx, 'jitter-buffer', { outputChannelCount: [1] });
      node.port.postMessage({ targetMs: TARGET_MS, maxMs: MAX_MS });
      node.port.onmessage = (e: MessageEvent) => {
        this.heldMs = e.data.heldMs;
        this.underruns = e.data.underruns;
      };
      node.connect(ctx.destination);
      if (ctx.state === 'suspended') await ctx.resume().catch(() => undefined);
      this.ctx = ctx;
      this.node = node;
    })();
    return this.starting;
  }

  /** One binary frame of this stream. */
  push(frame: ArrayBuffer): void {
    const v = new DataView(frame);
    const n = (frame.byteLength - 20) / 2;
    const samples = new Int16Array(n);
    for (let i = 0; i < n; i++) samples[i] = v.getInt16(20 + 2 * i, true);
    this.frames.push({ seq: v.getUint32(4, true), at: v.getFloat64(8, true), receivedAt: performance.timeOrigin + performance.now(), heldMs: this.heldMs, samples });
    if (this.frames.length > KEEP_FRAMES) this.frames.splice(0, this.frames.length - KEEP_FRAMES);
    if (!this.node) return;
    const f = new Float32Array(n);
    for (let i = 0; i < n; i++) f[i] = samples[i]! / 32768;
    this.node.port.postMessage({ samples: f }, [f.buffer]);
  }

  async stop(): Promise<void> {
    this.node?.disconnect();
    await this.ctx?.close().catch(() => undefined);
    this.node = null;
    this.ctx = null;
  }
}

/** The stream a binary frame belongs to. */
export function streamOf(frame: ArrayBuffer): number {
  return new DataView(frame).getUint16(2, true);
}

/** Players by stream, for the tests to read (`window.__listen`). */
export const players = new Map<number, LivePlayer>();
(globalThis as unknown as { __listen: Map<number, LivePlayer> }).__listen = players;
