/**
 * A two-party recording (a trunk's two directions, a VoIP call's parties):
 * a stereo WAV keeps each party on its own channel, a mono one mixes them;
 * legs arriving with different block sizes, codecs and jitter stay aligned.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { alawEncode, ulawEncode } from '../../firmware/dsp/g711.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { normalisedCorrelation } from '../support/audio-match.ts';
import type { ChannelRef } from '../../firmware/ports/channel-ref.ts';
import { tempDir } from '../support/temp-dir.ts';

const quiet = { info() {}, error() {} };
const AT = Date.parse('2026-11-20T10:00:00+08:00');
const E1: ChannelRef = { portType: 'e1', port: 1, channel: 16 };

async function box(layout: 'stereo' | 'mono') {
  const data = tempDir('legs-');
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const recorder = new Recorder(data, index, 'alaw', new FileFinisher(data, null), quiet, { twoLegLayout: () => layout });
  return { data, index, recorder };
}

/** Leg A in 20 ms A-law blocks; leg B in 30 ms µ-law blocks arriving late in bursts. */
function record(recorder: Recorder, a: Int16Array, b: Int16Array) {
  const s = recorder.open(E1, {
    callId: 'c1', part: 1, callType: 'incoming-answered', direction: 'incoming', startMode: 'signalling',
    lineNumber: '62001000', remoteNumber: '13800138000', callerName: '', level: 'normal', at: AT, legs: 2,
  });
  const pending: Uint8Array[] = [];
  for (let i = 0, j = 0; i < a.length; i += 160) {
    s.write(0, alawEncode(a.subarray(i, i + 160)), 'alaw', AT + i / 8);
    for (; j < Math.min(b.length, i + 160); j += 240) pending.push(ulawEncode(b.subarray(j, j + 240)));
    if (pending.length >= 4) for (const blk of pending.splice(0)) s.write(1, blk, 'ulaw', AT + i / 8);
  }
  for (const blk of pending.splice(0)) s.write(1, blk, 'ulaw', AT + a.length / 8);
  s.close('hangup', true, AT + a.length / 8);
  return s.entry.id;
}

test('a stereo file holds each party on its own channel, aligned', async () => {
  const { data, index, recorder } = await box('stereo');
  const a = speechLike(6, 11);
  const b = speechLike(6, 22);
  const id = record(recorder, a, b);
  await recorder.drain();
  const e = (await index.get(id))!;
  assert.ok(e.stereo);
  assert.is(e.portType, 'e1');
  assert.is(e.port, 1);
  assert.is(e.channel, 16);
  assert.ok(e.file!.includes('e1-1-ts16'), e.file!);
  assert.ok(Math.abs(e.durationMs - 6000) <= 40, `${e.durationMs} ms`);
  const wav = decodeWav(fs.readFileSync(path.join(data, e.file!)));
  assert.is(wav.info.channels, 2);
  const [left, right] = wav.channels as [Int16Array, Int16Array];
  assert.is(left.length, a.length);
  const n = a.length;
  assert.ok(normalisedCorrelation(left, 0, a, 0, n) > 0.95, 'left is leg A');
  assert.ok(normalisedCorrelation(right, 0, b, 0, n) > 0.95, 'right is leg B');
  assert.ok(Math.abs(normalisedCorrelation(left, 0, b, 0, n)) < 0.2, 'left is not leg B');
  assert.ok(Math.abs(normalisedCorrelation(right, 0, a, 0, n)) < 0.2, 'right is not leg A');
  await index.close();
});

test('a mono file mixes both parties', async () => {
  const { data, index, recorder } = await box('mono');
  const a = speechLike(4, 5);
  const b = speechLike(4, 6);
  const id = record(recorder, a, b);
  await recorder.drain();
  const e = (await index.get(id))!;
  assert.not.ok(e.stereo);
  const wav = decodeWav(fs.readFileSync(path.join(data, e.file!)));
  assert.is(wav.info.channels, 1);
  const sum = Int16Array.from(a, (x, i) => Math.max(-32768, Math.min(32767, x + b[i]!)));
  assert.ok(normalisedCorrelation(wav.samples, 0, sum, 0, a.length) > 0.95);
  assert.ok(normalisedCorrelation(wav.samples, 0, a, 0, a.length) > 0.4, 'leg A present');
  assert.ok(normalisedCorrelation(wav.samples, 0, b, 0, a.length) > 0.4, 'leg B present');
  await index.close();
});

