/**
 * Signals and measures for the archive transcoding tests: real telephone
 * speech (an excerpt of the talk-off vector), synthetic speech-like audio with
 * tones and noise bursts, recorder WAV files, SNR and cross-correlation.
 */
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alawEncode, ulawEncode } from '../../firmware/dsp/g711.ts';
import { wavHeader, type WavCodec } from '../../firmware/audio/wav.ts';
import { mix, speechLike } from '../../firmware/sim/signals.ts';
import { tones, whiteNoise } from '../dsp/helpers.ts';
import { VECTOR_DIR, requireVectors } from '../dsp/vectors.ts';
import { tempDir as tempFolder } from '../support/temp-dir.ts';

export function tempDir(): string {
  return tempFolder('rdx-transcode-');
}

/** `seconds` of the talk-off speech vector from `fromS` (16-bit PCM WAV with a 44-byte header). */
export function realSpeech(seconds: number, fromS = 60): Int16Array {
  requireVectors();
  const out = new Int16Array(Math.round(seconds * 8000));
  const fd = openSync(join(VECTOR_DIR, 'talkoff_speech.wav'), 'r');
  try {
    const bytes = Buffer.from(out.buffer);
    const got = readSync(fd, bytes, 0, bytes.length, 44 + fromS * 8000 * 2);
    if (got !== bytes.length) throw new Error(`talkoff_speech.wav is shorter than ${fromS + seconds} s`);
  } finally {
    closeSync(fd);
  }
  return out;
}

/** Speech-like audio with a tone pair and noise bursts mixed in: what a call line carries. */
export function lineAudio(seconds: number, seed: number): Int16Array {
  const speech = speechLike(seconds, seed, -18);
  const ms = seconds * 1000;
  const tonePair = tones([[425, -25], [1300, -30]], ms);
  const noise = whiteNoise(speech.length, -35, seed + 1);
  for (let i = 0; i < noise.length; i++) if (Math.floor(i / 4000) % 3 !== 1) noise[i] = 0; // bursts of 0.5 s
  return mix(speech, tonePair, noise);
}

/** The bytes of a recorder WAV of these samples. */
export function recorderWav(codec: WavCodec, samples: Int16Array, sampleRate = 8000): Buffer {
  const data =
    codec === 'alaw' ? Buffer.from(alawEncode(samples)) : codec === 'ulaw' ? Buffer.from(ulawEncode(samples)) : Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return Buffer.concat([wavHeader(codec, sampleRate, data.length), data]);
}

export function writeRecorderWav(file: string, codec: WavCodec, samples: Int16Array): void {
  writeFileSync(file, recorderWav(codec, samples));
}

/** Signal-to-noise ratio of `test` against `ref`, dB. */
export function snrDb(ref: Int16Array, test: Int16Array): number {
  let s = 0;
  let n = 0;
  const len = Math.min(ref.length, test.length);
  for (let i = 0; i < len; i++) {
    s += ref[i]! * ref[i]!;
    const d = ref[i]! - test[i]!;
    n += d * d;
  }
  return 10 * Math.log10(s / Math.max(n, 1e-9));
}

/** Largest normalised cross-correlation of `b` against `a` over lags -maxLag..maxLag (b delayed by lag), and that lag. */
export function bestCorrelation(a: Int16Array, b: Int16Array, maxLag: number): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
      const x = a[i]!;
      const y = b[i + lag]!;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    const r = ab / Math.sqrt(aa * bb || 1);
    if (r > best.r) best = { r, lag };
  }
  return best;
}
