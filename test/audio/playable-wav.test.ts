/**
 * Every stored WAV as the PCM WAV a browser plays: IMA ADPCM (archive), µ-law
 * stereo and 16-bit PCM sources give the samples their own decoder gives, any
 * byte range is the same bytes as the whole, read from the source blocks it
 * needs only, and a source cut short ends the stream with an error.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Readable } from 'node:stream';
import { ImaAdpcmEncoder, decodeImaBlock, imaWavHeader } from '../../firmware/audio/ima-adpcm.ts';
import { playableLayout, playableRange } from '../../firmware/audio/playable-wav.ts';
import { parseAnyWavHeader, wavHeader, decodeWav } from '../../firmware/audio/wav.ts';
import { ulawEncode } from '../../firmware/dsp/g711.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { PeakMeter } from '../../firmware/audio/waveform-peaks.ts';

async function bytesOf(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of r) parts.push(p as Buffer);
  return Buffer.concat(parts);
}

/** A source reader over a file in memory that counts the bytes asked for, in 1000-byte pieces. */
function memorySource(file: Buffer, asked: { bytes: number }) {
  return (start: number, end: number) => {
    asked.bytes += end + 1 - start;
    return Readable.from((function* () {
      for (let i = start; i <= end; i += 1000) yield file.subarray(i, Math.min(end + 1, i + 1000));
    })(), { objectMode: false });
  };
}

function imaFile(samples: Int16Array): Buffer {
  const enc = new ImaAdpcmEncoder();
  const body = Buffer.concat([enc.encode(samples), enc.finish()]);
  return Buffer.concat([imaWavHeader(8000, samples.length), body]);
}

function imaDecoded(file: Buffer): Int16Array {
  const info = parseAnyWavHeader(file.subarray(0, 4096), file.length);
  const out = new Int16Array((info.dataBytes / info.blockAlign) * info.samplesPerBlock);
  for (let b = 0; b * info.blockAlign < info.dataBytes; b++) {
    decodeImaBlock(file.subarray(info.dataOffset + b * info.blockAlign, info.dataOffset + (b + 1) * info.blockAlign), out, b * info.samplesPerBlock);
  }
  return out.subarray(0, info.frames);
}

test('an IMA ADPCM archive plays as PCM with its decoded samples; ranges read only their blocks', async () => {
  const samples = speechLike(3, 5).subarray(0, 3 * 8000 - 123);
  const file = imaFile(samples);
  const info = parseAnyWavHeader(file.subarray(0, 4096), file.length);
  const layout = playableLayout(info);
  assert.is(layout.size, 44 + samples.length * 2);
  const asked = { bytes: 0 };
  const whole = await bytesOf(playableRange(info, layout, 0, layout.size - 1, memorySource(file, asked)));
  assert.is(whole.length, layout.size);
  assert.equal(decodeWav(whole).samples, imaDecoded(file));
  for (const [s, e] of [[0, 0], [43, 44], [45, 46], [10_001, 10_999], [layout.size - 3, layout.size - 1]] as const) {
    const got = { bytes: 0 };
    const part = await bytesOf(playableRange(info, layout, s, e, memorySource(file, got)));
    assert.equal(part, whole.subarray(s, e + 1), `${s}-${e}`);
    assert.ok(got.bytes <= Math.ceil((e - s + 1) / 2 / 505 + 2) * 256, `${s}-${e}: read ${got.bytes} source bytes`);
  }
});

test('µ-law stereo and 16-bit PCM sources', async () => {
  const a = speechLike(1, 1);
  const b = speechLike(1, 2);
  const inter = new Int16Array(a.length * 2);
  for (let i = 0; i < a.length; i++) {
    inter[2 * i] = a[i]!;
    inter[2 * i + 1] = b[i]!;
  }
  const ulaw = ulawEncode(inter);
  const stereoFile = Buffer.concat([wavHeader('ulaw', 8000, ulaw.length, 2), Buffer.from(ulaw)]);
  const pcm = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const pcmFile = Buffer.concat([wavHeader('pcm16', 8000, pcm.length, 1), pcm]);
  for (const file of [stereoFile, pcmFile]) {
    const info = parseAnyWavHeader(file.subarray(0, 4096), file.length);
    const layout = playableLayout(info);
    const whole = await bytesOf(playableRange(info, layout, 0, layout.size - 1, memorySource(file, { bytes: 0 })));
    const src = decodeWav(file);
    const out = decodeWav(whole);
    assert.is(out.info.codec, 'pcm16');
    assert.equal(out.channels, src.channels);
    const part = await bytesOf(playableRange(info, layout, 1001, 3003, memorySource(file, { bytes: 0 })));
    assert.equal(part, whole.subarray(1001, 3004));
  }
});

test('a source shorter than its header says ends the stream with an error', async () => {
  const file = imaFile(speechLike(1, 3));
  const info = parseAnyWavHeader(file.subarray(0, 4096), file.length);
  const layout = playableLayout(info);
  const short = file.subarray(0, file.length - 600);
  let failed = false;
  try {
    await bytesOf(playableRange(info, layout, 0, layout.size - 1, memorySource(short, { bytes: 0 })));
  } catch {
    failed = true;
  }
  assert.ok(failed);
});

test('peaks of a recording shorter than the points asked: one span per sample', () => {
  const m = new PeakMeter(3, 1, 1000);
  m.add(Int16Array.from([5, -7, 9]));
  assert.equal(m.result(8000).lanes, [{ min: [5, -7, 9], max: [5, -7, 9] }]);
  assert.equal(new PeakMeter(0, 2, 10).result(8000), { sampleRate: 8000, durationMs: 0, lanes: [{ min: [], max: [] }, { min: [], max: [] }] });
});

test.run();
