/**
 * Streaming FSK caller-ID receiver: Bell 202 (mark 1200 Hz / space 2200 Hz,
 * Telcordia GR-30) or V.23 (1300 / 2100 Hz, ETSI EN 300 659), 1200 bit/s.
 *
 * Demodulator: two quadrature correlators (mark and space) over a sliding
 * window of one bit (fsk-demod.ts); the bit is mark when the mark correlator carries more
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
import { FskCorrelators } from './fsk-demod.ts';

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

export class FskCallerIdReceiver {
  private readonly span: number;
  private readonly bitLen: number;
  private readonly carrier: number;
  private readonly segment: number;
  private readonly demod: FskCorrelators;
  private readonly bytes = new Uint8Array(MAX_MESSAGE);

  private sample = 0;

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
    this.demod = new FskCorrelators(tones.mark, tones.space, BAUD, sampleRate);
    this.span = this.demod.span;
    this.bitLen = sampleRate / BAUD;
    this.bitEst = this.bitLen;
    this.segment = Math.round(sampleRate / 100);
    this.carrier = Math.pow((this.span * DBM0_PEAK * Math.pow(10, CARRIER_DBM0 / 20)) / 2, 2);
    this.past = new Float64Array(2 * FREQ_LAG * this.span);
  }

  reset(): void {
    this.sample = 0;
    this.demod.clear();
    this.hunt();
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
      // While hunting, a stretch without a good share of energy at the mark frequency
      // (silence, speech, other tones) cannot start a mark run: the demodulator skips it.
      if (this.state === HUNT && this.run === 0 && !this.demod.markLikely(pcm, from, to, SILENT_POWER, MARK_SHARE)) {
        if (this.demod.energy !== 0) this.demod.clear();
        this.sample += to - from;
        continue;
      }
      for (let i = from; i < to; i++) this.step(pcm[i]!, onMessage);
    }
  }

  private step(x: number, onMessage: (m: CallerIdMessage) => void): void {
    const c = this.demod;
    c.push(x);
    const s = this.sample++;
    const pMark = c.markRe * c.markRe + c.markIm * c.markIm;
    const pSpace = c.spaceRe * c.spaceRe + c.spaceIm * c.spaceIm;
    const carrier = pMark + pSpace > this.carrier;
    const d = pMark - pSpace;
    const mark = d > 0;
    const prevD = this.prevD;
    this.prevD = d;

    switch (this.state) {
      case HUNT:
      case ARMED:
        this.trackMarks(carrier && pMark > MARK_DOMINANCE * pSpace && pMark + pSpace > PURITY * (this.span / 2) * c.energy);
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
      const { markRe, markIm } = this.demod;
      this.accRe += markRe * pr + markIm * pi;
      this.accIm += markIm * pr - markRe * pi;
      this.bad = 0;
      if (++this.run >= MIN_MARK_BITS * this.bitLen && this.state === HUNT) {
        const offsetHz = (Math.atan2(this.accIm, this.accRe) * this.sampleRate) / (2 * Math.PI * FREQ_LAG * this.span);
        if (Math.abs(offsetHz) <= MARK_TOLERANCE_HZ) this.state = ARMED;
        else this.hunt();
      }
    } else if (++this.bad > this.span && this.state === HUNT) {
      this.hunt();
    }
    this.past[this.pastAt] = this.demod.markRe;
    this.past[this.pastAt + 1] = this.demod.markIm;
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
}
