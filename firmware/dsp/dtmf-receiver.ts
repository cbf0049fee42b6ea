/**
 * Streaming DTMF receiver.
 *
 * Each 102-sample block (12.75 ms at 8 kHz) is analysed by eight Goertzel
 * filters, run as two 51-sample halves so each filter yields a coherent
 * full-block energy and, from the phase advance between the halves, the
 * frequency of the tone it sees. A block holds a digit when:
 *
 * - the strongest row and column tones are each above -42 dBm0,
 * - twist is within limits: low group louder by at most 9.5 dB ("normal"),
 *   high group louder by at most 6 dB ("reverse"); the spec asks for 8 / 4 dB,
 * - each beats the other tones of its group by 8 dB,
 * - together they carry at least 75 % of the block's energy (so a block only
 *   partly covered by a tone, or a tone under speech or noise, fails),
 * - both tones are within 2.5 % of nominal (spec: accept 1.5 %, reject 3.5 %).
 *
 * Digits, their start and end, and their on and off times follow from the
 * blocks as dtmf-digits.ts describes (40 ms tones always heard, 20 ms never,
 * a 10 ms drop-out bridged, a 15 ms gap two key presses).
 *
 * Quiet input (below -50 dBm0) does not run the filters. No allocation
 * happens while processing, except the event handed to the callback.
 */
import { DtmfDigitTracker, type DtmfDigitEvent } from './dtmf-digits.ts';

export type { DtmfDigitEvent } from './dtmf-digits.ts';

const ROW_HZ = [697, 770, 852, 941];
const COL_HZ = [1209, 1336, 1477, 1633];

const THRESHOLD_DBM0 = -42;
const NORMAL_TWIST = Math.pow(10, 9.5 / 10);
const REVERSE_TWIST = Math.pow(10, 6 / 10);
const RELATIVE_PEAK = Math.pow(10, 8 / 10);
const TO_TOTAL_ENERGY = 0.75;
const FREQ_TOLERANCE = 0.025;
/** Peak amplitude of a 0 dBm0 sine (see firmware/sim/signals.ts). */
const DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);
/** Input below this mean power (a sine at -50 dBm0) is not filtered while the filters are at rest. */
const QUIET_DBM0 = -50;

export class DtmfReceiver {
  private readonly half: number;
  private readonly block: number;
  private readonly threshold: number;
  private readonly quietPower: number;
  private readonly digits: DtmfDigitTracker;
  private readonly coef = new Float64Array(8);
  private readonly cosW = new Float64Array(8);
  private readonly sinW = new Float64Array(8);
  private readonly cosHalf = new Float64Array(8);
  private readonly sinHalf = new Float64Array(8);
  private readonly s1 = new Float64Array(8);
  private readonly s2 = new Float64Array(8);
  private readonly yaRe = new Float64Array(8);
  private readonly yaIm = new Float64Array(8);
  /** Frequency error of each filter's tone, Hz. */
  private readonly offsetHz = new Float64Array(8);
  private readonly energy = new Float64Array(8);
  private halfA = new Float64Array(8);
  private halfB = new Float64Array(8);
  private prevHalfA = new Float64Array(8);
  private prevHalfB = new Float64Array(8);

  private pos = 0;
  private filtersIdle = true;
  private secondHalf = false;
  private blockEnergy = 0;
  private sample = 0;

  constructor(private readonly sampleRate = 8000) {
    this.half = Math.round((51 * sampleRate) / 8000);
    this.block = 2 * this.half;
    const minPeak = DBM0_PEAK * Math.pow(10, THRESHOLD_DBM0 / 20);
    this.threshold = Math.pow((this.block * minPeak) / 2, 2);
    this.digits = new DtmfDigitTracker(this.half, sampleRate);
    this.quietPower = Math.pow(DBM0_PEAK * Math.pow(10, QUIET_DBM0 / 20), 2) / 2;
    const freqs = [...ROW_HZ, ...COL_HZ];
    for (let k = 0; k < 8; k++) {
      const w = (2 * Math.PI * freqs[k]!) / sampleRate;
      this.coef[k] = 2 * Math.cos(w);
      this.cosW[k] = Math.cos(w);
      this.sinW[k] = Math.sin(w);
      this.cosHalf[k] = Math.cos(w * this.half);
      this.sinHalf[k] = Math.sin(w * this.half);
    }
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
    this.energy.fill(0);
    for (const h of [this.halfA, this.halfB, this.prevHalfA, this.prevHalfB]) h.fill(0);
    this.pos = 0;
    this.filtersIdle = true;
    this.secondHalf = false;
    this.blockEnergy = 0;
    this.sample = 0;
    this.digits.reset();
  }

