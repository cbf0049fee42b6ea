/**
 * The FSK caller-ID receiver's front end (see fsk-callerid.ts): two
 * quadrature correlators, at the mark and at the space frequency, summed over
 * a sliding window of one bit, plus the window's energy; and a cheap check of
 * a stretch of input for a good share of energy at the mark frequency.
 */
export class FskCorrelators {
  /** Window length, samples (one bit). */
  readonly span: number;
  /** Mark correlator (re, im), space correlator (re, im) and energy over the window. */
  markRe = 0;
  markIm = 0;
  spaceRe = 0;
  spaceIm = 0;
  energy = 0;

  private readonly markCoef: number;
  private readonly cosM: Float64Array;
  private readonly sinM: Float64Array;
  private readonly cosS: Float64Array;
  private readonly sinS: Float64Array;
  /** The window's products, five per sample. */
  private readonly ring: Float64Array;
  private pm = 0;
  private ps = 0;
  private r = 0;
  private sinceResum = 0;

  constructor(markHz: number, spaceHz: number, baud: number, sampleRate: number) {
    this.span = Math.round(sampleRate / baud);
    this.markCoef = 2 * Math.cos((2 * Math.PI * markHz) / sampleRate);
    this.cosM = table(markHz, sampleRate, Math.cos);
    this.sinM = table(markHz, sampleRate, Math.sin);
    this.cosS = table(spaceHz, sampleRate, Math.cos);
    this.sinS = table(spaceHz, sampleRate, Math.sin);
    this.ring = new Float64Array(5 * this.span);
  }

  /** Empties the window. */
  clear(): void {
    this.ring.fill(0);
    this.markRe = this.markIm = this.spaceRe = this.spaceIm = this.energy = 0;
    this.sinceResum = 0;
  }

  /** Slides the window on by one sample. */
  push(x: number): void {
    const mr = x * this.cosM[this.pm]!;
    const mi = x * this.sinM[this.pm]!;
    const sr = x * this.cosS[this.ps]!;
    const si = x * this.sinS[this.ps]!;
    const e = x * x;
    if (++this.pm === this.cosM.length) this.pm = 0;
    if (++this.ps === this.cosS.length) this.ps = 0;
    const ring = this.ring;
    const at = 5 * this.r;
    this.markRe += mr - ring[at]!;
    this.markIm += mi - ring[at + 1]!;
    this.spaceRe += sr - ring[at + 2]!;
    this.spaceIm += si - ring[at + 3]!;
    this.energy += e - ring[at + 4]!;
    ring[at] = mr;
    ring[at + 1] = mi;
    ring[at + 2] = sr;
    ring[at + 3] = si;
    ring[at + 4] = e;
    if (++this.r === this.span) this.r = 0;
    if (++this.sinceResum === 4096) this.resum();
  }

  /**
   * Whether pcm[from, to) is above `silentPower` (mean power) and carries at
   * least `share` of its energy near the mark frequency (one Goertzel filter).
   */
  markLikely(pcm: Int16Array, from: number, to: number, silentPower: number, share: number): boolean {
    const c = this.markCoef;
    let s1 = 0;
    let s2 = 0;
    let e = 0;
    for (let i = from; i < to; i++) {
      const x = pcm[i]!;
      const s0 = x + c * s1 - s2;
      s2 = s1;
      s1 = s0;
      e += x * x;
    }
    const n = to - from;
    if (e < n * silentPower) return false;
    return s1 * s1 + s2 * s2 - c * s1 * s2 >= share * (n / 2) * e;
  }

  /** Recomputes the sliding sums from the window, so rounding errors cannot accumulate. */
  private resum(): void {
    this.sinceResum = 0;
    let mr = 0;
    let mi = 0;
    let sr = 0;
    let si = 0;
    let e = 0;
    for (let k = 0; k < this.ring.length; k += 5) {
      mr += this.ring[k]!;
      mi += this.ring[k + 1]!;
      sr += this.ring[k + 2]!;
      si += this.ring[k + 3]!;
      e += this.ring[k + 4]!;
    }
    this.markRe = mr;
    this.markIm = mi;
    this.spaceRe = sr;
    this.spaceIm = si;
    this.energy = e;
  }
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** One period of fn(2π f n / rate), as many samples as it takes to repeat exactly. */
function table(freq: number, sampleRate: number, fn: (x: number) => number): Float64Array {
  const period = sampleRate / gcd(freq, sampleRate);
  return Float64Array.from({ length: period }, (_, n) => fn((2 * Math.PI * freq * n) / sampleRate));
}
