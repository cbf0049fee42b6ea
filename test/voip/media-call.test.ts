/**
 * The media API records a VoIP call: two parties' RTP streams, lost,
 * reordered and duplicated packets, land aligned in one stereo file; ports
 * come back on close; capacity, foreign senders and bad offers are refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { EventBus } from '../../firmware/events/event-bus.ts';
import { AudioTap } from '../../firmware/events/audio-tap.ts';
import { VirtualClock } from '../../firmware/sim/virtual-clock.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { VoipMediaServer, type MediaSettings } from '../../firmware/voip/media/voip-media.ts';
import { VoipMediaError } from '../../firmware/voip/media/voip-call.ts';
import { locate } from '../support/audio-match.ts';
import { packetise, rtpPacket, send, udpClient } from '../support/rtp-send.ts';
import { tempDir } from '../support/temp-dir.ts';

const quiet = { info() {}, warn() {}, error() {} };
const AT = Date.parse('2026-11-20T10:00:00+08:00');

async function media(capacity = 4, over: Partial<MediaSettings> = {}) {
  const data = tempDir('voip-media-');
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const recorder = new Recorder(data, index, 'pcm16', new FileFinisher(data, null), quiet);
  const clock = new VirtualClock(AT);
  const settings: MediaSettings = { rtpPorts: { min: 41000 + Math.floor(Math.random() * 20000), max: 0 }, jitterMs: 100, silenceTimeoutS: 10, layout: 'stereo', ...over };
  settings.rtpPorts.max = settings.rtpPorts.min + 40;
  const events = new EventBus();
  const server = new VoipMediaServer({ recorder, events, tap: new AudioTap(), clock, log: quiet, capacity, settings: () => settings });
  server.start();
  return { data, index, recorder, clock, server, events };
}

/** Lets the datagrams sent so far arrive. */
const arrive = () => new Promise<void>((r) => setTimeout(r, 2));

test('two impaired streams are recorded aligned in a stereo file', async () => {
  const { data, index, recorder, clock, server } = await media();
  const call = server.open({ source: 'siprec', callId: 'c1', direction: 'in', remoteNumber: '13800138000', localNumber: '8001', remoteName: '张三', at: AT });
  const a = await call.addStream({ label: 'a', leg: 0, codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] });
  const b = await call.addStream({ label: 'b', leg: 1, codecs: [{ pt: 0, name: 'PCMU', rate: 8000 }] });
  const sa = await udpClient();
  const sb = await udpClient();
  const refA = speechLike(4, 3);
  const refB = speechLike(4, 4);
  const pa = packetise(refA, 'PCMA', 0x1111, { loss: 0.03, reorder: 0.1, duplicate: 0.05, seed: 5 });
  const pb = packetise(refB, 'PCMU', 0x2222, { loss: 0.03, reorder: 0.1, duplicate: 0.05, seed: 6 });
  for (let k = 0; k < pa.steps.length; k++) {
    for (const p of pa.steps[k]!) await send(sa, p, a.port);
    for (const p of pb.steps[k]!) await send(sb, p, b.port);
    await arrive();
    await clock.runFor(20, 20);
  }
  // A stranger's packet is refused.
  const stranger = await udpClient();
  await send(stranger, rtpPacket(8, 1, 1, 9, new Uint8Array(160)), a.port);
  await arrive();
  const st = call.stats();
  const sA = st.streams.find((s) => s.label === 'a')!;
  assert.ok(sA.duplicates > 0, 'duplicates counted');
  assert.is(sA.lost, pa.dropped.size, 'every dropped packet counted lost');
  assert.is(sA.foreign, 1);
  await clock.runFor(200, 20);
  await call.close('hangup');
  await recorder.drain();
  assert.is(server.portsInUse, 0, 'ports freed');
  const id = st.recordId!;
  const e = (await index.get(id))!;
  assert.is(e.portType, 'voip');
  assert.is(e.remoteNumber, '13800138000');
  assert.is(e.callerName, '张三');
  assert.is(e.lineNumber, '8001');
  assert.is(e.direction, 'incoming');
  assert.is(e.stopMode, 'hangup');
  assert.ok(e.stereo);
  const wav = decodeWav(fs.readFileSync(path.join(data, e.file!)));
  const [left, right] = wav.channels as [Int16Array, Int16Array];
  // A stretch without losses of each party is found in its own channel, at the same offset in both.
  const hitA = locate(left, 8000, 1600, refA, 0, 16000);
  const hitB = locate(right, 8000, 1600, refB, 0, 16000);
  assert.ok(hitA.correlation > 0.95, `left ${hitA.correlation}`);
  assert.ok(hitB.correlation > 0.95, `right ${hitB.correlation}`);
  assert.ok(Math.abs(hitA.offset - hitB.offset) <= 8, `aligned: ${hitA.offset} vs ${hitB.offset}`);
  for (const s of [sa, sb, stranger]) s.close();
  await server.stop();
  await index.close();
});

