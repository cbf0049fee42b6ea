import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Mp3Encoder } from '@breezystack/lamejs';
import { alawDecode, alawEncode } from '../../firmware/dsp/g711.ts';
import { transcodeFile } from '../../firmware/audio/transcode.ts';
import { findLame } from '../../firmware/audio/mp3-lame.ts';
import { durationMatches, parseMp3FrameHeader, probeDuration } from '../../firmware/audio/probe-duration.ts';
import { decodeWav } from '../../firmware/audio/wav.ts';
import { PROJECT_ROOT } from '../dsp/vectors.ts';
import { bestCorrelation, lineAudio, realSpeech, tempDir, writeRecorderWav } from './audio-fixtures.ts';

const dir = tempDir();
const speech = realSpeech(15.5, 120);
const src = join(dir, 'speech.wav');
writeRecorderWav(src, 'alaw', speech);
const heard = alawDecode(alawEncode(speech));

/** Every frame of the file: MPEG-2.5 Layer III, 8 kHz, mono, at `kbps` (the first may be a LAME tag frame). */
function frameHeaders(file: string): Array<{ kbpsByte: number; bytes: number }> {
  const b = readFileSync(file);
  const out: Array<{ kbpsByte: number; bytes: number }> = [];
  for (let o = 0; o < b.length; ) {
    const h = parseMp3FrameHeader(b, o);
    assert.ok(h, `frame header at byte ${o} of ${b.length}`);
    assert.is(b[o + 1]! & 0xfe, 0xe2, 'MPEG-2.5 Layer III');
    assert.is(h!.sampleRate, 8000);
    assert.is(b[o + 3]! >> 6, 3, 'mono');
    out.push({ kbpsByte: b[o + 2]! >> 4, bytes: h!.bytes });
    o += h!.bytes;
  }
  return out;
}

function lameDecode(mp3: string): Int16Array {
  const wav = `${mp3}.decoded.wav`;
  execFileSync('lame', ['--quiet', '--decode', mp3, wav]);
  return decodeWav(readFileSync(wav)).samples;
}

test('lame is installed (apt-get install lame; the Makefile installs it for CI)', async () => {
  assert.ok(await findLame(), 'lame is not on PATH');
});

for (const mp3Encoder of ['lame', 'js'] as const) {
  test(`${mp3Encoder}: 16 kbit/s CBR frames throughout, duration within tolerance, decodes to the speech (correlation > 0.8)`, async () => {
    const dst = join(dir, `speech.${mp3Encoder}.mp3`);
    const r = await transcodeFile(src, dst, 'mp3', { mp3Encoder });
    assert.is(r.durationMs, 15500);
    const frames = frameHeaders(dst);
    assert.ok(frames.every((f) => f.kbpsByte === 2 && f.bytes === 144), '16 kbit/s, 144-byte frames');
    assert.is(r.sizeBytes, frames.length * 144);
    const probed = await probeDuration(dst);
    assert.is(probed, Math.round((frames.length * 576) / 8));
    assert.ok(probed >= 15500 && durationMatches(r.durationMs, probed, 'mp3'), `probed ${probed} ms`);
    const decoded = lameDecode(dst);
    const { r: corr, lag } = bestCorrelation(heard, decoded, 1200);
    assert.ok(corr > 0.8, `correlation ${corr.toFixed(3)} at lag ${lag}`);
  });
}

test('lame and the built-in encoder give files of the same length and both track the speech', async () => {
  const a = readFileSync(join(dir, 'speech.lame.mp3'));
  const b = readFileSync(join(dir, 'speech.js.mp3'));
  assert.is(a.length, b.length);
});

test('at 24 kbit/s lame writes a LAME tag: the probe removes delay and padding and the duration is exact', async () => {
  const dst = join(dir, 'speech24.mp3');
  const r = await transcodeFile(src, dst, 'mp3', { mp3Encoder: 'lame', mp3Kbps: 24 });
  const b = readFileSync(dst);
  assert.is(b.toString('latin1', 13, 17), 'Info');
  const probed = await probeDuration(dst);
  assert.ok(Math.abs(probed - r.durationMs) <= 1, `probed ${probed} ms for ${r.durationMs} ms`);
  assert.ok(durationMatches(r.durationMs, probed, 'mp3'));
  const { r: corr } = bestCorrelation(heard, lameDecode(dst), 1200);
  assert.ok(corr > 0.8, `correlation ${corr.toFixed(3)}`);
});

