/**
 * What an interface sees live: the events of a call arrive in order (state,
 * recording started, numbers updated, stopped, indexed), level events flow
 * while someone listens, and the audio tap delivers a channel's audio even
 * with no file open.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { concat, dtmfDigits, silence, speechLike } from '../../firmware/sim/signals.ts';
import { encodePcmWav } from '../../firmware/audio/wav.ts';
import { loadScenario, scenarioSources } from '../../firmware/sim/scenario.ts';
import { analogRef } from '../../firmware/ports/channel-ref.ts';
import type { BoxEvent } from '../../firmware/events/box-events.ts';
import type { AudioBlock } from '../../firmware/events/audio-tap.ts';
import { startSimBox, T0, type SimBox } from '../support/sim-box.ts';
import { locate } from '../support/audio-match.ts';
import { tempDir } from '../support/temp-dir.ts';

const S = 8000;
const TOTAL_S = 16;
const dialled = concat(silence(1000), dtmfDigits('13912345678'), silence(500), speechLike(8, 7));
const monitored = speechLike(12, 8);

let box: SimBox;
const events: BoxEvent[] = [];
const blocks: AudioBlock[] = [];
let maxRecordingOnMonitored = false;

test.before(async () => {
  const dir = tempDir('live-');
  const line = (a: Int16Array) => {
    const out = new Int16Array(TOTAL_S * S);
    out.set(a.subarray(0, out.length - S), S);
    return out;
  };
  fs.writeFileSync(path.join(dir, 'line0.wav'), encodePcmWav(line(dialled)));
  fs.writeFileSync(path.join(dir, 'line1.wav'), encodePcmWav(line(monitored)));
  const scenario = {
    board: 'sim',
    lines: [
      { channel: 0, audio: 'line0.wav', timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 13, state: 'onhook' }] },
      { channel: 1, audio: 'line1.wav', timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 15, state: 'onhook' }] },
    ],
  };
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify(scenario));
  const loaded = await loadScenario(path.join(dir, 'scenario.json'), 8);
  // Line 1's recording switch is off: it is monitored, never recorded.
  box = await startSimBox({ sources: scenarioSources(loaded, 8), config: { channels: { '1': { recordingEnabled: false } } } });
  const sub = box.services.events.subscribe({ ref: analogRef(0) }, 10_000);
  const listener = box.services.audio.listen(analogRef(1), 10_000);
  for (let t = 0; t < TOTAL_S * 1000; t += 500) {
    await box.run(500);
    events.push(...sub.drain());
    blocks.push(...listener.drain());
    if (box.services.channels.get(analogRef(1)).recording) maxRecordingOnMonitored = true;
  }
  await box.run(500);
  events.push(...sub.drain());
  sub.close();
  listener.close();
});

test.after(async () => {
  await box?.stop();
});

test('a call publishes state, recording started, numbers updated, stopped and indexed, in that order', () => {
  const kinds = events.filter((e) => e.type !== 'channel.level').map((e) => (e.type === 'channel.state' ? `state:${e.state}` : e.type));
  const first = (k: string) => kinds.indexOf(k);
  assert.ok(first('state:outgoing') >= 0, kinds.join(' '));
  assert.ok(first('state:outgoing') < first('recording.started'), kinds.join(' '));
  assert.ok(first('recording.started') < first('recording.updated'));
  assert.ok(first('recording.updated') < first('recording.stopped'));
  assert.ok(first('recording.stopped') < first('recording.indexed'));
  assert.ok(kinds.lastIndexOf('state:idle') > first('recording.started'), 'back to idle after the call');
  const updates = events.filter((e) => e.type === 'recording.updated');
  assert.is(updates.at(-1)!.type === 'recording.updated' && updates.at(-1)!.remoteNumber, '13912345678');
  const started = events.find((e) => e.type === 'recording.started')!;
  const indexed = events.find((e) => e.type === 'recording.indexed')!;
  assert.ok(started.type === 'recording.started' && indexed.type === 'recording.indexed');
  if (started.type === 'recording.started' && indexed.type === 'recording.indexed') {
    assert.is(indexed.id, started.id);
    assert.is(indexed.record.remoteNumber, '13912345678');
    assert.is(indexed.record.callType, 'outgoing');
    assert.equal(indexed.ref, analogRef(0));
  }
  for (const e of events) if ('ref' in e) assert.equal(e.ref, analogRef(0), 'only channel 0, as subscribed');
});

test('level events come a few times a second while subscribed', () => {
  const levels = events.filter((e) => e.type === 'channel.level');
  assert.ok(levels.length >= TOTAL_S * 2 && levels.length <= TOTAL_S * 5, `${levels.length} level events in ${TOTAL_S} s`);
  const speaking = levels.filter((e) => e.type === 'channel.level' && e.at > T0 + 4000 && e.at < T0 + 11000);
  assert.ok(speaking.some((e) => e.type === 'channel.level' && e.level > 500), 'the level rises while someone speaks');
});

test('the audio tap delivers a channel\'s audio with no file open, matching the line', () => {
  assert.not.ok(maxRecordingOnMonitored, 'line 1 never recorded');
  assert.ok(blocks.length >= (TOTAL_S - 1) * 50, `${blocks.length} blocks`);
  for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i]!.at > blocks[i - 1]!.at, 'blocks in time order');
  const heard = new Int16Array(blocks.reduce((n, b) => n + b.samples.length, 0));
  let o = 0;
  for (const b of blocks) {
    heard.set(b.samples, o);
    o += b.samples.length;
  }
  const reference = new Int16Array(TOTAL_S * S);
  reference.set(monitored.subarray(0, reference.length - S), S);
  // Two seconds of what was heard from the middle of the call, found in what the line carried.
  const start = 6 * S;
  const at = Math.round((blocks[Math.floor(start / 160)]!.at - T0) / 1000 * S);
  const hit = locate(heard, start, 2 * S, reference, at - 800, at + 800);
  assert.ok(hit.correlation > 0.95, `correlation ${hit.correlation}`);
});

test.run();
