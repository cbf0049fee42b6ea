/** Shared helpers for the DSP tests: tone and noise synthesis, receivers run over whole signals. */
import { DtmfReceiver, type DtmfDigitEvent } from '../../firmware/dsp/dtmf-receiver.ts';
import { sinePeak } from '../../firmware/sim/signals.ts';

/** Sum of sines, each [frequency Hz, level dBm0], for `ms` milliseconds. */
export function tones(parts: Array<[number, number]>, ms: number): Int16Array {
  const out = new Int16Array(Math.round(ms * 8));
  for (let i = 0; i < out.length; i++) {
    let v = 0;
    for (const [f, level] of parts) v += sinePeak(level) * Math.sin((2 * Math.PI * f * i) / 8000);
    out[i] = Math.round(v);
  }
  return out;
}

/** Seeded white Gaussian noise at `levelDbm0` (total power, as a sine of that level would have). */
export function whiteNoise(samples: number, levelDbm0: number, seed: number): Int16Array {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rms = sinePeak(levelDbm0) / Math.SQRT2;
  const out = new Int16Array(samples);
  for (let i = 0; i < samples; i++) {
    const g = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    out[i] = Math.max(-32768, Math.min(32767, Math.round(g * rms)));
  }
  return out;
}

/** Runs a fresh DtmfReceiver over the signal in `chunk`-sample pieces, then 200 ms of silence. */
export function detectDigits(pcm: Int16Array, chunk = 160): DtmfDigitEvent[] {
  const rx = new DtmfReceiver();
  const events: DtmfDigitEvent[] = [];
  for (let i = 0; i < pcm.length; i += chunk) rx.process(pcm.subarray(i, i + chunk), (e) => events.push(e));
  rx.process(new Int16Array(1600), (e) => events.push(e));
  return events;
}

export const digitsOf = (events: Array<{ digit: string }>) => events.map((e) => e.digit).join('');

/**
 * FSK at 1200 bit/s for arbitrary message bytes (which callerIdFsk cannot
 * corrupt): seizure, `markBits` of mark, the bytes as start/8 data/stop, 5 marks.
 */
export function fskModulate(bytes: ArrayLike<number>, standard: 'bell202' | 'v23', markBits = 180, levelDbm0 = -13): Int16Array {
  const [mark, space] = standard === 'bell202' ? [1200, 2200] : [1300, 2100];
  const bits: number[] = [];
  for (let i = 0; i < 300; i++) bits.push(i & 1);
  for (let i = 0; i < markBits; i++) bits.push(1);
  for (let k = 0; k < bytes.length; k++) {
    bits.push(0);
    for (let b = 0; b < 8; b++) bits.push((bytes[k]! >> b) & 1);
    bits.push(1);
  }
  for (let i = 0; i < 5; i++) bits.push(1);
  const out = new Int16Array(Math.ceil((bits.length * 8000) / 1200));
  const amp = sinePeak(levelDbm0);
  let phase = 0;
  for (let n = 0; n < out.length; n++) {
    out[n] = Math.round(amp * Math.sin(phase));
    phase += (2 * Math.PI * (bits[Math.min(bits.length - 1, Math.floor((n * 1200) / 8000))] ? mark : space)) / 8000;
  }
  return out;
}
