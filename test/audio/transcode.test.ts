import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alawDecode, alawEncode, ulawDecode, ulawEncode } from '../../firmware/dsp/g711.ts';
import { ARCHIVE_FORMATS, transcodeFile } from '../../firmware/audio/transcode.ts';
import { TranscodeError } from '../../firmware/audio/transcode-error.ts';
import { probeDuration } from '../../firmware/audio/probe-duration.ts';
import { openWavSource } from '../../firmware/audio/wav-source.ts';
import { decodeWav, parseAnyWavHeader, wavHeader } from '../../firmware/audio/wav.ts';
import { lineAudio, realSpeech, recorderWav, snrDb, tempDir, writeRecorderWav } from './audio-fixtures.ts';

const dir = tempDir();
const speech = realSpeech(12.345);

async function samplesOf(file: string): Promise<Int16Array> {
  const src = await openWavSource(file);
  const parts: Int16Array[] = [];
  for await (const c of src.samples()) parts.push(c.slice());
  await src.close();
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
}

test('A-law to PCM is exactly the G.711 decode; PCM to A-law exactly the G.711 encode; A-law to A-law keeps every byte', async () => {
  const src = join(dir, 'a.wav');
  writeRecorderWav(src, 'alaw', speech);
  const alaw = alawEncode(speech);
  const r = await transcodeFile(src, join(dir, 'a-pcm.wav'), 'pcm16');
  assert.equal(decodeWav(readFileSync(join(dir, 'a-pcm.wav'))).samples, alawDecode(alaw));
  assert.is(r.durationMs, 12345);
  assert.is(r.sizeBytes, 44 + speech.length * 2);
  await transcodeFile(join(dir, 'a-pcm.wav'), join(dir, 'a-pcm-a.wav'), 'alaw');
  assert.equal(readFileSync(join(dir, 'a-pcm-a.wav')), readFileSync(src));
  await transcodeFile(src, join(dir, 'a-a.wav'), 'alaw');
  assert.equal(readFileSync(join(dir, 'a-a.wav')), readFileSync(src));
});

test('µ-law and PCM both ways are exact in value (µ-law -0 comes back as +0), and PCM to µ-law is the G.711 encode', async () => {
  const src = join(dir, 'u.wav');
  writeRecorderWav(src, 'ulaw', speech);
  await transcodeFile(src, join(dir, 'u-pcm.wav'), 'pcm16');
  assert.equal(decodeWav(readFileSync(join(dir, 'u-pcm.wav'))).samples, ulawDecode(ulawEncode(speech)));
  await transcodeFile(join(dir, 'u-pcm.wav'), join(dir, 'u-pcm-u.wav'), 'ulaw');
  assert.equal(decodeWav(readFileSync(join(dir, 'u-pcm-u.wav'))).samples, decodeWav(readFileSync(src)).samples);
  assert.is(readFileSync(join(dir, 'u-pcm-u.wav')).length, readFileSync(src).length);
  const pcm = join(dir, 'p.wav');
  writeRecorderWav(pcm, 'pcm16', speech);
  await transcodeFile(pcm, join(dir, 'p-u.wav'), 'ulaw');
  assert.equal(decodeWav(readFileSync(join(dir, 'p-u.wav'))).samples, ulawDecode(ulawEncode(speech)));
});

test('A-law to µ-law: within G.711 quantisation of the source (SNR above 30 dB)', async () => {
  const src = join(dir, 'a2.wav');
  writeRecorderWav(src, 'alaw', speech);
  await transcodeFile(src, join(dir, 'a2-u.wav'), 'ulaw');
  const snr = snrDb(alawDecode(alawEncode(speech)), decodeWav(readFileSync(join(dir, 'a2-u.wav'))).samples);
  assert.ok(snr > 30, `SNR ${snr.toFixed(1)} dB`);
});

test('A-law to IMA ADPCM: header fields, fact = source samples, SNR above 16 dB on speech and 20 dB on line audio, and back to PCM', async () => {
  for (const [name, audio, minSnr] of [['speech', speech, 16], ['line', lineAudio(9.9, 5), 20]] as const) {
    const src = join(dir, `${name}.wav`);
    writeRecorderWav(src, 'alaw', audio);
    const dst = join(dir, `${name}.adpcm.wav`);
    const r = await transcodeFile(src, dst, 'ima-adpcm');
    const file = readFileSync(dst);
    const info = parseAnyWavHeader(file.subarray(0, 4096), file.length);
    assert.is(info.codec, 'ima-adpcm');
    assert.is(info.frames, audio.length);
    assert.is(info.blockAlign, 256);
    assert.is(file.length, 60 + Math.ceil(audio.length / 505) * 256);
    assert.is(r.sizeBytes, file.length);
    assert.is(r.durationMs, Math.round(audio.length / 8));
    assert.is(await probeDuration(dst), r.durationMs);
    const back = await samplesOf(dst);
    assert.is(back.length, audio.length);
    const snr = snrDb(alawDecode(alawEncode(audio)), back);
    assert.ok(snr > minSnr, `${name}: SNR ${snr.toFixed(1)} dB`);
    const pcm = join(dir, `${name}.adpcm.pcm.wav`);
    await transcodeFile(dst, pcm, 'pcm16');
    assert.equal(decodeWav(readFileSync(pcm)).samples, back);
  }
});

