/**
 * Call-progress tones: busy, congestion (reorder) and ring-back, by their
 * frequencies and cadence.
 *
 * The cadences and their frequencies are listed in tone-cadences.ts (China
 * 450 Hz, ITU-T E.180 425 Hz, North American dual tones).
 *
 * Frames of 25 ms (200 samples, so 440 and 480 Hz fall on neighbouring
 * Goertzel bins and do not leak into each other) are analysed at 425, 440,
 * 450, 480 and 620 Hz. A frame is "on" for a tone family when the family's
 * frequencies hold at least 60 % of the frame's energy and the frame is above
 * -36 dBm0: 425 Hz alone, 450 Hz alone, 440+480 Hz, or 480+620 Hz. Frames
 * below -45 dBm0 are not filtered. Consecutive on-frames of one family make a
 * burst; its start and end are refined to a few ms from the share of tone in
 * the frames at its edges (for a tone between silences, that share is the
 * part of the frame the tone covers).
 *
 * A tone is recognised when three consecutive on/off cycles (the third off
 * period closed by the next burst, once that has lasted 100 ms) all match
 * one cadence of the bursts' family within ±20 % on both the on and the off
 * time; it is reported once, with the start of the first of those bursts.
 * While the cadence goes on nothing more is reported; when it stops (an off period or a burst runs
 * more than 20 % long, or a cycle does not match), the tone has ended and is
 * reported again only after three fresh matching cycles.
 *
 * Bursts shorter than 100 ms (speech, clicks) count as off time. Steady tones
 * (dial tone) never form a cadence. No allocation happens while processing.
 */
import { CADENCES, type Cadence, type CallProgressTone, FAMILY_425, FAMILY_440_480, FAMILY_450, FAMILY_480_620 } from './tone-cadences.ts';
import { FAMILY_COUNT, MAX_OFF_MS, MAX_ON_MS, type ToneRegion } from './tone-cadences.ts';

export type { CallProgressTone, ToneRegion } from './tone-cadences.ts';

export interface CallProgressEvent {
  tone: CallProgressTone;
  region: ToneRegion;
  /** First sample of the first burst of the recognised cadence, counted from the first sample processed. */
  startSample: number;
}

const FRAME_MS = 25;
const FREQS = [425, 440, 450, 480, 620];
const ON_SHARE = 0.6;
/** Share of the frame energy a frame full of tone shows (the rest is leakage and rounding). */
const FULL_SHARE = 0.95;
const ON_DBM0 = -36;
const QUIET_DBM0 = -45;
const DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);
const TOLERANCE = 0.2;
const MIN_BURST_MS = 100;
const CYCLES = 3;
const NONE = -1;


export class CallProgressDetector {
  private readonly n: number;
  private readonly coef = new Float64Array(FREQS.length);
  private readonly buf: Float64Array;
  private readonly onPower: number;
  private readonly quietPower: number;
  private readonly minBurst: number;
  /** Share of the frame's energy held by each family, this frame and the one before. */
  private share = new Float64Array(FAMILY_COUNT);
  private prevShare = new Float64Array(FAMILY_COUNT);

  private pos = 0;
  private sample = 0;
  /** Energy of the frame so far. */
  private energy = 0;

  /** The burst going on: its family (NONE when none), estimated start, end of its last on-frame and that frame's share. */
  private family = NONE;
  private endFrame = 0;
  private startAt = 0;
  private lastShare = 0;
  private confirmed = false;
  /** The last burst long enough to count: family, start, end once it has ended (closed). */
  private lastFamily = NONE;
  private lastStart = 0;
  private lastEnd = 0;
  private lastClosed = false;
  /** Up to three cycles (burst start, on time, off time after it) of one family, oldest first; samples. */
  private readonly cycleStart = new Float64Array(CYCLES);
  private readonly cycleOn = new Float64Array(CYCLES);
  private readonly cycleOff = new Float64Array(CYCLES);
  private cycles = 0;
  /** Cadence recognised and still going on (index into CADENCES), or NONE. */
  private active = NONE;

