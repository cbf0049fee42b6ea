/**
 * Signal generators for the line-card simulator: DTMF, FSK and DTMF caller ID,
 * call-progress tone cadences and speech-like audio. Every generator returns
 * 8 kHz, 16-bit linear PCM.
 *
 * Levels are in dBm0 with the usual digital-milliwatt convention for G.711
 * (the one spandsp uses): a full-scale sine is +3.14 dBm0, so a sine at
 * 0 dBm0 has a peak amplitude of 32768 * 10^(-3.14/20) ≈ 22827.
 */
export const SAMPLE_RATE = 8000;

/** Peak amplitude of a sine at 0 dBm0. */
export const DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);

/** Peak amplitude of a sine at `levelDbm0`. */
export function sinePeak(levelDbm0: number): number {
  return DBM0_PEAK * Math.pow(10, levelDbm0 / 20);
}

const DTMF_ROWS = [697, 770, 852, 941];
const DTMF_COLS = [1209, 1336, 1477, 1633];
const DTMF_KEYS = '123A456B789C*0#D';

function samplesFor(ms: number): number {
  return Math.max(0, Math.round((ms * SAMPLE_RATE) / 1000));
}

function clip16(v: number): number {
  const r = Math.round(v);
  return r > 32767 ? 32767 : r < -32768 ? -32768 : r;
}

export function silence(ms: number): Int16Array {
  return new Int16Array(samplesFor(ms));
}

export function concat(...signals: Int16Array[]): Int16Array {
  const out = new Int16Array(signals.reduce((n, s) => n + s.length, 0));
  let at = 0;
  for (const s of signals) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

/** Sum of the signals, clipped to 16 bits; as long as the longest one. */
export function mix(...signals: Int16Array[]): Int16Array {
  const out = new Int16Array(signals.reduce((n, s) => Math.max(n, s.length), 0));
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    for (const s of signals) if (i < s.length) sum += s[i]!;
    out[i] = clip16(sum);
  }
  return out;
}

/** Writes a sum of sines (each starting at phase 0) into out[from, from + count). */
function writeTones(out: Int16Array, from: number, count: number, freqsHz: number[], peak: number): void {
  for (let i = 0; i < count; i++) {
    let v = 0;
    for (const f of freqsHz) v += peak * Math.sin((2 * Math.PI * f * i) / SAMPLE_RATE);
    out[from + i] = clip16(v);
  }
}

/**
 * DTMF digits (0-9 * # A-D), each `onMs` of tone followed by `offMs` of
 * silence (so the result ends with a gap). Level is per tone.
 */
export function dtmfDigits(digits: string, opts: { onMs?: number; offMs?: number; levelDbm0?: number } = {}): Int16Array {
  const on = samplesFor(opts.onMs ?? 80);
  const off = samplesFor(opts.offMs ?? 80);
  const peak = sinePeak(opts.levelDbm0 ?? -10);
  const out = new Int16Array(digits.length * (on + off));
  for (let d = 0; d < digits.length; d++) {
    const key = DTMF_KEYS.indexOf(digits[d]!.toUpperCase());
    if (key < 0) throw new RangeError(`not a DTMF digit: '${digits[d]}'`);
    writeTones(out, d * (on + off), on, [DTMF_ROWS[key >> 2]!, DTMF_COLS[key & 3]!], peak);
  }
  return out;
}

/** DTMF caller ID as sent before the first ring: start digit, number, end digit. */
export function dtmfCallerId(number: string, form: 'A-C' | 'A-#' | 'D-#' = 'A-C'): Int16Array {
  const text = form[0]! + number + form[2]!;
  return dtmfDigits(text, { onMs: 60, offMs: 60, levelDbm0: -10 });
}

/** Repeating cadence of `onMs` tone (sum of `freqsHz`, level per tone) and `offMs` silence. */
export function toneCadence(freqsHz: number[], onMs: number, offMs: number, seconds: number, levelDbm0 = -13): Int16Array {
  const out = new Int16Array(Math.round(seconds * SAMPLE_RATE));
  const on = samplesFor(onMs);
  const period = on + samplesFor(offMs);
  const peak = sinePeak(levelDbm0);
  if (period <= 0) return out;
  for (let at = 0; at < out.length; at += period) {
    writeTones(out, at, Math.min(on, out.length - at), freqsHz, peak);
  }
  return out;
}

