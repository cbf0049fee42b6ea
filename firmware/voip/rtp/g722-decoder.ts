/**
 * G.722 decoder (ITU-T G.722, 64 kbit/s mode): each byte holds a 6-bit
 * lower sub-band code and a 2-bit higher one; both are ADPCM-decoded and
 * the receive QMF recombines them into two 16 kHz samples. `decode` gives
 * 16 kHz; `decodeNarrow` gives the 8 kHz signal the recorder stores (every
 * 16 kHz output pair low-pass filtered and decimated). Pure.
 */
import { G722Band, saturate16 } from './g722-band.ts';
import { QM2, QM4, QM6, QMF } from './g722-tables.ts';

export class G722Decoder {
  private readonly low = new G722Band(false);
  private readonly high = new G722Band(true);
  /** QMF delay line: 24 values. */
  private readonly x = new Int32Array(24);
  /** Half-band decimator state (16 → 8 kHz). */
  private readonly h = new Int32Array(7);

  /** Decodes `codes` into 16 kHz samples (two per byte); returns how many were written to `out`. */
  decode(codes: Uint8Array, out: Int16Array): number {
    let n = 0;
    for (let i = 0; i < codes.length; i++) {
      this.step(codes[i]!);
      out[n++] = this.out1;
      out[n++] = this.out2;
    }
    return n;
  }

  /** Decodes `length` of `codes` from `codes[from]` into 8 kHz samples (one per byte) from `out[at]`; returns how many were written. */
  decodeNarrow(codes: Uint8Array, out: Int16Array, length = codes.length, at = 0, from = 0): number {
    const h = this.h;
    for (let i = 0; i < length; i++) {
      this.step(codes[from + i]!);
      // Half-band FIR [-1, 0, 9, 16, 9, 0, -1] / 32 on the 16 kHz stream, keeping every second output.
      h[0] = h[2]!; h[1] = h[3]!; h[2] = h[4]!; h[3] = h[5]!; h[4] = h[6]!;
      h[5] = this.out1;
      h[6] = this.out2;
      const y = (-h[0]! + 9 * h[2]! + 16 * h[3]! + 9 * h[4]! - h[6]!) >> 5;
      out[at + i] = saturate16(y);
    }
    return length;
  }

  private out1 = 0;
  private out2 = 0;

  private step(code: number): void {
    const low = this.low;
    const high = this.high;
    const ilow = code & 0x3f;
    const ihigh = (code >> 6) & 0x03;
    // Lower sub-band: INVQBL, RECONS, LIMIT.
    let rlow = low.s + ((low.det * QM6[ilow]!) >> 15);
    rlow = rlow > 16383 ? 16383 : rlow < -16384 ? -16384 : rlow;
    const dlow = (low.det * QM4[ilow >> 2]!) >> 15;
    low.adaptScale(ilow >> 2);
    low.update(dlow);
    // Higher sub-band.
    const dhigh = (high.det * QM2[ihigh]!) >> 15;
    let rhigh = dhigh + high.s;
    rhigh = rhigh > 16383 ? 16383 : rhigh < -16384 ? -16384 : rhigh;
    high.adaptScale(ihigh);
    high.update(dhigh);
    // Receive QMF.
    const x = this.x;
    x.copyWithin(0, 2);
    x[22] = rlow + rhigh;
    x[23] = rlow - rhigh;
    let xout1 = 0;
    let xout2 = 0;
    for (let i = 0; i < 12; i++) {
      xout2 += x[2 * i]! * QMF[i]!;
      xout1 += x[2 * i + 1]! * QMF[11 - i]!;
    }
    this.out1 = saturate16(xout1 >> 11);
    this.out2 = saturate16(xout2 >> 11);
  }
}
