/**
 * DTMF digits from the receiver's analysed blocks (see dtmf-receiver.ts):
 * when a digit starts and ends, and its on and off times.
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
 */
const DIGITS = '123A456B789C*0#D';
const MISSES_TO_END = 3;
/** Shortest tone reported; the spec asks for 40 ms detected, 20 ms rejected. */
const MIN_TONE_MS = 22.5;
/** A dip in a digit's tones this long (in ms, its edges estimated) with the tones back after it splits the digit in two. */
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

export class DtmfDigitTracker {
  private readonly blockLen: number;
  private readonly minSamples: number;
  private readonly edgeMargin: number;
  private readonly splitSamples: number;
  private halfA: Float64Array = new Float64Array(8);
  private halfB: Float64Array = new Float64Array(8);

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

  constructor(
    private readonly half: number,
    sampleRate: number,
  ) {
    this.blockLen = 2 * half;
    this.minSamples = (MIN_TONE_MS * sampleRate) / 1000;
    this.edgeMargin = (EDGE_MARGIN_MS * sampleRate) / 1000;
    this.splitSamples = (SPLIT_GAP_MS * sampleRate) / 1000;
  }

  reset(): void {
    this.candidate = -1;
    this.candCount = 0;
    this.current = -1;
    this.misses = 0;
    this.inDip = false;
  }

  /** Amplitude of digit d's two tones in one half-block, from per-tone |y|². */
  private amp(h: Float64Array, d: number): number {
    return Math.sqrt(h[d >> 2]! + h[4 + (d & 3)]!);
  }

  /**
   * One analysed block: the digit it holds (0-15, or -1), where it starts,
   * and the per-filter |y|² of its two halves and of the block before it.
   */
  onBlock(
    d: number,
    blockStart: number,
    prevHalfA: Float64Array,
    prevHalfB: Float64Array,
    halfA: Float64Array,
    halfB: Float64Array,
    onDigit: (e: DtmfDigitEvent) => void,
  ): void {
    this.halfA = halfA;
    this.halfB = halfB;
    if (d >= 0 && d === this.candidate) this.candCount++;
    else {
      this.candidate = d;
      this.candCount = 1;
      if (d >= 0) {
        this.candStart = blockStart - this.blockLen;
        this.candHalves[0] = this.amp(prevHalfA, d);
        this.candHalves[1] = this.amp(prevHalfB, d);
        this.candHalves[2] = this.amp(halfA, d);
        this.candHalves[3] = this.amp(halfB, d);
      }
    }
    if (this.current >= 0) {
      const a = this.amp(halfA, this.current);
      const b = this.amp(halfB, this.current);
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
    return Number.isNaN(this.onAt) ? this.onStart + 2 * this.blockLen - this.covered(this.onHalves) : this.onAt;
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
