/**
 * The hand-written RTP header reader agrees with rtp.js on packets with
 * CSRCs, a header extension and padding; RFC 4733 events give each digit
 * once, however often its end packet is repeated.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { packets } from 'rtp.js';
import { emptyRtpHeader, readRtpHeader } from '../../firmware/voip/rtp/rtp-header.ts';
import { TelephoneEvents } from '../../firmware/voip/rtp/telephone-events.ts';

test('the header reader agrees with rtp.js (CSRCs, extension, padding)', () => {
  const p = new packets.RtpPacket();
  p.setPayloadType(9);
  p.setSequenceNumber(65535);
  p.setTimestamp(0xfffffff0);
  p.setSsrc(0xdeadbeef);
  p.setMarker(true);
  p.setCsrcs([1, 2, 3]);
  p.setExtension(1, new DataView(new Uint8Array([7, 7, 7]).buffer));
  const payload = Uint8Array.from({ length: 161 }, (_, i) => i);
  p.setPayload(new DataView(payload.buffer));
  p.padTo4Bytes();
  const view = p.getView();
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  assert.ok(packets.isRtp(view));
  const h = emptyRtpHeader();
  assert.ok(readRtpHeader(bytes, h));
  assert.is(h.payloadType, p.getPayloadType());
  assert.is(h.sequence, p.getSequenceNumber());
  assert.is(h.timestamp, p.getTimestamp());
  assert.is(h.ssrc, p.getSsrc());
  assert.is(h.marker, p.getMarker());
  assert.equal(Array.from(bytes.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength)), Array.from(payload));
  // Cut short, a wrong version, RTCP: refused.
  assert.not.ok(readRtpHeader(bytes.subarray(0, 20), h));
  assert.not.ok(readRtpHeader(Uint8Array.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), h));
  assert.not.ok(readRtpHeader(Uint8Array.from([0x80, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), h));
});

test('a telephone event gives its digit once, at its end, whatever the repeats', () => {
  const ev = new TelephoneEvents();
  const pkt = (event: number, end: boolean) => Uint8Array.from([event, (end ? 0x80 : 0) | 10, 0, 160]);
  assert.is(ev.take(pkt(5, false), 1000), null);
  assert.is(ev.take(pkt(5, true), 1000), '5');
  assert.is(ev.take(pkt(5, true), 1000), null);
  assert.is(ev.take(pkt(5, true), 1000), null);
  assert.is(ev.take(pkt(11, true), 2000), '#');
  assert.is(ev.take(pkt(5, true), 3000), '5');
  assert.is(ev.take(Uint8Array.from([1]), 4000), null);
  assert.is(ev.digits, '5#5');
  assert.is(ev.counters.malformed, 1);
});

test.run();
