/**
 * Streaming FSK caller-ID receiver: Bell 202 (mark 1200 Hz / space 2200 Hz,
 * Telcordia GR-30) or V.23 (1300 / 2100 Hz, ETSI EN 300 659), 1200 bit/s.
 *
 * Demodulator: two quadrature correlators (mark and space) over a sliding
 * window of one bit; the bit is mark when the mark correlator carries more
 * energy. Carrier is present when the two together exceed -40 dBm0.
 *
 * Framing: the receiver first needs a run of at least 50 clean mark bits
 * (the mark signal that follows the channel seizure), whose frequency
 * (measured from the mark correlator's phase advance over two bits) must be
 * this standard's mark within 45 Hz — which keeps speech out and stops the
 * Bell 202 receiver from decoding V.23 and vice versa, while a sender 3 %
 * off frequency is still heard. Then it reads asynchronous characters (start
 * bit 0, 8 data bits LSB first, stop bit 1), re-synchronising on every start
 * bit (its edge placed to a fraction of a sample, bits read at their
 * centres): message type, length, body, checksum. From the third character
 * sent back to back on, bits are timed by the sender's own bit rate as the
 * start bits show it (within 5 % of 1200 bit/s), so a fast or slow sender's
 * last bits of a character are still read at their centres.
 * A message is reported only if its type is a caller-ID type, its checksum
 * verifies and its parameters parse (see callerid-message.ts).
 *
 * While hunting, each 10 ms of input is first checked cheaply (one Goertzel
 * filter at the mark frequency): silence, speech and other tones are skipped
 * without running the demodulator.
 * No allocation happens while processing, except for a reported message.
 */
import { parseCallerIdMessage, type CallerIdMessage } from './callerid-message.ts';

const BAUD = 1200;
const TONES = { bell202: { mark: 1200, space: 2200 }, v23: { mark: 1300, space: 2100 } } as const;
const DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);
const CARRIER_DBM0 = -40;
/** Mean power of a sine at -45 dBm0: below it, input counts as silence. */
const SILENT_POWER = Math.pow(DBM0_PEAK * Math.pow(10, -45 / 20), 2) / 2;
/** Pre-check: share of a 10 ms stretch's energy that must lie near the mark frequency. */
const MARK_SHARE = 0.3;
const MIN_MARK_BITS = 50;
const MARK_TOLERANCE_HZ = 45;
/** The mark frequency is measured from the correlator's phase advance over this many bit windows. */
const FREQ_LAG = 2;
/** Senders' bit rates within this share of 1200 bit/s are followed. */
const RATE_TOLERANCE = 0.05;
/** Mark must beat space by 6 dB, and the two must hold half the window's energy, to count as clean. */
const MARK_DOMINANCE = 4;
const PURITY = 0.5;
const MAX_GAP_BITS = 20;
const MAX_MESSAGE = 258;

const HUNT = 0;
const ARMED = 1;
const CHAR = 2;
const BETWEEN = 3;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function table(freq: number, sampleRate: number, fn: (x: number) => number): Float64Array {
  const period = sampleRate / gcd(freq, sampleRate);
  return Float64Array.from({ length: period }, (_, n) => fn((2 * Math.PI * freq * n) / sampleRate));
}

export class FskCallerIdReceiver {
  private readonly span: number;
  private readonly bitLen: number;
  private readonly carrier: number;
  private readonly segment: number;
  private readonly markCoef: number;
  private readonly cosM: Float64Array;
  private readonly sinM: Float64Array;
  private readonly cosS: Float64Array;
  private readonly sinS: Float64Array;
  private readonly ring: Float64Array;
  private readonly bytes = new Uint8Array(MAX_MESSAGE);

  private sample = 0;
  private pm = 0;
  private ps = 0;
  private r = 0;
  private sMr = 0;
  private sMi = 0;
  private sSr = 0;
  private sSi = 0;
  private sE = 0;
  private sinceResum = 0;

  private state = HUNT;
  private run = 0;
  private bad = 0;
  /** Past mark correlator outputs (re, im), one lag's worth, for measuring the mark frequency. */
  private readonly past: Float64Array;
  private pastAt = 0;
  private accRe = 0;
  private accIm = 0;
  private quiet = 0;
  private nextAt = 0;
  private bit = 0;
  private shift = 0;
  private count = 0;
  private wait = 0;
  private prevD = 0;
  /** Bit length in samples as the sender keeps it, and the last start bit's edge. */
  private bitEst = 0;
  private lastCrossing = Number.NEGATIVE_INFINITY;
  /** Edge of the first of the characters sent back to back so far, and how many followed it. */
  private firstCrossing = 0;
  private runChars = 0;

