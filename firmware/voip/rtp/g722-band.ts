/**
 * One sub-band of G.722 (ITU-T G.722 3.6 / 4.6): the adaptive predictor
 * (RECONS, PARREC, UPPOL1/2, UPZERO, DELAYA, FILTEP, FILTEZ, PREDIC) and the
 * scale factor adaptation (LOGSCL/SCALEL, LOGSCH/SCALEH). The encoder and
 * the decoder run the same band state, so they stay in step. Pure.
 */
import { ILB, RH2, RL42, WH, WL } from './g722-tables.ts';

const sat = (v: number): number => (v > 32767 ? 32767 : v < -32768 ? -32768 : v);

export class G722Band {
  /** Predicted signal. */
  s = 0;
  sp = 0;
  sz = 0;
  /** Log and linear scale factors. */
  nb = 0;
  det: number;
  private readonly r = new Int32Array(3);
  private readonly a = new Int32Array(3);
  private readonly ap = new Int32Array(3);
  private readonly p = new Int32Array(3);
  private readonly d = new Int32Array(7);
  private readonly b = new Int32Array(7);
  private readonly bp = new Int32Array(7);

  constructor(readonly high: boolean) {
    this.det = high ? 8 : 32;
  }

  /** LOGSCL + SCALEL (lower band, `code4` the 4-bit truncated code) or LOGSCH + SCALEH (higher band, 2-bit code). */
  adaptScale(code: number): void {
    const w = this.high ? WH[RH2[code]!]! : WL[RL42[code]!]!;
    let nb = ((this.nb * 127) >> 7) + w;
    const max = this.high ? 22528 : 18432;
    nb = nb < 0 ? 0 : nb > max ? max : nb;
    this.nb = nb;
    const i = (nb >> 6) & 31;
    const shift = (this.high ? 10 : 8) - (nb >> 11);
    this.det = (shift < 0 ? ILB[i]! << -shift : ILB[i]! >> shift) << 2;
  }

  /** Updates the predictor with the quantized difference `dq` and computes the next prediction. */
  update(dq: number): void {
    const { r, a, ap, p, d, b, bp } = this;
    d[0] = dq;
    r[0] = sat(this.s + dq);
    p[0] = sat(this.sz + dq);
    // UPPOL2
    const sg0 = p[0] >> 15;
    const sg1 = p[1]! >> 15;
    const sg2 = p[2]! >> 15;
    let wd1 = sat(a[1]! << 2);
    let wd2 = sg0 === sg1 ? -wd1 : wd1;
    if (wd2 > 32767) wd2 = 32767;
    let wd3 = (wd2 >> 7) + (sg0 === sg2 ? 128 : -128);
    wd3 += (a[2]! * 32512) >> 15;
    ap[2] = wd3 > 12288 ? 12288 : wd3 < -12288 ? -12288 : wd3;
    // UPPOL1
    wd1 = sg0 === sg1 ? 192 : -192;
    wd2 = (a[1]! * 32640) >> 15;
    let ap1 = sat(wd1 + wd2);
    wd3 = sat(15360 - ap[2]!);
    if (ap1 > wd3) ap1 = wd3;
    else if (ap1 < -wd3) ap1 = -wd3;
    ap[1] = ap1;
    // UPZERO
    wd1 = dq === 0 ? 0 : 128;
    const sgd = dq >> 15;
    for (let i = 1; i < 7; i++) {
      wd2 = d[i]! >> 15 === sgd ? wd1 : -wd1;
      bp[i] = sat(wd2 + ((b[i]! * 32640) >> 15));
    }
    // DELAYA
    for (let i = 6; i > 0; i--) {
      d[i] = d[i - 1]!;
      b[i] = bp[i]!;
    }
    for (let i = 2; i > 0; i--) {
      r[i] = r[i - 1]!;
      p[i] = p[i - 1]!;
      a[i] = ap[i]!;
    }
    // FILTEP
    wd1 = (a[1]! * sat(r[1]! + r[1]!)) >> 15;
    wd2 = (a[2]! * sat(r[2]! + r[2]!)) >> 15;
    this.sp = sat(wd1 + wd2);
    // FILTEZ
    let sz = 0;
    for (let i = 6; i > 0; i--) sz += (b[i]! * sat(d[i]! + d[i]!)) >> 15;
    this.sz = sat(sz);
    // PREDIC
    this.s = sat(this.sp + this.sz);
  }
}

export { sat as saturate16 };
