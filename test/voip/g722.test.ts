/**
 * The G.722 decoder: tones and speech encoded by a test encoder come back
 * with their spectrum (the tone's frequency dominates, 50 Hz–7 kHz), their
 * level and their waveform (correlation), at 16 kHz and decimated to 8 kHz.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { G722Decoder } from '../../firmware/voip/rtp/g722-decoder.ts';
import { G722Encoder } from '../support/g722-encoder.ts';
import { locate, toneShare } from '../support/audio-match.ts';
import { speechLike } from '../../firmware/sim/signals.ts';

function tone(freq: number, rate: number, seconds: number, amp = 8000): Int16Array {
  return Int16Array.from({ length: rate * seconds }, (_, i) => Math.round(amp * Math.sin((2 * Math.PI * freq * i) / rate)));
}

const rms = (x: Int16Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

for (const f of [300, 1000, 3000, 6000]) {
  test(`a ${f} Hz tone survives G.722 at 16 kHz`, () => {
    const input = tone(f, 16000, 1);
    const codes = new G722Encoder().encode(input);
    assert.is(codes.length, 8000);
    const out = new Int16Array(16000);
    assert.is(new G722Decoder().decode(codes, out), 16000);
    const settled = out.subarray(1600);
    assert.ok(toneShare(settled, f, 16000) > 0.9, `energy at ${f} Hz: ${toneShare(settled, f, 16000)}`);
    const ratio = rms(settled) / rms(input.subarray(1600));
    assert.ok(ratio > 0.8 && ratio < 1.25, `level ratio ${ratio}`);
  });
}

test('speech through G.722 correlates with the original; the 8 kHz output too', () => {
  const speech8 = speechLike(2, 7);
  // Up-sample the 8 kHz speech to 16 kHz (linear) as the wideband input.
  const wide = new Int16Array(speech8.length * 2);
  for (let i = 0; i < speech8.length; i++) {
    wide[2 * i] = speech8[i]!;
    wide[2 * i + 1] = (speech8[i]! + (speech8[i + 1] ?? 0)) >> 1;
  }
  const codes = new G722Encoder().encode(wide);
  const out16 = new Int16Array(wide.length);
  new G722Decoder().decode(codes, out16);
  const hit16 = locate(out16, 4000, 8000, wide, 3950, 4050);
  assert.ok(hit16.correlation > 0.95, `16 kHz correlation ${hit16.correlation}`);
  const out8 = new Int16Array(speech8.length);
  assert.is(new G722Decoder().decodeNarrow(codes, out8), speech8.length);
  const hit8 = locate(out8, 2000, 4000, speech8, 1970, 2030);
  assert.ok(hit8.correlation > 0.9, `8 kHz correlation ${hit8.correlation}`);
  assert.ok(Math.abs(hit8.offset - 2000) <= 20, `delay ${hit8.offset - 2000} samples`);
});

test('a 6 kHz tone is removed by the 8 kHz output (above its band)', () => {
  const codes = new G722Encoder().encode(tone(6000, 16000, 1));
  const out8 = new Int16Array(8000);
  new G722Decoder().decodeNarrow(codes, out8);
  assert.ok(rms(out8.subarray(800)) < 8000 * 0.707 * 0.3, `rms ${rms(out8.subarray(800))}`);
});

test.run();