  constructor(
    private readonly standard: 'bell202' | 'v23',
    private readonly sampleRate = 8000,
  ) {
    const tones = TONES[standard];
    this.span = Math.round(sampleRate / BAUD);
    this.bitLen = sampleRate / BAUD;
    this.bitEst = this.bitLen;
    this.segment = Math.round(sampleRate / 100);
    this.markCoef = 2 * Math.cos((2 * Math.PI * tones.mark) / sampleRate);
    this.carrier = Math.pow((this.span * DBM0_PEAK * Math.pow(10, CARRIER_DBM0 / 20)) / 2, 2);
    this.cosM = table(tones.mark, sampleRate, Math.cos);
    this.sinM = table(tones.mark, sampleRate, Math.sin);
    this.cosS = table(tones.space, sampleRate, Math.cos);
    this.sinS = table(tones.space, sampleRate, Math.sin);
    this.ring = new Float64Array(5 * this.span);
    this.past = new Float64Array(2 * FREQ_LAG * this.span);
  }

  reset(): void {
    this.sample = 0;
    this.clearWindow();
    this.hunt();
  }

  private clearWindow(): void {
    this.ring.fill(0);
    this.sMr = this.sMi = this.sSr = this.sSi = this.sE = 0;
    this.sinceResum = 0;
  }

  private hunt(): void {
    this.state = HUNT;
    this.bitEst = this.bitLen;
    this.lastCrossing = Number.NEGATIVE_INFINITY;
    this.run = this.bad = this.quiet = 0;
    this.accRe = this.accIm = 0;
  }

  process(pcm: Int16Array, onMessage: (m: CallerIdMessage) => void): void {
    for (let from = 0; from < pcm.length; from += this.segment) {
      const to = Math.min(pcm.length, from + this.segment);
      if (this.state === HUNT && this.run === 0 && !this.markLikely(pcm, from, to)) {
        if (this.sE !== 0) this.clearWindow();
        this.sample += to - from;
        continue;
      }
      for (let i = from; i < to; i++) this.step(pcm[i]!, onMessage);
    }
  }

  /**
   * Cheap pre-check while hunting: does this stretch carry a good share of
   * its energy near the mark frequency? If not (silence, speech, other
   * tones), the demodulator can skip it, as no mark run can start there.
   */
  private markLikely(pcm: Int16Array, from: number, to: number): boolean {
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
    if (e < n * SILENT_POWER) return false;
    return s1 * s1 + s2 * s2 - c * s1 * s2 >= MARK_SHARE * (n / 2) * e;
  }

  private step(x: number, onMessage: (m: CallerIdMessage) => void): void {
    // Sliding quadrature correlators over one bit.
    const mr = x * this.cosM[this.pm]!;
    const mi = x * this.sinM[this.pm]!;
    const sr = x * this.cosS[this.ps]!;
    const si = x * this.sinS[this.ps]!;
    const e = x * x;
    if (++this.pm === this.cosM.length) this.pm = 0;
    if (++this.ps === this.cosS.length) this.ps = 0;
    const ring = this.ring;
    const at = 5 * this.r;
    this.sMr += mr - ring[at]!;
    this.sMi += mi - ring[at + 1]!;
    this.sSr += sr - ring[at + 2]!;
    this.sSi += si - ring[at + 3]!;
    this.sE += e - ring[at + 4]!;
    ring[at] = mr;
    ring[at + 1] = mi;
    ring[at + 2] = sr;
    ring[at + 3] = si;
    ring[at + 4] = e;
    if (++this.r === this.span) this.r = 0;
    if (++this.sinceResum === 4096) this.resum();
    const s = this.sample++;

    const pMark = this.sMr * this.sMr + this.sMi * this.sMi;
    const pSpace = this.sSr * this.sSr + this.sSi * this.sSi;
    const carrier = pMark + pSpace > this.carrier;
    const d = pMark - pSpace;
    const mark = d > 0;
    const prevD = this.prevD;
    this.prevD = d;

    switch (this.state) {
      case HUNT:
      case ARMED:
        this.trackMarks(carrier && pMark > MARK_DOMINANCE * pSpace && pMark + pSpace > PURITY * (this.span / 2) * this.sE);
        if (this.state === ARMED) {
          this.quiet = carrier ? 0 : this.quiet + 1;
          if (this.quiet > 2 * this.bitLen) this.hunt();
          else if (carrier && !mark) this.startChar(s, prevD, d);
        }
        break;
      case BETWEEN:
        if (carrier && !mark) this.startChar(s, prevD, d);
        else if (++this.wait > MAX_GAP_BITS * this.bitLen) this.hunt();
        break;
      case CHAR:
        // Decision interpolated at the exact (fractional) sampling instant.
        if (s >= this.nextAt) this.sampleBit(prevD + (d - prevD) * (this.nextAt - s + 1) > 0, s, onMessage);
        break;
    }
  }

