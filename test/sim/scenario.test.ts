import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { encodePcmWav, wavHeader } from '../../firmware/audio/wav.ts';
import { RecorderError } from '../../firmware/errors.ts';
import { loadScenario, parseScenario, scenarioSources } from '../../firmware/sim/scenario.ts';
import { tempDir } from '../support/temp-dir.ts';

const dir = tempDir('scenario-test-');
writeFileSync(path.join(dir, 'line0.wav'), encodePcmWav(Int16Array.from({ length: 800 }, (_, i) => i)));
writeFileSync(path.join(dir, 'wide.wav'), encodePcmWav(new Int16Array(1600), 16000));
writeFileSync(path.join(dir, 'alaw.wav'), Buffer.concat([wavHeader('alaw', 8000, 8), Buffer.alloc(8, 0xd5)]));

function write(name: string, json: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
}

const good = {
  board: 'rds',
  lines: [
    {
      channel: 0,
      audio: 'line0.wav',
      timeline: [
        { t: 0, state: 'onhook' },
        { t: 2, state: 'ringing' },
        { t: 3, state: 'onhook' },
        { t: 7.5, state: 'offhook' },
      ],
    },
  ],
};

async function rejects(json: unknown, channelCount = 8): Promise<string> {
  const file = write(`s${Math.random().toString(36).slice(2)}.json`, json);
  try {
    await loadScenario(file, channelCount);
  } catch (e) {
    assert.instance(e, RecorderError);
    assert.is((e as RecorderError).code, 'SCENARIO_INVALID');
    const message = (e as Error).message;
    assert.ok(message.startsWith(`scenario ${file}: `), message);
    return message.slice(`scenario ${file}: `.length);
  }
  throw new Error('scenario was accepted');
}

const withLine = (patch: object) => ({ lines: [{ ...good.lines[0], ...patch }] });

test('a valid scenario loads with its timeline in ms and its audio decoded', async () => {
  const s = await loadScenario(write('good.json', good), 8);
  assert.is(s.board, 'rds');
  assert.is(s.durationS, null);
  const line = s.lines[0]!;
  assert.equal(line.timeline.map((e) => e.tMs), [0, 2000, 3000, 7500]);
  assert.equal(line.cadence, { onMs: 1000, offMs: 4000 });
  assert.is(line.audio!.length, 800);
  assert.is(line.audioFile, path.join(dir, 'line0.wav'));
  const sources = scenarioSources(s, 8);
  assert.is(sources.length, 8);
  assert.equal(sources[0]!.stateAt(2500), { state: 'ringing', sinceMs: 500 });
  assert.equal(sources[5]!.stateAt(2500).state, 'onhook');
});

test('an unknown state names the file and the timeline entry', async () => {
  const detail = await rejects(withLine({ timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'ring' }] }));
  assert.match(detail, /^lines\.0\.timeline\.1\.state: /);
});

test('a t that does not ascend names the entry', async () => {
  const detail = await rejects(withLine({ timeline: [{ t: 0, state: 'onhook' }, { t: 5, state: 'ringing' }, { t: 5, state: 'offhook' }] }));
  assert.match(detail, /^lines\.0\.timeline\.2\.t: must be greater than the previous entry's t \(5\)/);
});

test('a channel beyond the board is out of range', async () => {
  const detail = await rejects(withLine({ channel: 8 }), 8);
  assert.match(detail, /^lines\.0\.channel: channel 8 is out of range \(the board has 8 channels/);
});

test('a channel listed twice is a duplicate', async () => {
  const detail = await rejects({ lines: [good.lines[0], { channel: 0, timeline: [{ t: 0, state: 'offhook' }] }] });
  assert.match(detail, /^lines\.1\.channel: duplicate channel 0 \(also lines\.0\.channel\)/);
});

test('a missing audio file names the field and the path', async () => {
  const detail = await rejects(withLine({ audio: 'nope.wav' }));
  assert.match(detail, /^lines\.0\.audio: cannot read .*nope\.wav \(ENOENT\)/);
});

test('audio that is not 8 kHz mono 16-bit PCM is refused', async () => {
  assert.match(await rejects(withLine({ audio: 'wide.wav' })), /^lines\.0\.audio: .*wide\.wav is pcm16 16000 Hz/);
  assert.match(await rejects(withLine({ audio: 'alaw.wav' })), /^lines\.0\.audio: .*alaw\.wav is alaw 8000 Hz/);
  writeFileSync(path.join(dir, 'junk.wav'), 'not a wav');
  assert.match(await rejects(withLine({ audio: 'junk.wav' })), /^lines\.0\.audio: .*junk\.wav is not a readable WAV file/);
});

test('unknown keys, bad JSON and an unreadable file are reported', async () => {
  assert.match(await rejects({ ...good, extra: 1 }), /^\(root\): Unrecognized key/);
  assert.match(await rejects('{"lines": ['), /^not valid JSON/);
  const missing = path.join(dir, 'missing.json');
  await loadScenario(missing, 8).then(
    () => assert.unreachable('loaded'),
    (e: Error) => assert.is(e.message, `scenario ${missing}: cannot be read (ENOENT)`),
  );
});

test('parseScenario takes parsed JSON and a custom ring cadence', () => {
  const s = parseScenario({ durationS: 30, lines: [{ channel: 1, ring: { onMs: 400, offMs: 200 }, timeline: [{ t: 1, state: 'ringing' }] }] }, dir, 2, 'inline');
  assert.is(s.durationS, 30);
  assert.equal(s.lines[0]!.cadence, { onMs: 400, offMs: 200 });
  assert.equal(s.lines[0]!.audio, null);
  assert.throws(() => parseScenario({ lines: [{ channel: 2, timeline: [{ t: 0, state: 'onhook' }] }] }, dir, 2, 'inline'), /^scenario inline: lines\.0\.channel/);
});

test.run();
