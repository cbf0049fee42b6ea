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
 * A digit starts after two consecutive blocks agree and ends after three
 * blocks without it or when another digit starts. While it lasts, its tones
 * are followed half-block by half-block: a dip of 12.5 ms or more after which
 * they come back is the same key pressed twice (two digits), a shorter one a
 * drop-out (bridged; the spec asks to bridge 10 ms). Its on and off times
 * come from the tone amplitude in the half-blocks around each edge relative
 * to a half-block full of tone, to within a few ms, and are then moved 1.5 ms
 * into the tone, so that they never fall outside it; tones shorter than
 * 22.5 ms are dropped (spec: 40 ms must be detected, 20 ms rejected).
 *
 * Quiet input (below -50 dBm0) does not run the filters. No allocation
 * happens while processing, except the event handed to the callback.
 */
const ROW_HZ = [697, 770, 852, 941];
const COL_HZ = [1209, 1336, 1477, 1633];
const DIGITS = '123A456B789C*0#D';

const THRESHOLD_DBM0 = -42;
const NORMAL_TWIST = Math.pow(10, 9.5 / 10);
const REVERSE_TWIST = Math.pow(10, 6 / 10);
const RELATIVE_PEAK = Math.pow(10, 8 / 10);
const TO_TOTAL_ENERGY = 0.75;
const FREQ_TOLERANCE = 0.025;
/** Peak amplitude of a 0 dBm0 sine (see firmware/sim/signals.ts). */
const DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);
const MISSES_TO_END = 3;
/** Input below this mean power (a sine at -50 dBm0) is not filtered while the filters are at rest. */
const QUIET_DBM0 = -50;
/** Shortest tone reported; the spec asks for 40 ms detected, 20 ms rejected. */
const MIN_TONE_MS = 22.5;
/** A dip in a digit's tones this long (uncovered samples, in ms) with the tones back after it splits the digit in two. */
const SPLIT_GAP_MS = 12.5;
/** Share of a full half-block's amplitude from which the tones count as back after a dip. */
const TONES_BACK = 0.8;
/** A dip splits a digit only if some half in it holds less than this share of a full one. */
const DIP_DEPTH = 0.35;
/** The on and off times are moved this far into the tone, more than the estimates' error. */
const EDGE_MARGIN_MS = 1.5;

export interface DtmfDigitEvent {
  digit: string;
  /** First sample of the tone, counted from the first sample ever given to the receiver. */
  onSample: number;
  /** First sample after the tone. */
  offSample: number;
}

export class DtmfReceiver {
  private readonly half: number;
  private readonly block: number;
  private readonly threshold: number;
  private readonly minSamples: number;
  private readonly edgeMargin: number;
  private readonly splitSamples: number;
  private readonly quietPower: number;
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

  private candidate = -1;
  private candCount = 0;
  private candStart = 0;
  /** Tone amplitude in the four half-blocks ending with the candidate's first block. */
  private readonly candHalves = new Float64Array(4);

  private current = -1;
  private onStart = 0;
  /** Start of the current digit when it follows a dip that split a digit (else NaN: from onHalves). */
  private onAt = Number.NaN;
  /** A dip in the current digit's tones: whether in one, where it began, where it ends if they are back after this half. */
  private inDip = false;
  private dipStart = 0;
  private dipEnd = 0;
  /** Lowest share of a full half in the dip; a gap between key presses has a half with (next to) no tone. */
  private dipDeepest = 0;
  private dipOff = 0;
  /** Share of a full half the digit's tones held in the half before. */
  private prevCover = 1;
  /** Amplitude of a half-block full of the digit's tones, averaged over the recent ones. */
  private typicalAmp = 0;
  private readonly onHalves = new Float64Array(4);
  private misses = 0;
  private lastHitStart = 0;
  /** Tone amplitude in the halves of the last block holding the digit and of the block after it. */
  private readonly edgeHalves = new Float64Array(4);
  /** Amplitude of a half-block full of the tone: the largest seen during the digit. */
  private refAmp = 0;

