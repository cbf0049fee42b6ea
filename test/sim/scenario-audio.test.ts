import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeWav, encodePcmWav } from '../../firmware/audio/wav.ts';
import { alawDecode, alawEncode } from '../../firmware/dsp/g711.ts';
import type { AudioMessage, LineStatusMessage } from '../../firmware/linecard/messages.ts';
import { loadScenario, scenarioSources } from '../../firmware/sim/scenario.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { cardRig } from './helpers.ts';
import { tempDir } from '../support/temp-dir.ts';

const dir = tempDir('scenario-audio-');
const speech = speechLike(3, 7);
writeFileSync(path.join(dir, 'line2.wav'), encodePcmWav(speech));
writeFileSync(
  path.join(dir, 'scenario.json'),
  JSON.stringify({
    lines: [
      { channel: 2, audio: 'line2.wav', timeline: [{ t: 0, state: 'onhook' }, { t: 1.23, state: 'ringing' }, { t: 2.51, state: 'offhook' }] },
    ],
  }),
);

test("the scenario's audio comes out of the card, sample for sample through A-law", async () => {
  const scenario = await loadScenario(path.join(dir, 'scenario.json'), 4);
  const rig = cardRig({ channelCount: 4, sources: scenarioSources(scenario, 4) });
  rig.card.start();
  rig.clock.advance(4000);
  const frames = rig.messages.filter((m): m is AudioMessage => m.type === 'audio' && m.channel === 2);
  assert.is(frames.length, 200);
  const received = alawDecode(Buffer.concat(frames.map((f) => f.samples)));
  const wav = decodeWav(encodePcmWav(speech)).samples;
  const expected = alawDecode(alawEncode(wav));
  assert.equal(Array.from(received.subarray(0, expected.length)), Array.from(expected));
  assert.ok(received.subarray(expected.length).every((s) => Math.abs(s) <= 8), 'silence after the file ends');
});

test("the scenario's timeline drives the line status", async () => {
  const scenario = await loadScenario(path.join(dir, 'scenario.json'), 4);
  const rig = cardRig({ channelCount: 4, sources: scenarioSources(scenario, 4) });
  rig.card.start();
  rig.clock.advance(3000);
  const ch2 = rig.messages
    .filter((m): m is LineStatusMessage => m.type === 'lineStatus' && m.entries.length === 1)
    .map((m) => ({ ...m.entries[0]!, voltage: Math.round(m.entries[0]!.voltage) }));
  assert.equal(ch2, [
    { channel: 2, voltage: 48, ringing: true },
    { channel: 2, voltage: 48, ringing: false },
    { channel: 2, voltage: 8, ringing: false },
  ]);
});

test.run();
