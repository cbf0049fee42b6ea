/**
 * China No.1 signalling for the simulated E1 card: line signals as ABCD codes
 * in the TS16 CAS multiframe (G.704 5.1.3.2: frame 0 carries the multiframe
 * alignment word 0000 1011, frame n = 1..15 the ABCD of timeslot n in the
 * high nibble and of timeslot n+16 in the low nibble), and MFC-R2 register
 * signals (Q.441 frequencies, two of six) as A-law tone bursts.
 */
import { linearToAlaw } from '../../dsp/g711.ts';

/** China No.1 line codes (C and D stay 1). */
export const ABCD = {
  /** Idle, clear-forward, release guard. */
  idle: 0b1011,
  /** Forward: seizure. */
  seize: 0b0011,
  /** Backward: seizure acknowledged; also clear-back and blocking. */
  seizeAck: 0b1111,
  clearBack: 0b1111,
  /** Backward: answer. */
  answer: 0b0111,
} as const;

export const CAS_MULTIFRAME = 16;
const MFAS = 0x0b;

/** Fills `out` with CAS multiframes from the ABCD codes of the 32 timeslots; `frame0` is the index of out[0] in the stream. */
export function casMultiframes(abcd: ArrayLike<number>, out: Uint8Array, frame0 = 0): void {
  for (let i = 0; i < out.length; i++) {
    const m = (frame0 + i) % CAS_MULTIFRAME;
    out[i] = m === 0 ? MFAS : (((abcd[m] ?? ABCD.idle) & 0xf) << 4) | ((abcd[m + 16] ?? ABCD.idle) & 0xf);
  }
}

const FORWARD_HZ = [1380, 1500, 1620, 1740, 1860, 1980];
const BACKWARD_HZ = [1140, 1020, 900, 780, 660, 540];
/** Signal n (1..15) is the pair of frequencies at these indices. */
const PAIRS: ReadonlyArray<readonly [number, number]> = [
  [0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3], [0, 4], [1, 4], [2, 4], [3, 4], [0, 5], [1, 5], [2, 5], [3, 5], [4, 5],
];

/** The two frequencies of MFC-R2 signal `n` (1..15), forward or backward. */
export function mfFrequencies(n: number, forward: boolean): [number, number] {
  const pair = PAIRS[n - 1];
  if (!pair) throw new RangeError(`MFC-R2 signal ${n} is not 1..15`);
  const table = forward ? FORWARD_HZ : BACKWARD_HZ;
  return [table[pair[0]]!, table[pair[1]]!];
}

/** Each frequency at -8 dBm0. */
const TONE_PEAK = 32768 * Math.pow(10, (-8 - 3.14) / 20);

/** A-law sample `index` (8 kHz, from the tone's start) of MFC-R2 signal `n`. */
export function mfSample(n: number, forward: boolean, index: number): number {
  const [f1, f2] = mfFrequencies(n, forward);
  const t = index / 8000;
  return linearToAlaw(Math.round(TONE_PEAK * (Math.sin(2 * Math.PI * f1 * t) + Math.sin(2 * Math.PI * f2 * t))));
}

/** The digit of an MFC-R2 group I signal (10 is digit 0). */
export function digitSignal(d: string): number {
  const n = Number(d);
  if (!/^\d$/.test(d)) throw new RangeError(`'${d}' is not a digit`);
  return n === 0 ? 10 : n;
}