export interface CallerIdFields {
  number?: string;
  name?: string;
  /** 'MMDDHHMM' */
  datetime?: string;
  numberAbsence?: 'private' | 'unavailable';
  nameAbsence?: 'private' | 'unavailable';
}

const ABSENCE_CODE = { private: 0x50 /* 'P' */, unavailable: 0x4f /* 'O' */ } as const;

function ascii(text: string): number[] {
  return Array.from(text, (c) => c.charCodeAt(0) & 0x7f);
}

/**
 * Caller-ID message bytes: type, length, parameters and the two's-complement
 * checksum (GR-30 / ETSI EN 300 659-3). MDMF (0x80) carries parameters 0x01
 * date-time, 0x02 number or 0x04 reason for its absence ('O' unavailable,
 * 'P' private), 0x07 name or 0x08 reason for its absence. SDMF (0x04) carries
 * the date-time ('01010000' when not given) then the number or 'O'/'P'.
 */
export function callerIdMessageBytes(fields: CallerIdFields, format: 'mdmf' | 'sdmf'): Uint8Array {
  const body: number[] = [];
  let type: number;
  if (format === 'sdmf') {
    type = 0x04;
    body.push(...ascii((fields.datetime ?? '01010000').padEnd(8, '0').slice(0, 8)));
    if (fields.number !== undefined) body.push(...ascii(fields.number));
    else body.push(ABSENCE_CODE[fields.numberAbsence ?? 'unavailable']);
  } else {
    type = 0x80;
    const param = (id: number, value: number[]): void => {
      body.push(id, value.length, ...value);
    };
    if (fields.datetime !== undefined) param(0x01, ascii(fields.datetime));
    if (fields.number !== undefined) param(0x02, ascii(fields.number));
    else if (fields.numberAbsence) param(0x04, [ABSENCE_CODE[fields.numberAbsence]]);
    if (fields.name !== undefined) param(0x07, ascii(fields.name));
    else if (fields.nameAbsence) param(0x08, [ABSENCE_CODE[fields.nameAbsence]]);
  }
  if (body.length > 255) throw new RangeError('caller-ID message too long');
  const bytes = [type, body.length, ...body];
  const sum = bytes.reduce((a, b) => a + b, 0);
  bytes.push(-sum & 0xff);
  return Uint8Array.from(bytes);
}

const FSK = {
  bell202: { mark: 1200, space: 2200, markBits: 180 },
  v23: { mark: 1300, space: 2100, markBits: 180 },
} as const;
const SEIZURE_BITS = 300;
const POSTAMBLE_BITS = 5;

/**
 * FSK caller ID at 1200 bit/s, phase continuous: channel seizure (300
 * alternating bits starting with 0), 180 mark bits, the message bytes with
 * their checksum (1 start bit 0, 8 data bits LSB first, 1 stop bit 1), then 5
 * mark bits. Bell 202: mark 1200 Hz / space 2200 Hz; V.23: 1300 / 2100 Hz.
 */
export function callerIdFsk(
  fields: CallerIdFields,
  opts: { standard?: 'bell202' | 'v23'; format?: 'mdmf' | 'sdmf'; levelDbm0?: number } = {},
): Int16Array {
  const tones = FSK[opts.standard ?? 'bell202'];
  const bits: number[] = [];
  for (let i = 0; i < SEIZURE_BITS; i++) bits.push(i & 1);
  for (let i = 0; i < tones.markBits; i++) bits.push(1);
  for (const byte of callerIdMessageBytes(fields, opts.format ?? 'mdmf')) {
    bits.push(0);
    for (let b = 0; b < 8; b++) bits.push((byte >> b) & 1);
    bits.push(1);
  }
  for (let i = 0; i < POSTAMBLE_BITS; i++) bits.push(1);
  const out = new Int16Array(Math.ceil((bits.length * SAMPLE_RATE) / 1200));
  const peak = sinePeak(opts.levelDbm0 ?? -13);
  let phase = 0;
  for (let n = 0; n < out.length; n++) {
    const bit = bits[Math.min(bits.length - 1, Math.floor((n * 1200) / SAMPLE_RATE))]!;
    out[n] = clip16(peak * Math.sin(phase));
    phase += (2 * Math.PI * (bit ? tones.mark : tones.space)) / SAMPLE_RATE;
    if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
  }
  return out;
}

