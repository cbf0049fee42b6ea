import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ALAW_SILENCE, alawDecode, alawEncode, linearToAlaw, ulawDecode, ulawEncode } from '../../firmware/dsp/g711.ts';

const ramp = Int16Array.from({ length: 65536 / 4 }, (_, i) => -32768 + i * 4);

/** Largest quantisation error G.711 allows for a sample of this magnitude (half a step of its segment). */
function maxError(sample: number, law: 'alaw' | 'ulaw'): number {
  const m = Math.abs(sample);
  if (law === 'alaw') return m < 512 ? 8 : 8 << Math.floor(Math.log2(m / 256));
  return 4 << Math.floor(Math.log2((m + 132) / 128));
}

test('A-law round trip stays within the quantisation error of each segment', () => {
  const back = alawDecode(alawEncode(ramp));
  for (let i = 0; i < ramp.length; i++) {
    const err = Math.abs(back[i]! - ramp[i]!);
    assert.ok(err <= maxError(ramp[i]!, 'alaw'), `sample ${ramp[i]} came back as ${back[i]}`);
  }
});

test('µ-law round trip stays within the quantisation error of each segment, saturating at ±32124', () => {
  const back = ulawDecode(ulawEncode(ramp));
  for (let i = 0; i < ramp.length; i++) {
    const clipped = Math.max(-32124, Math.min(32124, ramp[i]!));
    const err = Math.abs(back[i]! - clipped);
    assert.ok(err <= maxError(ramp[i]!, 'ulaw'), `sample ${ramp[i]} came back as ${back[i]}`);
  }
});

test('decoding then re-encoding every A-law and µ-law code gives the same code', () => {
  const codes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(Array.from(alawEncode(alawDecode(codes))), Array.from(codes));
  const ulaw = Array.from(ulawEncode(ulawDecode(codes)));
  // 0x7f and 0xff both decode to zero; zero encodes as 0xff.
  for (let i = 0; i < 256; i++) if (i !== 0x7f) assert.is(ulaw[i], i);
});

test('linear zero encodes as the A-law silence code', () => {
  assert.is(linearToAlaw(0), ALAW_SILENCE);
});

test.run();
