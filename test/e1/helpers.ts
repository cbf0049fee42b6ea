import { readFileSync } from 'node:fs';
import { parseWavHeader } from '../../firmware/audio/wav.ts';
import { fcsOctets } from '../../firmware/e1/hdlc-deframer.ts';

export { prng } from '../../firmware/sim/signals.ts';

export const VECTORS = '../shared/e1-vectors';

export const vector = (path: string): Buffer => readFileSync(`${VECTORS}/${path}`);
export const vectorJson = <T = any>(path: string): T => JSON.parse(readFileSync(`${VECTORS}/${path}`, 'utf8')) as T;

export function vectorAlaw(path: string): Uint8Array {
  const buf = vector(path);
  const info = parseWavHeader(buf, buf.length);
  return buf.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
}

/** HDLC-encodes frames (FCS appended, zero insertion) into TS16 octets, MSB first, with `idleFlags` flags between frames. */
export function hdlcEncode(frames: Uint8Array[], idleFlags = 4): Uint8Array {
  const bits: number[] = [];
  const flag = () => [0, 1, 1, 1, 1, 1, 1, 0].forEach((b) => bits.push(b));
  for (let i = 0; i < idleFlags; i++) flag();
  for (const f of frames) {
    const body = [...f, ...fcsOctets(f)];
    let ones = 0;
    for (const byte of body) {
      for (let k = 0; k < 8; k++) {
        const b = (byte >>> k) & 1;
        bits.push(b);
        ones = b ? ones + 1 : 0;
        if (ones === 5) {
          bits.push(0);
          ones = 0;
        }
      }
    }
    for (let i = 0; i < idleFlags; i++) flag();
  }
  while (bits.length % 8) bits.push(1);
  const out = new Uint8Array(bits.length / 8);
  for (let i = 0; i < bits.length; i++) if (bits[i]) out[i >>> 3]! |= 0x80 >>> (i & 7);
  return out;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
