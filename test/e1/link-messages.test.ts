import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc16 } from '../../firmware/linecard/crc16.ts';
import { E1Alarm, decodeMessage, encodeMessage, isDecodeFailure, type AnyMessage, type E1AudioMessage } from '../../firmware/linecard/messages.ts';
import { E1BlockAssembler, type E1Block } from '../../firmware/linecard/e1-block-assembler.ts';
import { SlipDecoder, slipEncode } from '../../firmware/linecard/slip.ts';

const octets = (count: number, fill: (i: number) => number) => Buffer.from(Array.from({ length: count * 160 }, (_, i) => fill(i) & 0xff));

const samples: AnyMessage[] = [
  { type: 'hello', protocolVersion: 1, channelCount: 64, audioCodec: 0, model: 'LC64E1', firmwareVersion: '2.2.0', e1Ports: 4 },
  { type: 'e1Audio', port: 3, side: 1, seq: 65535, first: 16, count: 16, octets: octets(16, (i) => i * 7) },
  { type: 'e1Audio', port: 0, side: 0, seq: 0, first: 5, count: 1, octets: octets(1, () => 0xc0) },
  { type: 'e1Status', entries: [{ port: 0, side: 0, alarms: E1Alarm.Los | E1Alarm.Ais, slips: 65535, crc4Errors: 12 }, { port: 3, side: 1, alarms: E1Alarm.Rai, slips: 0, crc4Errors: 0 }] },
  { type: 'e1Configure', seq: 9, port: 2, enabled: true, crc4: false },
  { type: 'e1Configure', seq: 10, port: 1, enabled: false, crc4: true },
];

function withCrc(body: number[]): Buffer {
  const b = Buffer.from([...body, 0, 0]);
  b.writeUInt16BE(crc16(b, 0, b.length - 2), b.length - 2);
  return b;
}

test('E1 messages survive encode, SLIP framing and decode unchanged', () => {
  const slip = new SlipDecoder(4096);
  const got: AnyMessage[] = [];
  for (const m of samples) slip.push(slipEncode(encodeMessage(m)), (f) => got.push(decodeMessage(f) as AnyMessage));
  assert.equal(got, samples);
});

test('a full E1_AUDIO frame of 16 timeslots fits the 4096-byte frame limit', () => {
  assert.ok(encodeMessage(samples[1]!).length < 4096);
});

test('a hello without E1 ports reads as before (no e1Ports field)', () => {
  const m = decodeMessage(encodeMessage({ type: 'hello', protocolVersion: 1, channelCount: 8, audioCodec: 0, model: 'X', firmwareVersion: '1' }));
  assert.equal(m, { type: 'hello', protocolVersion: 1, channelCount: 8, audioCodec: 0, model: 'X', firmwareVersion: '1' });
});

test('malformed E1 frames are failures with a reason, never thrown', () => {
  const bad = (body: number[]) => decodeMessage(withCrc(body));
  const reason = (r: ReturnType<typeof decodeMessage>) => (isDecodeFailure(r) ? r.error : 'decoded');
  assert.is(reason(bad([0x05, 0, 0, 0, 1, 0])), 'bad-length', 'audio header cut short');
  assert.is(reason(bad([0x05, 0, 2, 0, 1, 0, 1, ...new Array(160).fill(0)])), 'bad-value', 'side 2');
  assert.is(reason(bad([0x05, 0, 0, 0, 1, 0, 0])), 'bad-value', 'no timeslot');
  assert.is(reason(bad([0x05, 0, 0, 0, 1, 20, 16, ...new Array(2560).fill(0)])), 'bad-value', 'timeslots past 31');
  assert.is(reason(bad([0x05, 0, 0, 0, 1, 0, 17, ...new Array(17 * 160).fill(0)])), 'bad-value', 'more than 16 timeslots');
  assert.is(reason(bad([0x05, 0, 0, 0, 1, 0, 2, ...new Array(160).fill(0)])), 'bad-length', 'two timeslots, one carried');
  assert.is(reason(bad([0x06, 2, 0, 0, 1, 0, 0, 0, 0])), 'bad-length', 'status claims two entries, carries one');
  assert.is(reason(bad([0x06, 1, 0, 3, 1, 0, 0, 0, 0])), 'bad-value', 'status side 3');
  assert.is(reason(bad([0x84, 1, 0, 4])), 'bad-value', 'configure flags');
  assert.is(reason(bad([0x84, 1, 0])), 'bad-length', 'configure cut short');
  const flipped = encodeMessage(samples[1]!);
  flipped[100]! ^= 1;
  assert.is(reason(decodeMessage(flipped)), 'crc');
});

function frames(port: number, seq: number, parts: Array<[side: 0 | 1, first: number]> = [[0, 0], [0, 16], [1, 0], [1, 16]]): E1AudioMessage[] {
  return parts.map(([side, first]) => ({ type: 'e1Audio', port, side, seq, first, count: 16, octets: octets(16, (i) => first + Math.floor(i / 160) + side * 100) }));
}

test('a block is handed on when both sides are complete, each timeslot a view of its 160 octets', () => {
  const asm = new E1BlockAssembler(4);
  const out: E1Block[] = [];
  for (const f of frames(2, 7)) asm.push(f, (b) => out.push(b));
  assert.is(out.length, 1);
  const b = out[0]!;
  assert.is(b.port, 2);
  assert.is(b.complete, true);
  assert.is(b.missing, 0);
  assert.is(b.slots[0][16]![0], 16);
  assert.is(b.slots[1][31]![159], 131);
  assert.is(b.slots[0][0]!.length, 160);
});

test('lost frames: an incomplete block goes on when the next one starts; lost blocks are counted for silence', () => {
  const asm = new E1BlockAssembler(1);
  const out: E1Block[] = [];
  const push = (fs: E1AudioMessage[]) => fs.forEach((f) => asm.push(f, (b) => out.push(b)));
  push(frames(0, 65534));
  push(frames(0, 65535, [[0, 0], [1, 0], [1, 16]]));
  push(frames(0, 2));
  push(frames(0, 1)); // late: its four frames dropped
  push(frames(0, 2, [[0, 0]])); // duplicate of a block handed on: dropped
  push(frames(0, 80));
  assert.is(out.length, 4);
  assert.is(out[1]!.complete, false);
  assert.is(out[1]!.slots[0][20], null);
  assert.is(out[2]!.seq, 2);
  assert.is(out[2]!.missing, 2, 'blocks 0 and 1 lost across the wrap');
  assert.is(out[3]!.missing, 0, 'a gap longer than 1 s is not filled');
  assert.equal(asm.stats, { blocks: 4, incomplete: 1, gaps: 2, filledBlocks: 2, unfilledGaps: 1, late: 5 });
});

test('frames of a port the host does not have are ignored', () => {
  const asm = new E1BlockAssembler(1);
  let n = 0;
  for (const f of frames(3, 1)) asm.push(f, () => n++);
  assert.is(n, 0);
});

test.run();
