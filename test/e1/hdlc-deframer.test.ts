import { test } from 'uvu';
import { reverseBits } from '../../firmware/e1/bit-order.ts';
import * as assert from 'uvu/assert';
import { fcs16, HdlcDeframer, type HdlcFrame } from '../../firmware/e1/hdlc-deframer.ts';
import { hdlcEncode, hex, unhex, vector, vectorJson } from './helpers.ts';

const FRAMES = vectorJson('pri_sim/frames.json').frames as { dir: string; hex: string; ts16_closing_flag_octet: number }[];

function deframe(data: Uint8Array, chunk = data.length): { frames: HdlcFrame[]; d: HdlcDeframer } {
  const d = new HdlcDeframer();
  const frames: HdlcFrame[] = [];
  for (let i = 0; i < data.length; i += chunk) d.push(data.subarray(i, i + chunk), (f) => frames.push(f));
  return { frames, d };
}

for (const [dir, file] of [
  ['net->user', 'pri_sim/ts16_hdlc_net2user.bin'],
  ['user->net', 'pri_sim/ts16_hdlc_user2net.bin'],
] as const) {
  test(`all ${dir} frames of pri_sim come out byte for byte with their closing flag octet`, () => {
    const expected = FRAMES.filter((f) => f.dir === dir);
    for (const chunk of [92000, 160, 1]) {
      const { frames, d } = deframe(vector(file), chunk);
      assert.is(frames.length, expected.length);
      frames.forEach((f, i) => {
        assert.is(hex(f.bytes), expected[i]!.hex, `frame ${i}`);
        assert.is(f.closingFlagOctet, expected[i]!.ts16_closing_flag_octet, `frame ${i} closing flag`);
        assert.ok(f.fcsOk);
      });
      assert.is(d.stats().fcsErrors, 0);
    }
  });
}

test('the FCS is CRC-16/X.25: check value 0x906E', () => {
  assert.is(~fcs16(new TextEncoder().encode('123456789')) & 0xffff, 0x906e);
});

test('a flipped bit gives one frame with a bad FCS, counted, and the next frames decode', () => {
  const data = new Uint8Array(vector('pri_sim/ts16_hdlc_net2user.bin'));
  data[40120]! ^= 0x10;
  const { frames, d } = deframe(data, 160);
  const bad = frames.filter((f) => !f.fcsOk);
  assert.is(bad.length, 1);
  assert.is(d.stats().fcsErrors, 1);
  assert.is(frames.filter((f) => f.fcsOk).length, 28 - 1);
});

test('garbage before and between frames: counted and dropped, the deframer resynchronises on the next flag', () => {
  const a = unhex('0001000803020001050401020304');
  const b = unhex('02017f');
  const garbage = new Uint8Array(300).map((_, i) => (i * 73 + 11) & 0xff);
  const data = new Uint8Array([...garbage, ...hdlcEncode([a]), ...garbage, ...hdlcEncode([b, a])]);
  const { frames } = deframe(data, 7);
  const good = frames.filter((f) => f.fcsOk).map((f) => hex(f.bytes));
  assert.equal(good, [hex(a), hex(b), hex(a)]);
});

test('an abort (seven ones) inside a frame drops it; the following frame decodes', () => {
  const a = unhex('000100080302000105');
  const enc = hdlcEncode([a, a], 2);
  const cut = new Uint8Array(enc);
  cut[4] = 0xff; // inside the first frame
  const { frames, d } = deframe(cut);
  assert.is(frames.filter((f) => f.fcsOk).length, 1);
  assert.ok(d.stats().aborts >= 1);
});

test('bit-reversed octets are read with lineBitOrder lsb-first', () => {
  const a = unhex('0001000803020001050401020304');
  const rev = reverseBits(hdlcEncode([a]));
  const d = new HdlcDeframer({ lineBitOrder: 'lsb-first' });
  const out: string[] = [];
  d.push(rev, (f) => out.push(hex(f.bytes)));
  assert.equal(out, [hex(a)]);
});

test.run();
