/**
 * The jitter buffer's slots keep each packet's fields and payload by
 * sequence number; a larger payload arriving while smaller ones are held
 * grows the stride and keeps the held payloads; a telephone event keeps no
 * bytes; an older sequence sharing a slot is not taken for the held one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { JitterSlots, SLOTS } from '../../firmware/voip/rtp/jitter-slots.ts';

const payload = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const held = (s: JitterSlots, seq: number) => {
  const slot = s.slotOf(seq);
  const len = s.lengthAt(slot);
  return Array.from(s.bytes.subarray(s.offsetAt(slot), s.offsetAt(slot) + len));
};

test('payloads held before a larger one arrives survive the growth', () => {
  const s = new JitterSlots();
  const datagram = new Uint8Array(12 + 480);
  datagram.set(payload(160, 1), 12);
  s.put(100, 800, 8, datagram, 12, 160);
  datagram.set(payload(160, 2), 12);
  s.put(101, 960, 8, datagram, 12, 160);
  datagram.set(payload(480, 3), 12);
  s.put(102, 1120, 0, datagram, 12, 480);
  assert.equal(held(s, 100), Array.from(payload(160, 1)));
  assert.equal(held(s, 101), Array.from(payload(160, 2)));
  assert.equal(held(s, 102), Array.from(payload(480, 3)));
  assert.is(s.positionAt(s.slotOf(102)), 1120);
  assert.is(s.ptAt(s.slotOf(102)), 0);
  assert.ok(s.stride >= 480);
});

test('a telephone event holds no bytes; release and clear empty slots; an older sequence is not the held one', () => {
  const s = new JitterSlots();
  s.put(7, 0, 101, new Uint8Array(16), 12, -1);
  assert.ok(s.holds(7));
  assert.is(s.lengthAt(s.slotOf(7)), -1);
  assert.not.ok(s.holds(7 + SLOTS));
  s.put(8, 160, 8, new Uint8Array(172), 12, 160);
  s.release(s.slotOf(7));
  assert.not.ok(s.holds(7));
  assert.ok(s.holds(8));
  s.clear();
  assert.not.ok(s.holds(8));
});

test.run();