  constructor(private readonly sampleRate = 8000) {
    this.n = Math.round((FRAME_MS * sampleRate) / 1000);
    this.buf = new Float64Array(this.n);
    for (let k = 0; k < FREQS.length; k++) this.coef[k] = 2 * Math.cos((2 * Math.PI * FREQS[k]!) / sampleRate);
    const power = (dbm0: number) => Math.pow(DBM0_PEAK * Math.pow(10, dbm0 / 20), 2) / 2;
    this.onPower = power(ON_DBM0);
    this.quietPower = power(QUIET_DBM0);
    this.minBurst = (MIN_BURST_MS * sampleRate) / 1000;
  }

  /** The tone going on now (recognised and not stopped since), or null. */
  get current(): CallProgressTone | null {
    return this.active === NONE ? null : CADENCES[this.active]!.tone;
  }

  reset(): void {
    this.pos = this.sample = this.energy = 0;
    this.family = this.lastFamily = NONE;
    this.stop();
    this.share.fill(0);
    this.prevShare.fill(0);
  }

  process(pcm: Int16Array, onTone: (e: CallProgressEvent) => void): void {
    const buf = this.buf;
    for (let i = 0; i < pcm.length; ) {
      const end = Math.min(pcm.length, i + this.n - this.pos);
      let p = this.pos;
      let e = this.energy;
      for (let j = i; j < end; j++) {
        const x = pcm[j]!;
        buf[p++] = x;
        e += x * x;
      }
      this.pos = p;
      this.energy = e;
      i = end;
      if (p === this.n) {
        this.pos = 0;
        this.endOfFrame(onTone);
        this.energy = 0;
      }
    }
  }

  /** Fills `share` with each family's share of the frame energy; returns the frame's mean power. */
  private analyse(): number {
    const buf = this.buf;
    const n = this.n;
    const s = this.share;
    const e = this.energy;
    if (e < n * this.quietPower) {
      s.fill(0);
      return e / n;
    }
    const c0 = this.coef[0]!, c1 = this.coef[1]!, c2 = this.coef[2]!, c3 = this.coef[3]!, c4 = this.coef[4]!;
    let a1 = 0, a2 = 0, b1 = 0, b2 = 0, d1 = 0, d2 = 0, f1 = 0, f2 = 0, g1 = 0, g2 = 0;
    for (let i = 0; i < n; i++) {
      const x = buf[i]!;
      const a0 = x + c0 * a1 - a2;
      const b0 = x + c1 * b1 - b2;
      const d0 = x + c2 * d1 - d2;
      const f0 = x + c3 * f1 - f2;
      const g0 = x + c4 * g1 - g2;
      a2 = a1; a1 = a0; b2 = b1; b1 = b0; d2 = d1; d1 = d0; f2 = f1; f1 = f0; g2 = g1; g1 = g0;
    }
    // |X|² of a sine of amplitude A at the filter's frequency is (A n / 2)², its energy A² n / 2.
    const norm = 2 / (n * e);
    const p425 = (a1 * a1 + a2 * a2 - c0 * a1 * a2) * norm;
    const p440 = (b1 * b1 + b2 * b2 - c1 * b1 * b2) * norm;
    const p450 = (d1 * d1 + d2 * d2 - c2 * d1 * d2) * norm;
    const p480 = (f1 * f1 + f2 * f2 - c3 * f1 * f2) * norm;
    const p620 = (g1 * g1 + g2 * g2 - c4 * g1 * g2) * norm;
    s[FAMILY_425] = p425;
    s[FAMILY_450] = p450;
    s[FAMILY_440_480] = p440 + p480;
    s[FAMILY_480_620] = p480 + p620;
    return e / n;
  }

  /** Part of a frame the family's tone covers, from its share of the frame's energy. */
  private cover(share: number): number {
    return share >= FULL_SHARE ? 1 : share / FULL_SHARE;
  }

