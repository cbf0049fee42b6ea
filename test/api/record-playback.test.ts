/**
 * Playing recordings in a browser over real HTTP: a sealed A-law recording
 * and a two-party stereo one come out as 16-bit PCM WAV with exactly the
 * samples of the stored file; byte ranges (start, middle, suffix) are the
 * same bytes as the whole file's, a range past the end is a 416; the
 * waveform matches one computed here; bad ids, ranges and points are clear.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeWav, parseWavHeader } from '../../firmware/audio/wav.ts';
import { ENTRY_E1, startMediaBox } from '../support/media-box.ts';
import type { SimBox } from '../support/sim-box.ts';
import { authedFetch } from '../support/api-client.ts';
import type { RecordEntry } from '../../firmware/recording/record-entry.ts';

let box: SimBox;
let mono: RecordEntry;
let stereo: RecordEntry;

const url = (p: string) => `http://127.0.0.1:${box.port}/api/v1${p}`;
async function get(p: string, headers: Record<string, string> = {}) {
  const res = await authedFetch(url(p), { headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) };
}

test.before(async () => {
  const started = await startMediaBox([
    { agoS: 600, seconds: 4 },
    { agoS: 300, seconds: 3, legs: 2, ref: ENTRY_E1, lineNumber: '62001000', incoming: true },
  ]);
  box = started.box;
  [mono, stereo] = started.entries as [RecordEntry, RecordEntry];
});

test.after(async () => {
  await box.stop();
});

test('an A-law recording plays as 16-bit PCM WAV with the stored samples', async () => {
  assert.ok(mono.sealed, 'stored sealed');
  const stored = decodeWav((await get(`/records/${mono.id}/audio`)).body);
  assert.is(stored.info.codec, 'alaw');
  const played = await get(`/records/${mono.id}/play`);
  assert.is(played.status, 200);
  assert.is(played.headers.get('content-type'), 'audio/wav');
  assert.is(played.headers.get('accept-ranges'), 'bytes');
  assert.is(Number(played.headers.get('content-length')), played.body.length);
  const wav = decodeWav(played.body);
  assert.is(wav.info.codec, 'pcm16');
  assert.is(wav.info.channels, 1);
  assert.is(wav.sampleRate, 8000);
  assert.is(wav.samples.length, 4 * 8000);
  assert.equal(wav.samples, stored.samples);
  assert.is(played.body.length, 44 + 4 * 8000 * 2);
});

test('a two-party recording plays as stereo PCM, one party per channel', async () => {
  assert.ok(stereo.stereo);
  const stored = decodeWav((await get(`/records/${stereo.id}/audio`)).body);
  const played = await get(`/records/${stereo.id}/play`);
  const wav = decodeWav(played.body);
  assert.is(wav.info.channels, 2);
  assert.equal(wav.channels[0], stored.channels[0]);
  assert.equal(wav.channels[1], stored.channels[1]);
  assert.ok(wav.channels[0]!.some((v, i) => v !== wav.channels[1]![i]), 'the parties differ');
});

test('byte ranges of the played file are the bytes of the whole', async () => {
  for (const rec of [mono, stereo]) {
    const whole = (await get(`/records/${rec.id}/play`)).body;
    const size = whole.length;
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=20-60', 20, 60],
      ['bytes=1001-7002', 1001, 7002],
      ['bytes=3-', 3, size - 1],
      ['bytes=-501', size - 501, size - 1],
      [`bytes=${size - 1}-${size + 1000}`, size - 1, size - 1],
    ];
    for (const [header, start, end] of cases) {
      const part = await get(`/records/${rec.id}/play`, { range: header });
      assert.is(part.status, 206, header);
      assert.is(part.headers.get('content-range'), `bytes ${start}-${end}/${size}`, header);
      assert.equal(part.body, whole.subarray(start, end + 1), header);
    }
    const beyond = await get(`/records/${rec.id}/play`, { range: `bytes=${size}-` });
    assert.is(beyond.status, 416);
    assert.is(beyond.headers.get('content-range'), `bytes */${size}`);
    assert.is((await get(`/records/${rec.id}/play`, { range: 'bytes=5-2' })).status, 416);
    assert.is((await get(`/records/${rec.id}/play`, { range: 'pages=1-2' })).status, 416);
  }
  // The header alone says the length of the whole.
  const head = (await get(`/records/${mono.id}/play`, { range: 'bytes=0-43' })).body;
  assert.is(parseWavHeader(head, 44 + 4 * 8000 * 2).dataBytes, 4 * 8000 * 2);
});

function referencePeaks(channels: Int16Array[], points: number) {
  const frames = channels[0]!.length;
  return channels.map((ch) => {
    const min = new Array<number>(points).fill(32767);
    const max = new Array<number>(points).fill(-32768);
    for (let i = 0; i < frames; i++) {
      const s = Math.floor((i * points) / frames);
      min[s] = Math.min(min[s]!, ch[i]!);
      max[s] = Math.max(max[s]!, ch[i]!);
    }
    return { min, max };
  });
}

test('the waveform is the lowest and highest sample of each span, per party', async () => {
  for (const [rec, points] of [[mono, 1000], [stereo, 333]] as const) {
    const stored = decodeWav((await get(`/records/${rec.id}/audio`)).body);
    const res = await get(`/records/${rec.id}/peaks?points=${points}`);
    assert.is(res.status, 200);
    const peaks = res.json();
    assert.is(peaks.sampleRate, 8000);
    assert.is(peaks.durationMs, Math.round((stored.samples.length * 1000) / 8000));
    assert.equal(peaks.lanes, referencePeaks(stored.channels, points));
  }
  const dflt = (await get(`/records/${mono.id}/peaks`)).json();
  assert.is(dflt.lanes[0].min.length, 1000);
  const huge = await get(`/records/${mono.id}/peaks?points=100000000`);
  assert.is(huge.status, 200, 'clamped, not refused');
  assert.is(huge.json().lanes[0].min.length, 10_000);
  assert.is((await get(`/records/${mono.id}/peaks?points=abc`)).status, 400);
  assert.is((await get(`/records/${mono.id}/peaks?points=0`)).status, 400);
});

test('unknown recordings are 404; a file gone from the disk is a clear error', async () => {
  for (const p of ['/records/1763706000123-07-1/play', '/records/1763706000123-07-1/peaks', '/records/nope/download']) {
    const res = await get(p);
    assert.is(res.status, 404, p);
    assert.is(res.json().error.code, 'RECORD_NOT_FOUND');
  }
});

test.run();
