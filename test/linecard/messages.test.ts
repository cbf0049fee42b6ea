import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc16 } from '../../firmware/linecard/crc16.ts';
import { AudioCodec, AckStatus, decodeMessage, encodeMessage, isDecodeFailure, type AnyMessage } from '../../firmware/linecard/messages.ts';

const samples: AnyMessage[] = [
  { type: 'hello', protocolVersion: 1, channelCount: 64, audioCodec: AudioCodec.Alaw, model: 'LC64', firmwareVersion: '2.1.0' },
  { type: 'lineStatus', entries: [{ channel: 0, voltage: 48.2, ringing: false }, { channel: 7, voltage: -8.1, ringing: true }] },
  { type: 'audio', channel: 5, codec: AudioCodec.Alaw, seq: 65535, samples: Buffer.alloc(160, 0xd5) },
  { type: 'ack', seq: 17, status: AckStatus.BadChannel },
  { type: 'identify', seq: 1 },
  { type: 'reset', seq: 2 },
  { type: 'ping', seq: 255 },
  { type: 'configure', seq: 3, channel: 63, audioEnabled: true, codec: AudioCodec.Ulaw, gainDb: -6 },
];

test('every message type survives encode/decode unchanged', () => {
  for (const m of samples) assert.equal(decodeMessage(encodeMessage(m)), m, m.type);
});

test('line voltage keeps its sign and 0.1 V resolution', () => {
  const m = decodeMessage(encodeMessage({ type: 'lineStatus', entries: [{ channel: 1, voltage: -47.9, ringing: false }] }));
  assert.ok(!isDecodeFailure(m) && m.type === 'lineStatus');
  if (m.type === 'lineStatus') assert.is(m.entries[0]!.voltage, -47.9);
});

test('a flipped bit anywhere is reported as a CRC error, never thrown', () => {
  const frame = encodeMessage(samples[1]!);
  for (let i = 0; i < frame.length; i++) {
    const bad = Buffer.from(frame);
    bad[i]! ^= 0x10;
    const r = decodeMessage(bad);
    assert.ok(isDecodeFailure(r), `byte ${i}`);
    if (isDecodeFailure(r)) assert.is(r.error, 'crc');
  }
});

test('short, unknown and inconsistent frames are failures with a reason', () => {
  assert.equal((decodeMessage(Buffer.from([1])) as { error: string }).error, 'short');
  const unknown = encodeMessage({ type: 'ping', seq: 1 });
  unknown[0] = 0x7e;
  // Recompute the CRC so only the type is wrong.
  unknown.writeUInt16BE(crc16(unknown, 0, unknown.length - 2), unknown.length - 2);
  assert.is((decodeMessage(unknown) as { error: string }).error, 'unknown-type');
  const status = encodeMessage({ type: 'lineStatus', entries: [{ channel: 0, voltage: 1, ringing: false }] });
  status[1] = 3; // claims three entries but carries one
  status.writeUInt16BE(crc16(status, 0, status.length - 2), status.length - 2);
  assert.is((decodeMessage(status) as { error: string }).error, 'bad-length');
});

test.run();
