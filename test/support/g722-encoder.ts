/**
 * A G.722 encoder (64 kbit/s mode) for tests: transmit QMF, lower sub-band
 * 6-bit ADPCM, higher sub-band 2-bit ADPCM, on the same band state as the
 * firmware's decoder (ITU-T G.722 3.2–3.6).
 */
import { G722Band, saturate16 } from '../../firmware/voip/rtp/g722-band.ts';
import { IHN, IHP, ILN, ILP, Q6, QM2, QM4, QMF } from '../../firmware/voip/rtp/g722-tables.ts';

export class G722Encoder {
  private readonly low = new G722Band(false);
  private readonly high = new G722Band(true);
  private readonly x = new Int32Array(24);

  /** Encodes 16 kHz samples (an even count) into one byte per pair. */
  encode(pcm: Int16Array): Uint8Array {
    const out = new Uint8Array(pcm.length >> 1);
    const { x, low, high } = this;
    for (let j = 0, k = 0; j + 1 < pcm.length; j += 2, k++) {
      x.copyWithin(0, 2);
      x[22] = pcm[j]!;
      x[23] = pcm[j + 1]!;
      let sumOdd = 0;
      let sumEven = 0;
      for (let i = 0; i < 12; i++) {
        sumOdd += x[2 * i]! * QMF[i]!;
        sumEven += x[2 * i + 1]! * QMF[11 - i]!;
      }
      const xlow = (sumEven + sumOdd) >> 14;
      const xhigh = (sumEven - sumOdd) >> 14;
      // Lower sub-band: SUBTRA, QUANTL.
      const el = saturate16(xlow - low.s);
      const wd = el >= 0 ? el : -(el + 1);
      let i = 1;
      for (; i < 30; i++) if (wd < (Q6[i]! * low.det) >> 12) break;
      const ilow = el < 0 ? ILN[i]! : ILP[i]!;
      const dlow = (low.det * QM4[ilow >> 2]!) >> 15;
      low.adaptScale(ilow >> 2);
      low.update(dlow);
      // Higher sub-band.
      const eh = saturate16(xhigh - high.s);
      const wdh = eh >= 0 ? eh : -(eh + 1);
      const mih = wdh >= (564 * high.det) >> 12 ? 2 : 1;
      const ihigh = eh < 0 ? IHN[mih]! : IHP[mih]!;
      const dhigh = (high.det * QM2[ihigh]!) >> 15;
      high.adaptScale(ihigh);
      high.update(dhigh);
      out[k] = (ihigh << 6) | ilow;
    }
    return out;
  }
}