test('calls past the licence are refused; a port range used up rejects the stream and leaks nothing', async () => {
  const { server, index } = await media(2);
  const c1 = server.open({ source: 'phone', callId: '1', direction: 'out', at: AT });
  const c2 = server.open({ source: 'phone', callId: '2', direction: 'out', at: AT });
  try {
    server.open({ source: 'phone', callId: '3', direction: 'out', at: AT });
    assert.unreachable('over capacity');
  } catch (e) {
    assert.instance(e, VoipMediaError);
    assert.is((e as VoipMediaError).code, 'capacity');
  }
  await assert_rejects(c1.addStream({ label: 'x', leg: 0, codecs: [] }), 'bad-offer');
  await c1.addStream({ label: 'x', leg: 'mixed', codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] });
  await assert_rejects(c1.addStream({ label: 'x', leg: 'mixed', codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] }), 'duplicate');
  assert.is(server.portsInUse, 1);
  await c1.close('hangup');
  await c2.close('disconnect');
  assert.is(server.portsInUse, 0);
  assert.is(server.active().length, 0);
  await server.stop();
  await index.close();
});

test('a call without RTP ends after the silence timeout with stop mode silence', async () => {
  const { server, index, clock, recorder } = await media(2, { silenceTimeoutS: 1 });
  const c = server.open({ source: 'phone', callId: '1', direction: 'in', at: AT });
  await c.addStream({ label: 'm', leg: 'mixed', codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] });
  await clock.runFor(1100, 20);
  assert.is(await c.ended, 'silence');
  await recorder.drain();
  assert.is(server.portsInUse, 0);
  assert.is(server.ended()[0]!.endReason, 'silence');
  await server.stop();
  await index.close();
});

test('a paused call records the pause as silence and loses nothing else', async () => {
  const { server, index, clock, recorder, data } = await media(2);
  const c = server.open({ source: 'phone', callId: 'p', direction: 'out', at: AT });
  const { port } = await c.addStream({ label: 'm', leg: 'mixed', codecs: [{ pt: 8, name: 'PCMA', rate: 8000 }] });
  const tone = Int16Array.from({ length: 8000 * 3 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 400 * i) / 8000)));
  const { steps } = packetise(tone, 'PCMA', 5);
  const udp = await udpClient();
  for (const [k, step] of steps.entries()) {
    if (k === 50) c.pause('hold');
    if (k === 100) c.resume();
    for (const p of step) await send(udp, p, port);
    await arrive();
    await clock.runFor(20, 20);
  }
  await clock.runFor(200, 20);
  const st = c.stats();
  assert.ok(st.pausedMs >= 990 && st.pausedMs <= 1010, `paused ${st.pausedMs} ms`);
  assert.is(st.streams[0]!.lost, 0, 'nothing lost while paused');
  await c.close('hangup');
  await recorder.drain();
  const e = (await index.get(st.recordId!))!;
  const pcm = decodeWav(fs.readFileSync(path.join(data, e.file!))).channels[0]!;
  const rms = (a: Int16Array) => Math.sqrt(a.reduce((x, v) => x + v * v, 0) / a.length);
  // Audio before the pause, silence during it (after the jitter delay), audio after.
  assert.ok(rms(pcm.subarray(1600, 6400)) > 3000);
  assert.ok(rms(pcm.subarray(9600, 14400)) < 50, `pause ${rms(pcm.subarray(9600, 14400))}`);
  assert.ok(rms(pcm.subarray(17600, 22400)) > 3000);
  udp.close();
  await server.stop();
  await index.close();
});

async function assert_rejects(p: Promise<unknown>, code: string) {
  try {
    await p;
    assert.unreachable('should reject');
  } catch (e) {
    assert.instance(e, VoipMediaError);
    assert.is((e as VoipMediaError).code, code);
  }
}

test.run();
