/**
 * Bad input never crashes and never leaks: thousands of random and mutated
 * phone commands through the framer and parser, random and mutated RTP
 * through the stream, and a phone import file cut and corrupted, all with a
 * fixed seed. Each case must end in a result or a typed refusal.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MessageError, MessageFramer, parseFields, MAX_MESSAGE_BYTES } from '../../firmware/voip/phone/phone-message.ts';
import { RtpStream } from '../../firmware/voip/rtp/rtp-stream.ts';
import { readRtpHeader, emptyRtpHeader } from '../../firmware/voip/rtp/rtp-header.ts';
import { LocalRecordingError, LocalRecordingReader } from '../../firmware/voip/phone/local-recording.ts';
import { prng, rtpPacket } from '../support/rtp-send.ts';
import type { CodecName } from '../../firmware/voip/rtp/payload-codec.ts';

const VALID = Buffer.from(
  'cmd=RecordStartRequest&id=12ab&device=00%3A1A%3A2B%3A3C%3A4D%3A5E&remote_number=13800138000&remote_name=%E5%BC%A0%E4%B8%89&local_number=8001&local_name=desk&dir=in&codec=PCMA\r\n',
);

function mutate(b: Buffer, rand: () => number): Buffer {
  const out = Buffer.from(b);
  const n = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    const k = Math.floor(rand() * 4);
    const at = Math.floor(rand() * out.length);
    if (k === 0) out[at] = Math.floor(rand() * 256);
    else if (k === 1) out[at] = [0x26, 0x3d, 0x25, 0x0a, 0x00, 0x2b][Math.floor(rand() * 6)]!;
    else if (k === 2) out[at] ^= 1 << Math.floor(rand() * 8);
    else return Buffer.concat([out.subarray(0, at), out.subarray(at + Math.floor(rand() * 10))]);
  }
  return out;
}

test('phone commands: 5000 random and mutated messages in random chunks are framed and parsed or refused', () => {
  const rand = prng(4733);
  const framer = new MessageFramer();
  let parsed = 0;
  let refused = 0;
  for (let i = 0; i < 5000; i++) {
    let msg: Buffer;
    const r = rand();
    if (r < 0.5) msg = mutate(VALID, rand);
    else if (r < 0.8) msg = Buffer.from(Array.from({ length: Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)));
    else if (r < 0.9) msg = Buffer.alloc(MAX_MESSAGE_BYTES + Math.floor(rand() * 5000), 0x61);
    else msg = VALID;
    // Delivered in random chunks.
    for (let at = 0; at < msg.length; ) {
      const len = 1 + Math.floor(rand() * 200);
      for (const f of framer.push(msg.subarray(at, at + len))) {
        if (f === 'oversized') continue;
        assert.ok(f.text.length <= MAX_MESSAGE_BYTES);
        try {
          const fields = parseFields(f.text);
          assert.ok(fields.get('cmd'));
          parsed++;
        } catch (e) {
          assert.instance(e, MessageError);
          refused++;
        }
      }
      at += len;
    }
    if (rand() < 0.05) framer.flushIdle();
  }
  assert.ok(parsed > 500, `parsed ${parsed}`);
  assert.ok(refused > 500, `refused ${refused}`);
  assert.ok(framer.pending <= MAX_MESSAGE_BYTES);
});

test('names are URL-decoded as UTF-8, or GB18030 when not UTF-8; a bad escape is kept', () => {
  const f = parseFields(Buffer.from('cmd=RecordStopRequest&id=1&remote_name=%D5%C5%C8%FD&local_name=a+b%2&x=%zz'));
  assert.is(f.get('remote_name'), '张三');
  assert.is(f.get('local_name'), 'a b%2');
  assert.is(f.get('x'), '%zz');
  assert.is(parseFields(VALID.subarray(0, VALID.length - 2)).get('remote_name'), '张三');
});

test('framing: CRLF, LF, NUL and an idle message without terminator', () => {
  const framer = new MessageFramer();
  const frames = framer.push(Buffer.from('cmd=A&id=1\r\ncmd=B&id=2\ncmd=C&id=3\0cmd=D&id=4'));
  assert.equal(frames.map((f) => (f === 'oversized' ? f : f.terminator)), ['\r\n', '\n', '\0']);
  const idle = framer.flushIdle()!;
  assert.is(Buffer.from(idle.text).toString(), 'cmd=D&id=4');
  assert.is(idle.terminator, '');
});

test('RTP: 20000 random and mutated datagrams never throw and keep the counters consistent', () => {
  const rand = prng(3550);
  const codecs = new Map<number, CodecName>([[8, 'PCMA'], [0, 'PCMU'], [9, 'G722'], [101, 'telephone-event']]);
  const s = new RtpStream(codecs, 800);
  const out = new Int16Array(8000);
  const h = emptyRtpHeader();
  let pos = 0;
  let seq = 100;
  let ts = 5000;
  let accepted = 0;
  for (let i = 0; i < 20000; i++) {
    let d: Buffer;
    const r = rand();
    const good = rtpPacket([8, 0, 9, 101][Math.floor(rand() * 4)]!, seq++, (ts += 160), 77, new Uint8Array(160).fill(0xd5));
    if (r < 0.4) d = good;
    else if (r < 0.8) d = mutate(good, rand);
    else d = Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
    if (readRtpHeader(d, h)) accepted++;
    s.receive(d, pos);
    pos += Math.floor(rand() * 320);
    const got = s.pull(pos - 800, out);
    assert.ok(got >= 0 && got <= 8000);
  }
  const c = s.counters;
  assert.ok(accepted > 8000);
  assert.ok(c.packets + c.malformed + c.unknownPayload <= 20000);
  assert.ok(c.malformed > 0 && c.late + c.duplicates + c.lost >= 0);
});

test('phone recording files: 2000 cut and corrupted files are read or refused with a reason', () => {
  const rand = prng(722);
  const head = Buffer.alloc(76);
  head.write('PCMA', 0, 'latin1');
  head.writeInt32LE(172, 64);
  head.writeInt32LE(160, 68);
  const packets = Buffer.concat(Array.from({ length: 20 }, (_, k) => rtpPacket(8, k, k * 160, 1, new Uint8Array(160).fill(0x55))));
  head.writeUInt32LE(packets.length, 72);
  const file = Buffer.concat([head, packets]);
  let read = 0;
  let refused = 0;
  for (let i = 0; i < 2000; i++) {
    const f = rand() < 0.5 ? mutate(file, rand) : file.subarray(0, Math.floor(rand() * file.length));
    const reader = new LocalRecordingReader();
    try {
      for (let at = 0; at < f.length; at += 100) reader.push(f.subarray(at, at + 100));
      read++;
    } catch (e) {
      assert.instance(e, LocalRecordingError);
      refused++;
    }
  }
  assert.ok(read > 100 && refused > 10, `${read} read, ${refused} refused`);
  const whole = new LocalRecordingReader();
  assert.is(whole.push(file).length, 20 * 160);
  assert.ok(whole.complete);
});

test.run();