/** mulberry32: small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two-pole resonator (formant filter) with unity gain at its centre. */
class Resonator {
  private y1 = 0;
  private y2 = 0;
  constructor(private readonly bandwidthHz: number) {}
  step(x: number, freqHz: number): number {
    const r = Math.exp((-Math.PI * this.bandwidthHz) / SAMPLE_RATE);
    const a1 = 2 * r * Math.cos((2 * Math.PI * freqHz) / SAMPLE_RATE);
    const y = (1 - r) * x + a1 * this.y1 - r * r * this.y2;
    this.y2 = this.y1;
    this.y1 = y;
    return y;
  }
}

/**
 * Deterministic speech-like audio: phrases of voiced syllables (glottal
 * pulse train with gliding pitch 80-260 Hz, cycle-to-cycle jitter and
 * shimmer, harmonics falling at 6 dB per octave, through three gliding
 * formant resonators), some unvoiced (noise) syllables, syllabic amplitude
 * modulation at 3-6 Hz and pauses between phrases. The pitch never holds
 * still and its harmonics are never clean, so they never form steady
 * DTMF-like tone pairs. `levelDbm0` is the RMS
 * level of the active (non-pause) parts; default -20 dBm0.
 */
export function speechLike(seconds: number, seed: number, levelDbm0 = -20): Int16Array {
  const rand = prng(seed);
  const n = Math.round(seconds * SAMPLE_RATE);
  const raw = new Float64Array(n);
  const active = new Uint8Array(n);
  const formants = [new Resonator(90), new Resonator(120), new Resonator(180)];
  const f = [500, 1500, 2500];
  let pitch = 100 + rand() * 120;
  let glottalPhase = 0;
  let tilt = 0;
  let i = Math.floor(rand() * 0.3 * SAMPLE_RATE);
  while (i < n) {
    const phraseEnd = Math.min(n, i + Math.floor((0.8 + rand() * 2) * SAMPLE_RATE));
    while (i < phraseEnd) {
      const syllableRate = 3 + rand() * 3;
      const len = Math.floor(SAMPLE_RATE / syllableRate);
      const voiced = rand() < 0.8;
      const target = [300 + rand() * 500, 900 + rand() * 1300, 2300 + rand() * 900];
      const pitchTarget = 90 + rand() * 160;
      for (let k = 0; k < len && i < n; k++, i++) {
        const env = Math.pow(Math.sin((Math.PI * k) / len), 1.5);
        for (let j = 0; j < 3; j++) f[j]! += (target[j]! - f[j]!) * 0.002;
        pitch += (pitchTarget - pitch) * 0.0015 + (rand() - 0.5) * 0.8;
        pitch = Math.min(260, Math.max(80, pitch));
        glottalPhase += pitch / SAMPLE_RATE;
        let excitation = (rand() - 0.5) * 0.05;
        if (voiced) {
          if (glottalPhase >= 1) {
            // Each glottal cycle a little longer or shorter (jitter) and louder or softer (shimmer).
            glottalPhase -= 1 + (rand() - 0.5) * 0.04;
            excitation += 0.9 + rand() * 0.2;
          }
        } else excitation = (rand() - 0.5) * 0.6;
        // Glottal pulse shape: harmonics fall off at 6 dB per octave.
        excitation = tilt = excitation + 0.9 * tilt;
        let y = 0;
        for (let j = 0; j < 3; j++) y += formants[j]!.step(excitation, f[j]!) * (j === 0 ? 1 : 0.6 / j);
        raw[i] = y * env;
        active[i] = 1;
      }
    }
    i += Math.floor((0.15 + rand() * 0.6) * SAMPLE_RATE);
  }
  let energy = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    if (!active[k]) continue;
    energy += raw[k]! * raw[k]!;
    count++;
  }
  const out = new Int16Array(n);
  if (count === 0 || energy === 0) return out;
  const gain = sinePeak(levelDbm0) / Math.SQRT2 / Math.sqrt(energy / count);
  for (let k = 0; k < n; k++) out[k] = clip16(raw[k]! * gain);
  return out;
}