test('every WAV format: probed duration equals the sample count and the source duration', async () => {
  const audio = lineAudio(3.21, 9);
  const src = join(dir, 'dur.wav');
  writeRecorderWav(src, 'alaw', audio);
  for (const f of ['alaw', 'ulaw', 'pcm16', 'ima-adpcm'] as const) {
    const dst = join(dir, `dur.${f}.wav`);
    const r = await transcodeFile(src, dst, f);
    assert.is(r.durationMs, 3210, f);
    assert.is(await probeDuration(dst), 3210, f);
    assert.is(statSync(dst).size, r.sizeBytes);
  }
});

test('an empty recording transcodes to an empty file of each WAV format', async () => {
  const src = join(dir, 'empty.wav');
  writeFileSync(src, wavHeader('alaw', 8000, 0));
  for (const f of ['alaw', 'pcm16', 'ima-adpcm'] as const) {
    const r = await transcodeFile(src, join(dir, `empty.${f}.wav`), f);
    assert.is(r.durationMs, 0);
    assert.is(await probeDuration(join(dir, `empty.${f}.wav`)), 0);
  }
});

const whole = recorderWav('alaw', lineAudio(2, 4));
const badSources: Array<[string, Buffer, RegExp, TranscodeError['code']]> = [
  ['truncated (header declares more audio than the file holds)', whole.subarray(0, whole.length - 1000), /truncated/, 'SOURCE_TRUNCATED'],
  ['garbage', Buffer.from('this is not a recording at all, just some text in a file'), /not a RIFF\/WAVE/, 'SOURCE_INVALID'],
  ['cut inside the header', whole.subarray(0, 30), /no data chunk/, 'SOURCE_INVALID'],
  ['header never finalised', Buffer.concat([wavHeader('alaw', 8000, 0), whole.subarray(46)]), /never finalised/, 'SOURCE_INVALID'],
  ['unsupported format tag', (() => { const b = Buffer.from(whole); b.writeUInt16LE(85, 20); return b; })(), /format tag 85/, 'SOURCE_INVALID'],
  ['stereo', (() => { const b = Buffer.from(whole); b.writeUInt16LE(2, 22); return b; })(), /2 channels/, 'SOURCE_INVALID'],
];

for (const [name, bytes, message, code] of badSources) {
  test(`${name}: every format rejects with a clear error and leaves no destination file`, async () => {
    const src = join(dir, 'bad.wav');
    writeFileSync(src, bytes);
    for (const f of ARCHIVE_FORMATS) {
      for (const mp3Encoder of f === 'mp3' ? (['lame', 'js'] as const) : (['auto'] as const)) {
        const dst = join(dir, `bad-out.${f}.${mp3Encoder}`);
        try {
          await transcodeFile(src, dst, f, { mp3Encoder });
          assert.unreachable(`${f} accepted ${name}`);
        } catch (e) {
          assert.instance(e, TranscodeError, String(e));
          assert.is((e as TranscodeError).code, code);
          assert.match((e as Error).message, message);
          assert.ok((e as Error).message.includes(src), 'the message names the file');
        }
        assert.not.ok(existsSync(dst), `${f}/${mp3Encoder} left ${dst}`);
      }
    }
  });
}

test('a damaged IMA ADPCM block is refused and the half-written destination removed', async () => {
  const src = join(dir, 'adpcm-src.wav');
  writeRecorderWav(src, 'alaw', lineAudio(5, 2));
  const adpcm = join(dir, 'adpcm-damaged.wav');
  await transcodeFile(src, adpcm, 'ima-adpcm');
  const b = readFileSync(adpcm);
  b[60 + 256 * 50 + 2] = 200; // step index of block 50 (of 80)
  writeFileSync(adpcm, b);
  for (const f of ['pcm16', 'mp3'] as const) {
    const dst = join(dir, `from-damaged.${f}`);
    try {
      await transcodeFile(adpcm, dst, f, { mp3Encoder: 'js' });
      assert.unreachable('damaged block accepted');
    } catch (e) {
      assert.match((e as Error).message, /ADPCM block at data byte 12800: .*step index 200/);
    }
    assert.not.ok(existsSync(dst), `${f} left ${dst}`);
  }
});

test.run();
