import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SlipDecoder, slipEncode, SLIP_END, SLIP_ESC } from '../../firmware/linecard/slip.ts';

function decodeAll(chunks: Uint8Array[], dec = new SlipDecoder(64)): Buffer[] {
  const out: Buffer[] = [];
  for (const c of chunks) dec.push(c, (f) => out.push(f));
  return out;
}

test('a payload containing END and ESC bytes survives encode/decode', () => {
  const payload = Buffer.from([1, SLIP_END, 2, SLIP_ESC, 3, SLIP_ESC, SLIP_END]);
  assert.equal(decodeAll([slipEncode(payload)]), [payload]);
});

test('two frames in one chunk are both delivered, in order', () => {
  const a = Buffer.from('first');
  const b = Buffer.from('second');
  assert.equal(decodeAll([Buffer.concat([slipEncode(a), slipEncode(b)])]), [a, b]);
});

test('one frame split across chunks at every byte position is reassembled', () => {
  const payload = Buffer.from([9, SLIP_END, 8, SLIP_ESC, 7]);
  const wire = slipEncode(payload);
  for (let cut = 1; cut < wire.length; cut++) {
    assert.equal(decodeAll([wire.subarray(0, cut), wire.subarray(cut)]), [payload], `cut at ${cut}`);
  }
});

test('garbage between frames does not corrupt the frames around it', () => {
  const dec = new SlipDecoder(64);
  const a = Buffer.from('alpha');
  const b = Buffer.from('beta');
  const frames = decodeAll([slipEncode(a), Buffer.from([0x55, 0x66, 0x77]), slipEncode(b)], dec);
  // The garbage forms its own frame, which the message layer rejects (no valid CRC).
  assert.equal(frames[0], a);
  assert.equal(frames[frames.length - 1], b);
  assert.is(frames.length, 3);
});

test('an invalid escape sequence drops that frame only and is counted', () => {
  const dec = new SlipDecoder(64);
  const bad = Buffer.from([SLIP_END, 1, SLIP_ESC, 0x01, 2, SLIP_END]);
  const good = Buffer.from('ok');
  const frames = decodeAll([bad, slipEncode(good)], dec);
  assert.equal(frames, [good]);
  assert.is(dec.stats.malformed, 1);
});

test('an over-long run without END is dropped, not buffered without bound', () => {
  const dec = new SlipDecoder(16);
  const frames = decodeAll([Buffer.alloc(1000, 0x41), slipEncode(Buffer.from('after'))], dec);
  assert.equal(frames, [Buffer.from('after')]);
  assert.is(dec.stats.malformed, 1);
});

test.run();
