/**
 * A VoIP recording's origin (SIP Call-ID, SIPREC session id, device,
 * participants) goes through the index encoding; entries without it, and
 * entries written before it existed, read back as they were. The change-feed
 * number at the end of a value reads back from the end, whatever its size,
 * and leaves the fields before it as they were.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeRecord, encodeRecord, feedSeqOf, withFeedSeq } from '../../firmware/recording/record-codec.ts';
import { recordId, type RecordEntry, type VoipOrigin } from '../../firmware/recording/record-entry.ts';

const at = Date.parse('2026-12-02T10:00:00Z');
const day = Math.floor(at / 86_400_000);
const ref = { portType: 'voip' as const, port: 1, channel: 3 };
const base: RecordEntry = {
  ...ref, id: recordId(at, ref, 1), callId: 'siprec:a84b4c76e66710@pc33.example.com', part: 1, lineNumber: '8001', localName: 'Extension 8001',
  remoteNumber: '+8613912345678', callerName: '', callType: 'incoming-answered', direction: 'unknown', participants: 'Extension 8001 <sip:8001@pbx.example.com>',
  startedAt: at, durationMs: 5120, startMode: 'signalling', stopMode: 'hangup', level: 'normal', file: null, sizeBytes: 0, codec: null, stereo: true,
  archived: false, sealed: false, sha256: null, deleted: false,
};
const keys = { startedAt: at, ...ref, part: 1, deleted: false };
const origin: VoipOrigin = {
  source: 'siprec', sipCallId: 'a84b4c76e66710@pc33.example.com', sessionId: 'k4hP7DlJW1WwWpZjb9BNBg==', sipSessionIds: 'cs-1 cs-2',
  device: '192.0.2.10:5060/udp',
  participants: [
    { aor: 'sip:+8613912345678@carrier.example.net;user=phone', name: '+8613912345678', role: 'leg0' },
    { aor: 'sip:8001@pbx.example.com', name: '张三', role: 'leg1' },
  ],
};

test('an entry with a VoIP origin reads back with it, signature and cause included', () => {
  const e: RecordEntry = { ...base, voip: origin };
  assert.equal(decodeRecord(encodeRecord(e, day), keys), e);
  const all: RecordEntry = { ...e, sha256: 'cd'.repeat(32), answered: true, cause: '16 normal call clearing' };
  assert.equal(decodeRecord(encodeRecord(all, day), keys), all);
  const phone: RecordEntry = { ...base, callId: 'phone:00:1a:2b:3c:4d:5e/a1', voip: { source: 'phone', sipCallId: '', sessionId: 'a1', sipSessionIds: '', device: '00:1a:2b:3c:4d:5e', participants: [] } };
  assert.equal(decodeRecord(encodeRecord(phone, day), keys), phone);
});

test('an entry without one reads back without it, and the origin adds only its own bytes', () => {
  const plain = encodeRecord(base, day);
  const d = decodeRecord(plain, keys);
  assert.equal(d, base);
  assert.not.ok('voip' in d);
  const withOrigin = encodeRecord({ ...base, voip: origin }, day);
  assert.ok(withOrigin.length - plain.length < 200, `${withOrigin.length - plain.length} bytes`);
  // Entries written before origins existed hold exactly these bytes: an entry without one encodes as it always did.
  assert.equal(Buffer.compare(withOrigin.subarray(1, 6), plain.subarray(1, 6)), 0);
});

test('a damaged origin is refused with an error, not read as garbage', () => {
  const v = encodeRecord({ ...base, voip: origin }, day);
  assert.throws(() => decodeRecord(v.subarray(0, v.length - 5), keys), /truncated/);
});

test('the change-feed number at the end of a value, from 0 to 2^48, read back from the end', () => {
  const e: RecordEntry = { ...base, voip: origin, sha256: 'ab'.repeat(32) };
  const plain = encodeRecord(e, day);
  assert.is(feedSeqOf(plain), null, 'a value of format 4 holds none');
  for (const seq of [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 10_000_000, 2 ** 31 + 5, 2 ** 48 - 1]) {
    const v = encodeRecord(e, day, seq);
    assert.is(feedSeqOf(v), seq);
    assert.equal(decodeRecord(v, keys), e, `fields unchanged with ${seq}`);
    assert.ok(v.length - plain.length <= Math.max(1, Math.ceil(Math.log2(seq + 1) / 7)), `${seq} takes a varint's bytes`);
    assert.equal(withFeedSeq(plain, seq), v, 'a format-4 value given its number is the same value');
  }
  assert.throws(() => withFeedSeq(encodeRecord(e, day, 5), 6), /no place/);
});

test.run();