  constructor(private readonly sampleRate = 8000) {
    this.half = Math.round((51 * sampleRate) / 8000);
    this.block = 2 * this.half;
    const minPeak = DBM0_PEAK * Math.pow(10, THRESHOLD_DBM0 / 20);
    this.threshold = Math.pow((this.block * minPeak) / 2, 2);
    this.minSamples = (MIN_TONE_MS * sampleRate) / 1000;
    this.edgeMargin = (EDGE_MARGIN_MS * sampleRate) / 1000;
    this.splitSamples = (SPLIT_GAP_MS * sampleRate) / 1000;
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
    this.candidate = -1;
    this.candCount = 0;
    this.current = -1;
    this.misses = 0;
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
      this.endOfBlock(this.classify(), onDigit);
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

  /** Amplitude of digit d's two tones in one half-block, from per-tone |y|². */
  private amp(h: Float64Array, d: number): number {
    return Math.sqrt(h[d >> 2]! + h[4 + (d & 3)]!);
  }

  private endOfBlock(d: number, onDigit: (e: DtmfDigitEvent) => void): void {
    const blockStart = this.sample - this.block;
    if (d >= 0 && d === this.candidate) this.candCount++;
    else {
      this.candidate = d;
      this.candCount = 1;
      if (d >= 0) {
        this.candStart = blockStart - this.block;
        this.candHalves[0] = this.amp(this.prevHalfA, d);
        this.candHalves[1] = this.amp(this.prevHalfB, d);
        this.candHalves[2] = this.amp(this.halfA, d);
        this.candHalves[3] = this.amp(this.halfB, d);
      }
    }
    if (this.current >= 0) {
      const a = this.amp(this.halfA, this.current);
      const b = this.amp(this.halfB, this.current);
      this.dipHalf(a, blockStart, onDigit);
      this.dipHalf(b, blockStart + this.half, onDigit);
      if (d === this.current) {
        this.misses = 0;
        this.lastHitStart = blockStart;
        this.edgeHalves[0] = a;
        this.edgeHalves[1] = b;
        this.refAmp = Math.max(this.refAmp, a, b);
      } else {
        if (++this.misses === 1) {
          this.edgeHalves[2] = a;
          this.edgeHalves[3] = b;
        }
        const other = this.candidate >= 0 && this.candidate !== this.current && this.candCount >= 2;
        if (this.misses >= MISSES_TO_END || other) this.endDigit(onDigit);
      }
    }
    if (this.current < 0 && this.candidate >= 0 && this.candCount >= 2) this.startDigit(blockStart);
  }

  /**
   * Follows the current digit's tones half-block by half-block. A dip (halves
   * below TONES_BACK of a full one) after which they come back is measured
   * from the tone's share of its first and last half: SPLIT_GAP_MS or more
   * is two key presses, not a drop-out, so the digit is reported up to the
   * dip and a new one starts after it.
   */
  private dipHalf(amp: number, start: number, onDigit: (e: DtmfDigitEvent) => void): void {
    const cover = Math.min(1, amp / this.typicalAmp);
    const prevCover = this.prevCover;
    this.prevCover = cover;
    if (cover >= TONES_BACK) {
      this.typicalAmp += (amp - this.typicalAmp) * 0.25;
      if (this.inDip && this.dipDeepest < DIP_DEPTH && this.dipEnd - this.dipStart >= this.splitSamples) {
        const digit = this.current;
        // Reported times stay inside the tones: the later of the two estimates of their return.
        const back = Math.max(this.dipEnd, start + (1 - cover) * this.half);
        this.report(this.onSample(), this.dipOff, onDigit);
        this.current = digit;
        this.onAt = back;
      }
      this.inDip = false;
      return;
    }
    if (!this.inDip) {
      this.dipStart = start + cover * this.half;
      // The tones may already have faded in the half before: the earlier estimate is the reported end.
      this.dipOff = Math.min(this.dipStart, start - (1 - prevCover) * this.half);
      this.dipDeepest = cover;
    }
    this.inDip = true;
    this.dipDeepest = Math.min(this.dipDeepest, cover);
    // The tones come back at the end of this half, for the part of it they cover.
    this.dipEnd = start + (1 - cover) * this.half;
  }

  private startDigit(blockStart: number): void {
    const d = this.candidate;
    this.current = d;
    this.onStart = this.candStart;
    this.onAt = Number.NaN;
    this.inDip = false;
    this.onHalves.set(this.candHalves);
    this.misses = 0;
    this.lastHitStart = blockStart;
    this.edgeHalves[0] = this.amp(this.halfA, d);
    this.edgeHalves[1] = this.amp(this.halfB, d);
    this.refAmp = Math.max(this.edgeHalves[0]!, this.edgeHalves[1]!, this.candHalves[2]!, this.candHalves[3]!);
    this.typicalAmp = (this.edgeHalves[0]! + this.edgeHalves[1]!) / 2;
    this.prevCover = 1;
  }

  /**
   * Samples of tone in four consecutive half-blocks, from their amplitudes
   * relative to a full one. What the quietest of them holds (noise, or a
   * tone the digit shares with the one before) is taken off every half first,
   * so that it is not counted as part of the tone.
   */
  private covered(halves: Float64Array): number {
    let floor = Infinity;
    for (let i = 0; i < 4; i++) floor = Math.min(floor, halves[i]! * halves[i]!);
    const full = this.refAmp * this.refAmp - floor;
    if (!(full > 0)) return 4 * this.half;
    let sum = 0;
    for (let i = 0; i < 4; i++) sum += Math.min(1, Math.sqrt(Math.max(0, halves[i]! * halves[i]! - floor) / full));
    return sum * this.half;
  }

  private onSample(): number {
    return Number.isNaN(this.onAt) ? this.onStart + 2 * this.block - this.covered(this.onHalves) : this.onAt;
  }

  private endDigit(onDigit: (e: DtmfDigitEvent) => void): void {
    this.report(this.onSample(), this.lastHitStart + this.covered(this.edgeHalves), onDigit);
  }

  /** Ends the current digit, reporting it unless it was too short. */
  private report(onSample: number, offSample: number, onDigit: (e: DtmfDigitEvent) => void): void {
    const digit = DIGITS[this.current]!;
    this.current = -1;
    this.misses = 0;
    this.inDip = false;
    if (offSample - onSample < this.minSamples) return;
    onDigit({ digit, onSample: Math.round(onSample + this.edgeMargin), offSample: Math.round(offSample - this.edgeMargin) });
  }
}
