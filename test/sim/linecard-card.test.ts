import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AckStatus, AudioCodec, type AnyMessage, type AudioMessage, type LineStatusMessage } from '../../firmware/linecard/messages.ts';
import { TimelineSource } from '../../firmware/sim/line-model.ts';
import { cardRig } from './helpers.ts';

const ofType = <T extends AnyMessage['type']>(ms: AnyMessage[], type: T) =>
  ms.filter((m): m is Extract<AnyMessage, { type: T }> => m.type === type);

test('the card announces itself with a hello at power-up', () => {
  const rig = cardRig({ channelCount: 8 });
  rig.card.start();
  const first = rig.messages[0];
  assert.equal(first, { type: 'hello', protocolVersion: 1, channelCount: 8, audioCodec: AudioCodec.Alaw, model: 'SIM-LC8', firmwareVersion: '1.4.2' });
});

test('identify is answered with a hello then an ack carrying the command seq', () => {
  const rig = cardRig({ channelCount: 8, model: 'SIM-LC8', firmwareVersion: '1.4.2' });
  rig.card.start();
  rig.take();
  rig.send({ type: 'identify', seq: 42 });
  const [hello, ack] = rig.take();
  assert.equal(hello, { type: 'hello', protocolVersion: 1, channelCount: 8, audioCodec: AudioCodec.Alaw, model: 'SIM-LC8', firmwareVersion: '1.4.2' });
  assert.equal(ack, { type: 'ack', seq: 42, status: AckStatus.Ok });
  assert.is(rig.card.received.identify, 1);
});

test('configure is acked, and a channel the card lacks is acked BadChannel', () => {
  const rig = cardRig({ channelCount: 4 });
  rig.card.start();
  rig.take();
  rig.send({ type: 'configure', seq: 5, channel: 2, audioEnabled: false, codec: AudioCodec.Ulaw, gainDb: -6 });
  assert.equal(rig.take(), [{ type: 'ack', seq: 5, status: AckStatus.Ok }]);
  assert.equal(rig.card.channelSettings(2), { audioEnabled: false, codec: AudioCodec.Ulaw, gainDb: -6 });
  rig.send({ type: 'configure', seq: 6, channel: 4, audioEnabled: true, codec: AudioCodec.Alaw, gainDb: 0 });
  assert.equal(rig.take(), [{ type: 'ack', seq: 6, status: AckStatus.BadChannel }]);
});

test('ping is acked; reset is acked, then a hello, and audio seqs start again at 0', () => {
  const rig = cardRig({ channelCount: 1 });
  rig.card.start();
  rig.clock.advance(200);
  assert.is(ofType(rig.take(), 'audio').at(-1)!.seq, 9);
  rig.send({ type: 'ping', seq: 1 });
  assert.equal(rig.take(), [{ type: 'ack', seq: 1, status: AckStatus.Ok }]);
  rig.send({ type: 'reset', seq: 2 });
  const after = rig.take();
  assert.equal(after[0], { type: 'ack', seq: 2, status: AckStatus.Ok });
  assert.is(after[1]!.type, 'hello');
  rig.clock.advance(40);
  assert.equal(ofType(rig.take(), 'audio').map((a) => a.seq), [0, 1]);
});

test('garbled and unknown host frames are ignored and counted', () => {
  const rig = cardRig();
  rig.card.start();
  rig.take();
  rig.host.write(Buffer.from([0xc0, 0x80, 0x01, 0x00, 0x00, 0xc0, 0xc0, 0x7f, 0x12, 0x34, 0xc0]));
  assert.equal(rig.take(), []);
  assert.is(rig.card.received.garbled, 2);
});

test('line status is sent with all channels at 10 Hz', () => {
  const rig = cardRig({ channelCount: 3 });
  rig.card.start();
  rig.take();
  rig.clock.advance(1000);
  const status = ofType(rig.take(), 'lineStatus');
  assert.is(status.length, 10);
  for (const s of status) assert.equal(s.entries.map((e) => e.channel), [0, 1, 2]);
  assert.ok(status.every((s) => s.entries.every((e) => Math.abs(e.voltage - 48) <= 0.3 && !e.ringing)));
});

test('a state change is reported at once with only the changed channel', () => {
  const line = new TimelineSource([
    { tMs: 0, state: 'onhook' },
    { tMs: 1230, state: 'ringing' },
    { tMs: 3950, state: 'offhook' },
  ]);
  const rig = cardRig({ channelCount: 2, sources: [line] });
  rig.card.start();
  rig.clock.advance(1220);
  rig.take();
  rig.clock.advance(10);
  const [change] = ofType(rig.take(), 'lineStatus');
  assert.is(change!.entries.length, 1);
  assert.is(change!.entries[0]!.channel, 0);
  assert.ok(change!.entries[0]!.ringing);
  // ring AC stops after the 1 s on period: one more change, between the 10 Hz reports
  rig.clock.advance(990);
  rig.take();
  rig.clock.advance(10);
  const [ringOff] = ofType(rig.take(), 'lineStatus');
  assert.equal(ringOff!.entries.map((e) => [e.channel, e.ringing]), [[0, false]]);
  rig.clock.advance(3950 - 2230);
  const [offhook] = ofType(rig.take(), 'lineStatus').filter((m) => m.entries.length === 1);
  assert.ok(Math.abs(offhook!.entries[0]!.voltage - 8) <= 0.3);
  assert.is(rig.card.sent.lineStatusChanges, 3);
});

