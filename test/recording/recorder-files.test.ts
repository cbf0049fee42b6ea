import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { WavWriter, FLUSH_MS } from '../../firmware/recording/wav-writer.ts';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { Recorder } from '../../firmware/recording/recorder.ts';
import { recoverOpenRecordings } from '../../firmware/recording/recovery.ts';
import { decodeWav, parseWavHeader } from '../../firmware/audio/wav.ts';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../../firmware/recording/record-entry.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { FileFinisher } from '../../firmware/recording/file-finisher.ts';
import { tempDir } from '../support/temp-dir.ts';

const quiet = { info() {}, error() {}, warn() {} };
const tmp = () => tempDir('rec-');

function tone(n: number, offset = 0): Int16Array {
  return Int16Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin(((i + offset) * 2 * Math.PI * 440) / 8000)));
}

test('an unclosed writer leaves a valid WAV lacking at most one flush interval', () => {
  const dir = tmp();
  const file = path.join(dir, 'a.wav');
  const w = new WavWriter(file, 'alaw', 8000, 0);
  for (let t = 0; t < 5000; t += 20) w.append(alawEncode(tone(160, t * 8)), t);
  // No close(): the process is killed here.
  const onDisk = fs.readFileSync(file);
  const info = parseWavHeader(onDisk, onDisk.length);
  assert.not.ok(info.sizesStale, 'header sizes match the audio on disk');
  const seconds = info.dataBytes / 8000;
  assert.ok(seconds >= 5 - FLUSH_MS / 1000 - 0.02, `${seconds} s on disk`);
});

test('a closed writer holds exactly the audio appended, decodable to the same samples', async () => {
  const dir = tmp();
  const file = path.join(dir, 'b.wav');
  const w = new WavWriter(file, 'alaw', 8000, 0);
  const pcm = tone(8000);
  w.append(alawEncode(pcm), 0);
  assert.is(await w.close(1000), 8000);
  const wav = decodeWav(fs.readFileSync(file));
  assert.is(wav.samples.length, 8000);
  let maxErr = 0;
  for (let i = 0; i < pcm.length; i++) maxErr = Math.max(maxErr, Math.abs(pcm[i]! - wav.samples[i]!));
  assert.ok(maxErr < 300, `A-law quantisation error ${maxErr}`);
});

function entry(over: Partial<RecordEntry>): RecordEntry {
  const startedAt = over.startedAt ?? 1_700_000_000_000;
  const channel = over.channel ?? 0;
  return withEntryDefaults({
    id: recordId(startedAt, analogRef(channel), 1),
    callId: `${channel}-${startedAt}`,
    part: 1,
    channel,
    portType: 'analog',
    lineNumber: String(8000 + channel),
    remoteNumber: '',
    callerName: '',
    callType: 'outgoing',
    startedAt,
    durationMs: 10_000,
    startMode: 'voltage',
    stopMode: 'hangup',
    level: 'normal',
    file: null,
    sizeBytes: 0,
    codec: 'alaw',
    archived: false,
    sealed: false,
    sha256: null,
    deleted: false,
    ...over,
  });
}

test('index queries are newest first, filtered by time and channel, paged with a total', async () => {
  const index = new RecordIndex(path.join(tmp(), 'index'));
  await index.open();
  const base = 1_700_000_000_000;
  for (let i = 0; i < 30; i++) await index.put(entry({ startedAt: base + i * 60_000, channel: i % 3 }));
  const page = await queryRecords(index, { limit: 5, offset: 0 });
  assert.is(page.total, 30);
  assert.equal(page.items.map((e) => e.startedAt), [29, 28, 27, 26, 25].map((i) => base + i * 60_000));
  const ch1 = await queryRecords(index, { channel: 1, limit: 100, offset: 0 });
  assert.is(ch1.total, 10);
  assert.ok(ch1.items.every((e) => e.channel === 1));
  const window = await queryRecords(index, { from: base + 10 * 60_000, to: base + 19 * 60_000, limit: 3, offset: 2 });
  assert.is(window.total, 10);
  assert.equal(window.items.map((e) => e.startedAt), [17, 16, 15].map((i) => base + i * 60_000));
  await index.put({ ...page.items[0]!, remoteNumber: '110' });
  assert.is((await queryRecords(index, { limit: 100, offset: 0 })).total, 30, 'replacing an entry does not duplicate it');
  await index.close();
});

test('recovery closes recordings a killed recorder left open and indexes them once', async () => {
  const data = tmp();
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const rec = new Recorder(data, index, 'alaw', new FileFinisher(data, null), quiet);
  const at = 1_700_000_100_000;
  const s = rec.open(analogRef(2), { callId: '2-x', callType: 'incoming-answered', part: 1, startMode: 'voltage', at, lineNumber: '8002', remoteNumber: '555', callerName: '', level: 'important' });
  for (let t = 0; t < 8000; t += 20) s.write(0, alawEncode(tone(160, t * 8)), 'alaw', at + t);
  s.update({ remoteNumber: '5550100', callerName: 'LI' });
  rec.flushAll(at + 8100); // the periodic tick writes the new number into the marker
  await rec.markersWritten();
  // Killed: no stop(). A new recorder process starts and recovers.
  const first = await recoverOpenRecordings(data, index, 3, new FileFinisher(data, null), quiet);
  assert.is(first.recovered.length, 1);
  const r = first.recovered[0]!;
  assert.is(r.stopMode, 'power-loss');
  assert.is(r.remoteNumber, '5550100');
  assert.is(r.level, 'important');
  assert.ok(r.durationMs >= 7000 && r.durationMs <= 8000, `${r.durationMs} ms`);
  const wav = fs.readFileSync(path.join(data, r.file!));
  assert.not.ok(parseWavHeader(wav, wav.length).sizesStale);
  const again = await recoverOpenRecordings(data, index, 3, new FileFinisher(data, null), quiet);
  assert.is(again.recovered.length, 0);
  assert.is((await queryRecords(index, { limit: 10, offset: 0 })).total, 1);
  await index.close();
});

test('a recording stopped short of the minimum length leaves neither file nor entry', async () => {
  const data = tmp();
  const index = new RecordIndex(path.join(data, 'index'));
  await index.open();
  const rec = new Recorder(data, index, 'alaw', new FileFinisher(data, null), quiet);
  const at = 1_700_000_200_000;
  const s = rec.open(analogRef(0), { callId: '0-y', callType: 'outgoing', part: 1, startMode: 'voltage', at, lineNumber: '8000', remoteNumber: '', callerName: '', level: 'normal' });
  const file = path.join(data, s.entry.file!);
  s.write(0, new Uint8Array(160), 'alaw', at);
  s.close('hangup', false, at + 1000);
  await rec.drain();
  assert.not.ok(fs.existsSync(file));
  assert.is((await queryRecords(index, { limit: 10, offset: 0 })).total, 0);
  assert.equal(fs.readdirSync(path.join(data, 'open')), []);
  await index.close();
});

test.run();