  private endOfFrame(onTone: (e: CallProgressEvent) => void): void {
    const frameStart = this.sample;
    this.sample += this.n;
    const swap = this.prevShare;
    this.prevShare = this.share;
    this.share = swap;
    const power = this.analyse();
    const s = this.share;
    let best = 0;
    for (let f = 1; f < FAMILY_COUNT; f++) if (s[f]! > s[best]!) best = f;
    const on = power >= this.onPower && s[best]! >= ON_SHARE ? best : NONE;

    if (this.family !== NONE && on === this.family) {
      this.endFrame = this.sample;
      this.lastShare = s[on]!;
      if (!this.confirmed && this.endFrame - (1 - this.cover(this.lastShare)) * this.n - this.startAt >= this.minBurst) this.confirm(onTone);
    } else {
      if (this.family !== NONE) {
        // The tone ended inside the last on-frame or inside this one.
        const end = this.endFrame - (1 - this.cover(this.lastShare)) * this.n + this.cover(s[this.family]!) * this.n;
        if (!this.confirmed && end - this.startAt >= this.minBurst) this.confirm(onTone);
        if (this.confirmed) {
          this.lastEnd = end;
          this.lastClosed = true;
        }
        this.family = NONE;
      }
      if (on !== NONE) {
        this.family = on;
        this.confirmed = false;
        this.endFrame = this.sample;
        this.lastShare = s[on]!;
        // The tone started inside this frame or inside the one before.
        this.startAt = frameStart + (1 - this.cover(s[on]!)) * this.n - this.cover(this.prevShare[on]!) * this.n;
      }
    }
    this.checkRunning();
  }

  /**
   * The burst going on has lasted long enough to be part of a cadence (shorter
   * ones count as off time): it closes the cycle of the burst before it.
   */
  private confirm(onTone: (e: CallProgressEvent) => void): void {
    this.confirmed = true;
    const start = this.startAt;
    if (this.lastFamily === this.family && this.lastClosed) this.addCycle(this.lastStart, this.lastEnd - this.lastStart, start - this.lastEnd, onTone);
    else this.stop();
    this.lastFamily = this.family;
    this.lastStart = start;
    this.lastClosed = false;
  }

  private addCycle(start: number, on: number, off: number, onTone: (e: CallProgressEvent) => void): void {
    if (this.active !== NONE && !this.matches(CADENCES[this.active]!, on, off)) this.stop();
    if (this.cycles === CYCLES) {
      this.cycleStart.copyWithin(0, 1);
      this.cycleOn.copyWithin(0, 1);
      this.cycleOff.copyWithin(0, 1);
      this.cycles--;
    }
    this.cycleStart[this.cycles] = start;
    this.cycleOn[this.cycles] = on;
    this.cycleOff[this.cycles] = off;
    this.cycles++;
    if (this.active !== NONE || this.cycles < CYCLES) return;
    const found = this.match();
    if (found === NONE) return;
    this.active = found;
    const c = CADENCES[found]!;
    onTone({ tone: c.tone, region: c.region, startSample: Math.max(0, Math.round(this.cycleStart[0]!)) });
  }

  /** The cadence of the current family all stored cycles match (the closest when several do), or NONE. */
  private match(): number {
    let found = NONE;
    let bestDeviation = Infinity;
    for (let k = 0; k < CADENCES.length; k++) {
      const c = CADENCES[k]!;
      if (c.family !== this.lastFamily) continue;
      let deviation = 0;
      for (let i = 0; i < this.cycles; i++) {
        const on = this.cycleOn[i]!;
        const off = this.cycleOff[i]!;
        if (!this.matches(c, on, off)) {
          deviation = Infinity;
          break;
        }
        deviation += Math.abs(this.ms(on) - c.onMs) / c.onMs + Math.abs(this.ms(off) - c.offMs) / c.offMs;
      }
      if (deviation < bestDeviation) {
        bestDeviation = deviation;
        found = k;
      }
    }
    return found;
  }

  private ms(samples: number): number {
    return (samples * 1000) / this.sampleRate;
  }

  private matches(c: Cadence, on: number, off: number): boolean {
    return Math.abs(this.ms(on) - c.onMs) <= TOLERANCE * c.onMs && Math.abs(this.ms(off) - c.offMs) <= TOLERANCE * c.offMs;
  }

  /** A burst or an off period longer than any cadence allows (the running one, once recognised) ends it all. */
  private checkRunning(): void {
    const c = this.active === NONE ? null : CADENCES[this.active]!;
    let overMs: number;
    if (this.family !== NONE) overMs = this.ms(this.sample - this.startAt) - (1 + TOLERANCE) * (c ? c.onMs : MAX_ON_MS);
    else if (this.lastFamily !== NONE && this.lastClosed) overMs = this.ms(this.sample - this.lastEnd) - (1 + TOLERANCE) * (c ? c.offMs : MAX_OFF_MS);
    else return;
    if (overMs > FRAME_MS) {
      this.stop();
      this.lastFamily = NONE;
    }
  }

  private stop(): void {
    this.active = NONE;
    this.cycles = 0;
  }
}