  /** Counts clean mark samples and measures their frequency (phase advance of the mark correlator). */
  private trackMarks(clean: boolean): void {
    if (clean) {
      const pr = this.past[this.pastAt]!;
      const pi = this.past[this.pastAt + 1]!;
      this.accRe += this.sMr * pr + this.sMi * pi;
      this.accIm += this.sMi * pr - this.sMr * pi;
      this.bad = 0;
      if (++this.run >= MIN_MARK_BITS * this.bitLen && this.state === HUNT) {
        const offsetHz = (Math.atan2(this.accIm, this.accRe) * this.sampleRate) / (2 * Math.PI * FREQ_LAG * this.span);
        if (Math.abs(offsetHz) <= MARK_TOLERANCE_HZ) this.state = ARMED;
        else this.hunt();
      }
    } else if (++this.bad > this.span && this.state === HUNT) {
      this.hunt();
    }
    this.past[this.pastAt] = this.sMr;
    this.past[this.pastAt + 1] = this.sMi;
    this.pastAt += 2;
    if (this.pastAt === this.past.length) this.pastAt = 0;
  }

  /**
   * A space after marks: the start bit's leading edge. The decision crosses
   * zero (interpolated between samples) when the window is half over the
   * edge, so bit centres follow at half a bit, one bit, …, from there.
   */
  private startChar(s: number, prevD: number, d: number): void {
    if (this.state === ARMED) this.count = 0;
    this.state = CHAR;
    this.bit = 0;
    this.shift = 0;
    const crossing = prevD > 0 ? s - 1 + prevD / (prevD - d) : s;
    // Characters sent back to back (start bits 10 bits apart) tell the sender's actual bit rate,
    // measured from the first of them so that the jitter of each edge averages out.
    if (Math.abs(crossing - this.lastCrossing - 10 * this.bitLen) < RATE_TOLERANCE * 10 * this.bitLen) {
      this.runChars++;
      const measured = (crossing - this.firstCrossing) / (10 * this.runChars);
      if (this.runChars >= 2 && Math.abs(measured - this.bitLen) < RATE_TOLERANCE * this.bitLen) this.bitEst = measured;
    } else {
      this.firstCrossing = crossing;
      this.runChars = 0;
    }
    this.lastCrossing = crossing;
    this.nextAt = crossing + 0.5 * this.bitEst;
  }

  private sampleBit(mark: boolean, s: number, onMessage: (m: CallerIdMessage) => void): void {
    const bit = this.bit++;
    this.nextAt += this.bitEst;
    if (bit === 0) {
      if (mark) this.state = this.count === 0 ? ARMED : BETWEEN; // false start
      return;
    }
    if (bit <= 8) {
      if (mark) this.shift |= 1 << (bit - 1);
      return;
    }
    if (!mark) return this.hunt(); // framing error
    const byte = this.shift;
    const n = this.count++;
    this.bytes[n] = byte;
    if (n === 0 && byte !== 0x80 && byte !== 0x04) return this.hunt();
    if (n >= 1 && n === this.bytes[1]! + 2) {
      const parsed = parseCallerIdMessage(this.bytes.subarray(0, n + 1));
      this.hunt();
      if (parsed) onMessage({ ...parsed, standard: this.standard, endSample: s });
      return;
    }
    this.state = BETWEEN;
    this.wait = 0;
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
    this.sMr = mr;
    this.sMi = mi;
    this.sSr = sr;
    this.sSi = si;
    this.sE = e;
  }
}