  process(pcm: Int16Array, onDigit: (e: DtmfDigitEvent) => void): void {
    let i = 0;
    while (i < pcm.length) {
      const n = Math.min(this.half - this.pos, pcm.length - i);
      const end = i + n;
      let e = 0;
      for (let j = i; j < end; j++) e += pcm[j]! * pcm[j]!;
      this.blockEnergy += e;
      // Filters still at rest and a quiet stretch: running them would change nothing that matters.
      if (!this.filtersIdle || e >= n * this.quietPower) {
        this.filtersIdle = false;
        this.filter4(pcm, i, end, 0);
        this.filter4(pcm, i, end, 4);
      }
      this.pos += n;
      this.sample += n;
      i = end;
      if (this.pos === this.half) this.endOfHalf(onDigit);
    }
  }

  /** Runs filters k..k+3 over pcm[from, to), side by side so their sums proceed in parallel. */
  private filter4(pcm: Int16Array, from: number, to: number, k: number): void {
    const s1 = this.s1;
    const s2 = this.s2;
    const c0 = this.coef[k]!, c1 = this.coef[k + 1]!, c2 = this.coef[k + 2]!, c3 = this.coef[k + 3]!;
    let a1 = s1[k]!, b1 = s1[k + 1]!, d1 = s1[k + 2]!, f1 = s1[k + 3]!;
    let a2 = s2[k]!, b2 = s2[k + 1]!, d2 = s2[k + 2]!, f2 = s2[k + 3]!;
    for (let j = from; j < to; j++) {
      const x = pcm[j]!;
      const a0 = x + c0 * a1 - a2;
      const b0 = x + c1 * b1 - b2;
      const d0 = x + c2 * d1 - d2;
      const f0 = x + c3 * f1 - f2;
      a2 = a1; a1 = a0; b2 = b1; b1 = b0; d2 = d1; d1 = d0; f2 = f1; f1 = f0;
    }
    s1[k] = a1; s1[k + 1] = b1; s1[k + 2] = d1; s1[k + 3] = f1;
    s2[k] = a2; s2[k + 1] = b2; s2[k + 2] = d2; s2[k + 3] = f2;
  }

  private endOfHalf(onDigit: (e: DtmfDigitEvent) => void): void {
    this.pos = 0;
    if (!this.secondHalf) {
      for (let k = 0; k < 8; k++) {
        this.yaRe[k] = this.s1[k]! - this.cosW[k]! * this.s2[k]!;
        this.yaIm[k] = this.sinW[k]! * this.s2[k]!;
      }
      this.secondHalf = true;
    } else {
      let swap = this.prevHalfA;
      this.prevHalfA = this.halfA;
      this.halfA = swap;
      swap = this.prevHalfB;
      this.prevHalfB = this.halfB;
      this.halfB = swap;
      const halfRad = (2 * Math.PI * this.half) / this.sampleRate;
      for (let k = 0; k < 8; k++) {
        const yr = this.s1[k]! - this.cosW[k]! * this.s2[k]!;
        const yi = this.sinW[k]! * this.s2[k]!;
        // Second half rotated back by the filter's own advance over one half.
        const br = yr * this.cosHalf[k]! + yi * this.sinHalf[k]!;
        const bi = yi * this.cosHalf[k]! - yr * this.sinHalf[k]!;
        const ar = this.yaRe[k]!;
        const ai = this.yaIm[k]!;
        this.halfA[k] = ar * ar + ai * ai;
        this.halfB[k] = yr * yr + yi * yi;
        this.energy[k] = (ar + br) * (ar + br) + (ai + bi) * (ai + bi);
        // Residual phase advance between the halves = frequency error.
        const dphi = Math.atan2(bi * ar - br * ai, br * ar + bi * ai);
        this.offsetHz[k] = dphi / halfRad;
      }
      this.secondHalf = false;
      this.digits.onBlock(this.classify(), this.sample - this.block, this.prevHalfA, this.prevHalfB, this.halfA, this.halfB, onDigit);
      this.blockEnergy = 0;
    }
    this.s1.fill(0);
    this.s2.fill(0);
    this.filtersIdle = true;
  }

  /** Digit index 0-15 held by the block just completed, or -1. */
  private classify(): number {
    const e = this.energy;
    let row = 0;
    let col = 4;
    for (let k = 1; k < 4; k++) if (e[k]! > e[row]!) row = k;
    for (let k = 5; k < 8; k++) if (e[k]! > e[col]!) col = k;
    const er = e[row]!;
    const ec = e[col]!;
    if (er < this.threshold || ec < this.threshold) return -1;
    if (er > ec * NORMAL_TWIST || ec > er * REVERSE_TWIST) return -1;
    for (let k = 0; k < 8; k++) {
      if (k === row || k === col) continue;
      if (e[k]! * RELATIVE_PEAK > (k < 4 ? er : ec)) return -1;
    }
    const dr = this.offsetHz[row]!;
    const dc = this.offsetHz[col]!;
    if (Math.abs(dr) > FREQ_TOLERANCE * ROW_HZ[row]! || Math.abs(dc) > FREQ_TOLERANCE * COL_HZ[col - 4]!) return -1;
    if (er + ec < TO_TOTAL_ENERGY * (this.block / 2) * this.blockEnergy) return -1;
    return row * 4 + (col - 4);
  }
}