test('a silent leg does not hold the other back: its missing audio is silence', async () => {
  const { data, index, recorder } = await box('stereo');
  const a = speechLike(3, 9);
  const s = recorder.open(E1, {
    callId: 'c2', part: 1, callType: 'outgoing', startMode: 'signalling', lineNumber: '', remoteNumber: '110', callerName: '', level: 'normal', at: AT, legs: 2,
  });
  for (let i = 0; i < a.length; i += 160) s.write(0, alawEncode(a.subarray(i, i + 160)), 'alaw', AT + i / 8);
  // Most of the audio reached the file before the call ended, not only at the end.
  assert.ok(s.durationMs >= 2500, `${s.durationMs} ms written while leg B was silent`);
  s.close('hangup', true, AT + 3000);
  await recorder.drain();
  const e = (await index.get(s.entry.id))!;
  const wav = decodeWav(fs.readFileSync(path.join(data, e.file!)));
  const [left, right] = wav.channels as [Int16Array, Int16Array];
  assert.ok(normalisedCorrelation(left, 0, a, 0, a.length) > 0.95);
  assert.ok(right.every((x) => Math.abs(x) <= 8), 'right channel silent');
  await index.close();
});

test('16-bit PCM input is accepted on a one-leg session and written in the recording codec', async () => {
  const { data, index, recorder } = await box('stereo');
  const a = speechLike(2, 3);
  const ref: ChannelRef = { portType: 'voip', port: 0, channel: 8001 };
  const s = recorder.open(ref, {
    callId: 'v1', part: 1, callType: 'outgoing', startMode: 'signalling', lineNumber: '8001', remoteNumber: '2000', callerName: '', level: 'normal', at: AT,
  });
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < bytes.length; i += 320) s.write(0, bytes.subarray(i, i + 320), 'pcm16', AT + i / 16);
  s.close('hangup', true, AT + 2000);
  await recorder.drain();
  const e = (await index.get(s.entry.id))!;
  assert.is(e.id.split('-')[1], 'V0.8001');
  assert.ok(e.file!.includes('voip-0-8001'), e.file!);
  assert.is(e.codec, 'alaw');
  const wav = decodeWav(fs.readFileSync(path.join(data, e.file!)));
  assert.is(wav.info.codec, 'alaw');
  assert.ok(normalisedCorrelation(wav.samples, 0, a, 0, a.length) > 0.99);
  await index.close();
});

test('opening a recording on a busy channel ends the open one with the stop mode superseded', async () => {
  const { index, recorder } = await box('stereo');
  const start = { callId: 'x', part: 1, callType: 'outgoing' as const, startMode: 'signalling' as const, lineNumber: '', remoteNumber: '1', callerName: '', level: 'normal' as const };
  const first = recorder.open(E1, { ...start, at: AT });
  first.write(0, new Uint8Array(8000 * 4).fill(0xd5), 'alaw', AT + 4000);
  const second = recorder.open(E1, { ...start, callId: 'y', at: AT + 5000 });
  assert.ok(first.closed);
  assert.is(recorder.current(E1), second);
  second.close('hangup', true, AT + 6000);
  await recorder.drain();
  assert.is((await index.get(first.entry.id))!.stopMode, 'superseded');
  assert.is(recorder.stats.superseded, 1);
  await index.close();
});

test('a call with a number on the do-not-record list leaves neither file nor entry', async () => {
  const data = tempDir('dnr-');
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const recorder = new Recorder(data, index, 'alaw', new FileFinisher(data, null), quiet, { doNotRecord: (n) => n.startsWith('95588') });
  const s = recorder.open(E1, {
    callId: 'd', part: 1, callType: 'outgoing', startMode: 'signalling', lineNumber: '', remoteNumber: '', callerName: '', level: 'normal', at: AT,
  });
  s.write(0, new Uint8Array(8000 * 5).fill(0x55), 'alaw', AT + 5000);
  s.update({ remoteNumber: '95588123' });
  const file = path.join(data, s.entry.file!);
  s.close('hangup', true, AT + 5000);
  await recorder.drain();
  assert.not.ok(fs.existsSync(file));
  assert.is(await index.get(s.entry.id), null);
  assert.equal(fs.readdirSync(path.join(data, 'open')), []);
  assert.is(recorder.stats.notRecorded, 1);
  await index.close();
});

test.run();
