/**
 * Electrical model of an analog telephone line as the line card measures it:
 * the DC loop voltage (sign = polarity) and whether ring AC is present.
 *
 *   onhook        ≈ +48 V (battery, idle)
 *   offhook       ≈  +8 V (loop closed)
 *   reversed      ≈  -8 V (loop closed, exchange reversed the polarity)
 *   disconnected  ≈   0 V
 *   ringing       DC as onhook, ring AC during the cadence's on periods
 *
 * Every reading carries a small deterministic noise (at most 0.3 V) so it
 * looks measured, while staying well inside its voltage band.
 */

export type LineState = 'onhook' | 'ringing' | 'offhook' | 'reversed' | 'disconnected';

export const LINE_STATES: readonly LineState[] = ['onhook', 'ringing', 'offhook', 'reversed', 'disconnected'];

export interface RingCadence {
  onMs: number;
  offMs: number;
}

/** China (and the default): 1 s ring, 4 s pause. */
export const CHINA_RING_CADENCE: RingCadence = { onMs: 1000, offMs: 4000 };

export const NOMINAL_VOLTS: Record<LineState, number> = {
  onhook: 48,
  ringing: 48,
  offhook: 8,
  reversed: -8,
  disconnected: 0,
};

export const MAX_NOISE_VOLTS = 0.3;

export interface LineReading {
  /** Volts, 0.1 V resolution. */
  voltage: number;
  ringing: boolean;
}

/** Whether ring AC is on `sinceMs` after ringing started; the first on period starts at 0. */
export function ringOn(sinceMs: number, cadence: RingCadence = CHINA_RING_CADENCE): boolean {
  if (sinceMs < 0) return false;
  const period = cadence.onMs + cadence.offMs;
  if (period <= 0) return false;
  return sinceMs % period < cadence.onMs;
}

/** Deterministic noise in [-0.2, +0.2] V for a channel and a 100 ms measurement slot. */
export function lineNoise(channel: number, tMs: number): number {
  let h = (Math.imul(channel + 1, 0x9e3779b1) ^ Math.imul(Math.floor(tMs / 100) + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return ((h % 5) - 2) / 10;
}

/**
 * What the card measures on a line in `state`, `sinceMs` after the state
 * began, at time `tMs` (for the noise).
 */
export function lineReading(
  state: LineState,
  sinceMs: number,
  options: { cadence?: RingCadence; channel?: number; tMs?: number } = {},
): LineReading {
  const noise = lineNoise(options.channel ?? 0, options.tMs ?? sinceMs);
  const voltage = Math.round((NOMINAL_VOLTS[state] + noise) * 10) / 10;
  return { voltage, ringing: state === 'ringing' && ringOn(sinceMs, options.cadence) };
}

export type VoltageBand = 'onhook' | 'offhook' | 'reversed' | 'disconnected';

/** Classifies a measured DC voltage; the card reports a change when the band changes. */
export function voltageBand(voltage: number): VoltageBand {
  if (voltage >= 20) return 'onhook';
  if (voltage >= 3) return 'offhook';
  if (voltage <= -3) return 'reversed';
  return 'disconnected';
}

/** The state of a line and when it began (ms since the source's start). */
export interface LineStateAt {
  state: LineState;
  sinceMs: number;
}

/**
 * What is connected to one channel of the simulated card: a scenario line or
 * generated traffic. Times are ms since the card started.
 */
export interface LineSource {
  readonly cadence: RingCadence;
  stateAt(tMs: number): LineStateAt;
  /** Writes the line's audio (8 kHz) for `out.length` samples starting at `tMs`. */
  fillAudio(tMs: number, out: Int16Array): void;
}

export interface TimelineEntry {
  tMs: number;
  state: LineState;
}

/** The entry in force at `tMs` (entries ascending); the line is on hook before the first entry. */
export function timelineStateAt(timeline: readonly TimelineEntry[], tMs: number): LineStateAt {
  let lo = 0;
  let hi = timeline.length - 1;
  if (hi < 0 || timeline[0]!.tMs > tMs) return { state: 'onhook', sinceMs: Math.max(0, tMs) };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timeline[mid]!.tMs <= tMs) lo = mid;
    else hi = mid - 1;
  }
  const e = timeline[lo]!;
  return { state: e.state, sinceMs: tMs - e.tMs };
}

/** A line following a fixed timeline, carrying a recording from t = 0 and silence after it. */
export class TimelineSource implements LineSource {
  constructor(
    readonly timeline: readonly TimelineEntry[],
    private readonly audio: Int16Array | null = null,
    readonly cadence: RingCadence = CHINA_RING_CADENCE,
  ) {}

  stateAt(tMs: number): LineStateAt {
    return timelineStateAt(this.timeline, tMs);
  }

  fillAudio(tMs: number, out: Int16Array): void {
    out.fill(0);
    if (!this.audio) return;
    const start = Math.round(tMs * 8);
    for (let i = 0; i < out.length; i++) {
      const s = start + i;
      if (s >= 0 && s < this.audio.length) out[i] = this.audio[s]!;
    }
  }
}

/** An idle line: on hook, silent. */
export function idleSource(): LineSource {
  return new TimelineSource([{ tMs: 0, state: 'onhook' }]);
}
