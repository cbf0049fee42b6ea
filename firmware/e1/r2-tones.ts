/**
 * MFC-R2 register signal detector (ITU-T Q.441 / Q.442; China No.1 uses the
 * same frequencies): two out of six tones, forward group 1380, 1500, 1620,
 * 1740, 1860, 1980 Hz, backward group 1140, 1020, 900, 780, 660, 540 Hz.
 * Signal n (1..15) is the pair given by `SIGNAL_OF_PAIR`: signals 1..10 use
 * the first five frequencies, 11..15 the sixth with one of the first five.
 *
 * Six Goertzel filters run over 80-sample (10 ms) blocks, two staggered by 40
 * samples, so a decision comes every 5 ms. A block holds signal n when:
 * - both tones are between -38 and +3 dBm0 (Q.442 asks for -35 .. -5),
 * - their levels differ by at most 7 dB (twist; Q.442: 5 dB adjacent, 7 dB otherwise),
 * - every other filter of the group is at least 6 dB below the weaker tone,
 * - the two tones carry at least 60 % of the block's power (speech, ringback
 *   and noise do not).
 * Two decisions in a row for the same signal start it (onset: the first
 * block's first sample); two in a row without it end it (offset: the last
 * good block's last sample). Both are reported as sample indices since the
 * detector started, so the resolution is 5 ms and the delay 10..15 ms.
 */
import { ALAW_TO_LINEAR } from '../dsp/g711.ts';

export type R2Group = 'forward' | 'backward';

export const R2_FREQUENCIES: Record<R2Group, readonly number[]> = {
  forward: [1380, 1500, 1620, 1740, 1860, 1980],
  backward: [1140, 1020, 900, 780, 660, 540],
};

/** Signal number of the tone pair (i, j), i < j, indices into R2_FREQUENCIES. */
export const SIGNAL_OF_PAIR: readonly (readonly number[])[] = [
  [0, 1, 2, 4, 7, 11],
  [1, 0, 3, 5, 8, 12],
  [2, 3, 0, 6, 9, 13],
  [4, 5, 6, 0, 10, 14],
  [7, 8, 9, 10, 0, 15],
  [11, 12, 13, 14, 15, 0],
];

export interface R2ToneEvent {
  signal: number;
  on: boolean;
  /** Sample index (since the detector started) of the onset's first or the offset's last sample. */
  sample: number;
}

const BLOCK = 80;
const HOP = 40;
const DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);
const DBM0_POWER = (DBM0_PEAK * DBM0_PEAK) / 2;
const MIN_TONE = DBM0_POWER * Math.pow(10, -38 / 10);
const MAX_TONE = DBM0_POWER * Math.pow(10, 3 / 10);
const TWIST = Math.pow(10, 7 / 10);
const GUARD = Math.pow(10, 6 / 10);
const TO_TOTAL = 0.6;

export class R2ToneDetector {
  private readonly coef = new Float64Array(6);
  /** Two staggered accumulators: [acc * 6 + filter]. */
  private readonly s1 = new Float64Array(12);
  private readonly s2 = new Float64Array(12);
  private readonly energy = new Float64Array(2);
  private readonly count = new Int32Array([0, HOP]);
  private readonly power = new Float64Array(6);
  private sample = 0;
  private current = 0;
  private candidate = 0;
  private candidateStart = 0;
  private candidateRun = 0;
  private missRun = 0;
  private lastGoodEnd = 0;

  constructor(readonly group: R2Group) {
    R2_FREQUENCIES[group].forEach((f, k) => (this.coef[k] = 2 * Math.cos((2 * Math.PI * f) / 8000)));
  }

  /** Samples processed since the detector started. */
  get samplesSeen(): number {
    return this.sample;
  }

  /** The signal on now (0: none). */
  get signal(): number {
    return this.current;
  }

  process(alaw: Uint8Array, onEvent: (e: R2ToneEvent) => void): void {
    const coef = this.coef;
    const s1 = this.s1;
    const s2 = this.s2;
    for (let i = 0; i < alaw.length; i++) {
      const x = ALAW_TO_LINEAR[alaw[i]!]!;
      for (let a = 0; a < 2; a++) {
        const base = a * 6;
        for (let k = 0; k < 6; k++) {
          const s = x + coef[k]! * s1[base + k]! - s2[base + k]!;
          s2[base + k] = s1[base + k]!;
          s1[base + k] = s;
        }
        this.energy[a]! += x * x;
        if (++this.count[a]! === BLOCK) {
          this.decide(a, this.sample + 1 - BLOCK, onEvent);
          this.count[a] = 0;
        }
      }
      this.sample++;
    }
  }

  private decide(a: number, start: number, onEvent: (e: R2ToneEvent) => void): void {
    const base = a * 6;
    let i1 = -1;
    let i2 = -1;
    for (let k = 0; k < 6; k++) {
      const p1 = this.s1[base + k]!;
      const p2 = this.s2[base + k]!;
      // Mean power of the tone at this frequency: 2 |X|^2 / N^2.
      const p = (2 * (p1 * p1 + p2 * p2 - this.coef[k]! * p1 * p2)) / (BLOCK * BLOCK);
      this.power[k] = p;
      this.s1[base + k] = 0;
      this.s2[base + k] = 0;
      if (i1 < 0 || p > this.power[i1]!) {
        i2 = i1;
        i1 = k;
      } else if (i2 < 0 || p > this.power[i2]!) i2 = k;
    }
    const total = this.energy[a]! / BLOCK;
    this.energy[a] = 0;
    let signal = 0;
    const hi = this.power[i1]!;
    const lo = this.power[i2]!;
    if (lo >= MIN_TONE && hi <= MAX_TONE && hi <= lo * TWIST && hi + lo >= TO_TOTAL * total) {
      let guarded = true;
      for (let k = 0; k < 6; k++) if (k !== i1 && k !== i2 && this.power[k]! * GUARD > lo) guarded = false;
      if (guarded) signal = SIGNAL_OF_PAIR[i1]![i2]!;
    }
    this.track(signal, start, onEvent);
  }

  private track(signal: number, start: number, onEvent: (e: R2ToneEvent) => void): void {
    if (this.current !== 0) {
      if (signal === this.current) {
        this.missRun = 0;
        this.lastGoodEnd = start + BLOCK - 1;
        return;
      }
      if (++this.missRun < 2) return;
      onEvent({ signal: this.current, on: false, sample: this.lastGoodEnd });
      this.current = 0;
      this.missRun = 0;
    }
    if (signal === 0) {
      this.candidateRun = 0;
      return;
    }
    if (signal !== this.candidate || this.candidateRun === 0) {
      this.candidate = signal;
      this.candidateStart = start;
      this.candidateRun = 1;
      return;
    }
    if (++this.candidateRun >= 2) {
      this.current = signal;
      this.candidateRun = 0;
      this.missRun = 0;
      this.lastGoodEnd = start + BLOCK - 1;
      onEvent({ signal, on: true, sample: this.candidateStart });
    }
  }
}