test('50 audio frames per second per channel, 160 A-law bytes, consecutive seqs', () => {
  const rig = cardRig({ channelCount: 3 });
  rig.card.start();
  rig.take();
  rig.clock.advance(3000);
  const audio = ofType(rig.take(), 'audio');
  for (let ch = 0; ch < 3; ch++) {
    const frames = audio.filter((a) => a.channel === ch);
    assert.is(frames.length, 150);
    assert.equal(frames.map((f) => f.seq), Array.from({ length: 150 }, (_, i) => i));
    assert.ok(frames.every((f) => f.codec === AudioCodec.Alaw && f.samples.length === 160));
  }
});

test('a clock jump is caught up block by block without drift', () => {
  const rig = cardRig({ channelCount: 1 });
  rig.card.start();
  rig.clock.advance(15);
  rig.clock.advance(10_000 - 15);
  const audio = ofType(rig.take(), 'audio');
  assert.is(audio.length, 500);
  assert.is(audio.at(-1)!.seq, 499);
});

test('audio seq wraps at 16 bits', () => {
  const rig = cardRig({ channelCount: 1 });
  rig.card.start();
  rig.clock.advance(65538 * 20);
  const seqs = ofType(rig.take(), 'audio').slice(65534).map((a) => a.seq);
  assert.equal(seqs, [65534, 65535, 0, 1]);
});

test('disabled channels send no audio; the codec and gain follow configure', () => {
  const loud = { cadence: { onMs: 1, offMs: 1 }, stateAt: () => ({ state: 'offhook' as const, sinceMs: 0 }), fillAudio: (_t: number, out: Int16Array) => out.fill(1000) };
  const rig = cardRig({ channelCount: 2, sources: [loud, loud] });
  rig.card.start();
  rig.send({ type: 'configure', seq: 1, channel: 0, audioEnabled: false, codec: AudioCodec.Alaw, gainDb: 0 });
  rig.send({ type: 'configure', seq: 2, channel: 1, audioEnabled: true, codec: AudioCodec.Linear16, gainDb: 6 });
  rig.take();
  rig.clock.advance(100);
  const audio = ofType(rig.take(), 'audio') as AudioMessage[];
  assert.is(audio.length, 5);
  assert.ok(audio.every((a) => a.channel === 1 && a.codec === AudioCodec.Linear16 && a.samples.length === 320));
  assert.is(audio[0]!.samples.readInt16LE(0), 1995);
});

test('crcErrorEvery corrupts every Nth frame', () => {
  const rig = cardRig({ channelCount: 1, faults: { crcErrorEvery: 10 } });
  rig.card.start();
  rig.clock.advance(1000);
  const total = rig.messages.length + rig.failures.length;
  assert.is(rig.card.sent.frames, total);
  assert.is(rig.failures.length, Math.floor(total / 10));
  assert.ok(rig.failures.every((f) => f.error === 'crc'));
});

test('garbageEvery puts random bytes between frames, which the host cannot decode', () => {
  const rig = cardRig({ channelCount: 1, faults: { garbageEvery: 7 } });
  rig.card.start();
  rig.clock.advance(1000);
  const total = rig.card.sent.frames;
  assert.is(rig.messages.length, total);
  assert.is(rig.card.sent.garbageBursts, Math.floor(total / 7));
  assert.is(rig.failures.length + rig.decoder.stats.malformed, rig.card.sent.garbageBursts);
});

test('dropAudioEvery leaves a gap in the seqs of every channel', () => {
  const rig = cardRig({ channelCount: 2, faults: { dropAudioEvery: 10 } });
  rig.card.start();
  rig.clock.advance(1000);
  for (const ch of [0, 1]) {
    const seqs = ofType(rig.messages, 'audio').filter((a) => a.channel === ch).map((a) => a.seq);
    assert.equal(seqs, Array.from({ length: 50 }, (_, i) => i).filter((s) => (s + 1) % 10 !== 0));
  }
});

test('a muted card sends nothing and answers nothing until unmuted', () => {
  const rig = cardRig({ channelCount: 2 });
  rig.card.start();
  rig.clock.advance(100);
  rig.card.setMute(true);
  rig.take();
  rig.clock.advance(1000);
  rig.send({ type: 'identify', seq: 9 });
  assert.equal(rig.take(), []);
  assert.is(rig.card.received.identify, 0);
  rig.card.setMute(false);
  rig.send({ type: 'ping', seq: 10 });
  assert.equal(rig.take(), [{ type: 'ack', seq: 10, status: AckStatus.Ok }]);
  rig.clock.advance(100);
  assert.ok(ofType(rig.take(), 'audio').length === 10);
});

test('after stop() the card sends nothing more', () => {
  const rig = cardRig({ channelCount: 1 });
  rig.card.start();
  rig.clock.advance(100);
  rig.card.stop();
  rig.take();
  rig.clock.advance(1000);
  assert.equal(rig.take(), []);
  assert.is(rig.clock.pendingTimers, 0);
});

test('line status lists more than 128 channels in several frames', () => {
  const rig = cardRig({ channelCount: 200 });
  rig.card.start();
  const first = ofType(rig.take(), 'lineStatus') as LineStatusMessage[];
  assert.equal(first.map((m) => m.entries.length), [128, 72]);
});

test.run();
