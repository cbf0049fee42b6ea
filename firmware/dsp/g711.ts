/**
 * G.711 A-law and µ-law (ITU-T G.711), table-driven: decoding is one table
 * lookup per sample, encoding one lookup in a 16K-entry table indexed by the
 * top 14 bits of the linear sample.
 */
export const ALAW_SILENCE = 0xd5;
export const ULAW_SILENCE = 0xff;

function alawToLinearSlow(a: number): number {
  a ^= 0x55;
  const sign = a & 0x80;
  const exponent = (a >> 4) & 0x07;
  const mantissa = a & 0x0f;
  let magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
  return sign ? magnitude : -magnitude;
}

function ulawToLinearSlow(u: number): number {
  u = ~u & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
  return sign ? -magnitude : magnitude;
}

function linearToAlawSlow(pcm: number): number {
  let mask: number;
  if (pcm >= 0) mask = 0xd5;
  else {
    mask = 0x55;
    pcm = -pcm - 1;
  }
  const seg = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff].findIndex((end) => pcm <= end);
  if (seg < 0) return 0x7f ^ mask;
  let aval = seg << 4;
  aval |= seg < 2 ? (pcm >> 4) & 0x0f : (pcm >> (seg + 3)) & 0x0f;
  return aval ^ mask;
}

function linearToUlawSlow(pcm: number): number {
  const BIAS = 0x84;
  let mask: number;
  if (pcm < 0) {
    pcm = BIAS - pcm - 1;
    mask = 0x7f;
  } else {
    pcm += BIAS;
    mask = 0xff;
  }
  if (pcm > 0x7fff) pcm = 0x7fff;
  const seg = [0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff, 0x3fff, 0x7fff].findIndex((end) => pcm <= end);
  const uval = (seg << 4) | ((pcm >> (seg + 3)) & 0x0f);
  return uval ^ mask;
}

export const ALAW_TO_LINEAR = Int16Array.from({ length: 256 }, (_, i) => alawToLinearSlow(i));
export const ULAW_TO_LINEAR = Int16Array.from({ length: 256 }, (_, i) => ulawToLinearSlow(i));
/** Indexed by (sample >> 2) + 8192. */
const LINEAR_TO_ALAW = Uint8Array.from({ length: 16384 }, (_, i) => linearToAlawSlow((i - 8192) << 2));
const LINEAR_TO_ULAW = Uint8Array.from({ length: 16384 }, (_, i) => linearToUlawSlow((i - 8192) << 2));

export function linearToAlaw(sample: number): number {
  return LINEAR_TO_ALAW[(sample >> 2) + 8192]!;
}

export function linearToUlaw(sample: number): number {
  return LINEAR_TO_ULAW[(sample >> 2) + 8192]!;
}

export function alawDecode(input: Uint8Array, out: Int16Array = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) out[i] = ALAW_TO_LINEAR[input[i]!]!;
  return out;
}

export function ulawDecode(input: Uint8Array, out: Int16Array = new Int16Array(input.length)): Int16Array {
  for (let i = 0; i < input.length; i++) out[i] = ULAW_TO_LINEAR[input[i]!]!;
  return out;
}

export function alawEncode(input: Int16Array, out: Uint8Array = new Uint8Array(input.length)): Uint8Array {
  for (let i = 0; i < input.length; i++) out[i] = LINEAR_TO_ALAW[(input[i]! >> 2) + 8192]!;
  return out;
}

export function ulawEncode(input: Int16Array, out: Uint8Array = new Uint8Array(input.length)): Uint8Array {
  for (let i = 0; i < input.length; i++) out[i] = LINEAR_TO_ULAW[(input[i]! >> 2) + 8192]!;
  return out;
}