test('frame-count duration exceeds the source by 0 to 3 frames (never less) for every length modulo a frame', () => {
  for (const extra of [0, 1, 100, 287, 288, 400, 575]) {
    const samples = lineAudio(2, extra).subarray(0, 576 * 27 + extra);
    const enc = new Mp3Encoder(1, 8000, 16);
    const bytes = enc.encodeBuffer(samples).length + enc.flush().length;
    const excess = (bytes / 144) * 576 - samples.length;
    assert.ok(excess >= 0 && excess < 3 * 576, `${samples.length} samples: ${excess} samples more`);
    const ms = (n: number) => Math.round(n / 8);
    assert.ok(durationMatches(ms(samples.length), ms(samples.length + excess), 'mp3'));
  }
});

test('durationMatches: WAV formats within 1 ms; MP3 never shorter, at most 3 frames (216 ms at 8 kHz) longer', () => {
  for (const f of ['alaw', 'ulaw', 'pcm16', 'ima-adpcm'] as const) {
    assert.ok(durationMatches(60000, 60001, f));
    assert.not.ok(durationMatches(60000, 59998, f));
    assert.not.ok(durationMatches(60000, 60072, f));
  }
  assert.ok(durationMatches(60000, 60000, 'mp3'));
  assert.ok(durationMatches(60000, 60216, 'mp3'));
  assert.not.ok(durationMatches(60000, 60218, 'mp3'));
  assert.not.ok(durationMatches(60000, 59928, 'mp3'), 'one frame lost');
  assert.ok(durationMatches(60000, 60072, 'mp3', 44100));
});

test('probe refuses a file that is neither WAV nor MPEG audio, and stops at a cut-off last frame', async () => {
  const junk = join(dir, 'junk.mp3');
  writeFileSync(junk, Buffer.from('definitely not audio'.repeat(20)));
  await probeDuration(junk).then(
    () => assert.unreachable('probed junk'),
    (e: Error) => assert.match(e.message, /no frame header at byte 0/),
  );
  const full = readFileSync(join(dir, 'speech.js.mp3'));
  const cut = join(dir, 'cut.mp3');
  writeFileSync(cut, full.subarray(0, full.length - 100));
  assert.is(await probeDuration(cut), await probeDuration(join(dir, 'speech.js.mp3')) - 72);
});

test('the built-in encoder runs in a worker: the event loop keeps ticking while a minute of audio is encoded', async () => {
  const long = join(dir, 'minute.wav');
  writeRecorderWav(long, 'alaw', lineAudio(60, 11));
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  await transcodeFile(long, join(dir, 'minute.mp3'), 'mp3', { mp3Encoder: 'js' });
  const took = performance.now() - t0;
  clearInterval(timer);
  // Encoding on the event loop would hold it for most of the encode; a worker leaves only the
  // scheduler's and the collector's pauses, a small share of it even on a busy machine.
  assert.ok(worst < took * 0.4, `event loop held for ${worst.toFixed(0)} ms of ${took.toFixed(0)} ms`);
});

test('single-file esbuild bundle: the worker starts from the bundle and the daemon body runs once', () => {
  const bundle = join(dir, 'bundle', 'daemon.mjs');
  execFileSync(join(PROJECT_ROOT, 'node_modules/.bin/esbuild'), [
    join(PROJECT_ROOT, 'test/audio/fixtures/bundled-daemon.ts'), '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=error',
  ]);
  const dst = join(dir, 'bundled.mp3');
  const out = execFileSync(process.execPath, [bundle, src, dst], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const lines = out.trim().split('\n');
  assert.equal(lines, ['daemon body ran', JSON.stringify({ durationMs: 15500, sizeBytes: readFileSync(dst).length })]);
  assert.equal(readFileSync(dst), readFileSync(join(dir, 'speech.js.mp3')));
});

test.run();
