/**
 * Control modes end to end: the daemon, configured per channel, records the
 * simulated lines by sound, by polarity, by ring, and on demand through the API.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimelineSource, type TimelineEntry } from '../../firmware/sim/line-model.ts';
import { callerIdFsk, speechLike } from '../../firmware/sim/signals.ts';
import { startSimBox, T0 } from '../support/sim-box.ts';
import { authedFetch } from '../support/api-client.ts';

const S = 8000;
const line = (timeline: Array<[number, TimelineEntry['state']]>, audio: Array<[number, Int16Array]> = []) => {
  const pcm = new Int16Array(40 * S);
  for (const [at, sig] of audio) pcm.set(sig.subarray(0, pcm.length - at * S), at * S);
  return new TimelineSource(timeline.map(([t, state]) => ({ tMs: t * 1000, state })), pcm);
};

test('voice, polarity, ring and forced recording each open and close files as the manual describes', async () => {
  const box = await startSimBox({
    config: {
      recording: { minFileS: 1 },
      channels: {
        '0': { controlMode: 'voice', silenceMs: 2000 },
        '1': { controlMode: 'polarity' },
        '2': { controlMode: 'ring' },
        '3': { controlMode: 'dtmf' },
      },
    },
    sources: [
      // Sound on an on-hook line (a radio or intercom tapped by voice control).
      line([[0, 'onhook']], [[3, speechLike(6, 11)]]),
      // An outgoing call: dialling and ring-back with normal polarity, the answer reverses it.
      line([[0, 'onhook'], [1, 'offhook'], [6, 'reversed'], [16, 'offhook'], [18, 'onhook']], [[6, speechLike(10, 12)]]),
      // Rings with caller ID, never answered.
      line([[0, 'onhook'], [1, 'ringing'], [12, 'onhook']], [[2.5, callerIdFsk({ number: '01088889999' })]]),
      // A call on a code-controlled line: forced on through the API from 4 s to 10 s.
      line([[0, 'onhook'], [2, 'offhook'], [20, 'onhook']], [[2, speechLike(18, 13)]]),
    ],
  });
  try {
    await box.run(4_000);
    const put = (on: boolean) =>
      authedFetch(`http://127.0.0.1:${box.port}/api/v1/channels/3/forced-recording`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ on }),
      });
    const on = await put(true);
    assert.is(on.status, 200);
    const shown = (await on.json()) as Record<string, unknown>;
    assert.equal([shown.channel, shown.ref, shown.forcedRecording, shown.recording], [3, 'analog-0-3', true, true]);
    const ch = (await box.api('/api/v1/channels')).body.items[3];
    assert.equal([ch.recordingMode, ch.recordingModeLabel, ch.controlMode], ['forced', '手控录音', 'dtmf']);
    await box.run(6_000);
    assert.is((await put(false)).status, 200);
    await box.run(25_000);

    const records = (await box.api('/api/v1/records?limit=50')).body.items;
    const of = (ch: number) => records.filter((r: any) => r.channel === ch);
    const at = (r: any) => (Date.parse(r.startTime) - T0) / 1000;

    const [voice] = of(0);
    assert.equal([voice.startMode, voice.stopMode, voice.callType, voice.callTypeLabel], ['voice', 'silence', 'idle', '空闲']);
    assert.ok(Math.abs(at(voice) - 3) < 0.3, `voice recording started at ${at(voice)} s`);
    assert.ok(voice.durationS > 6.5 && voice.durationS < 9, `voice recording lasted ${voice.durationS} s (6 s of sound, 2 s silence duration)`);

    const [polarity] = of(1);
    assert.equal([polarity.startMode, polarity.stopMode, polarity.callType], ['polarity', 'polarity', 'outgoing']);
    assert.ok(Math.abs(at(polarity) - 6) < 0.4 && Math.abs(polarity.durationS - 10) < 0.6, `${at(polarity)} s, ${polarity.durationS} s`);

    const [ring] = of(2);
    assert.equal([ring.startMode, ring.stopMode, ring.callType, ring.remoteNumber], ['ring', 'ring-timeout', 'incoming-missed', '01088889999']);
    assert.ok(ring.audioUrl, 'the rings of a missed call are kept as audio');
    assert.ok(Math.abs(at(ring) - 1) < 0.3);

    const forced = of(3);
    assert.is(forced.length, 1, 'code control recorded nothing but the forced stretch');
    assert.equal([forced[0].startMode, forced[0].stopMode, forced[0].callType], ['forced', 'manual', 'outgoing']);
    assert.ok(Math.abs(forced[0].durationS - 6) < 0.3, `forced for ${forced[0].durationS} s`);

    const bad = await authedFetch(`http://127.0.0.1:${box.port}/api/v1/channels/3/forced-recording`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"on": "yes"}',
    });
    assert.is(bad.status, 400);
    assert.match(((await bad.json()) as any).error.message, 'on');
    assert.is((await authedFetch(`http://127.0.0.1:${box.port}/api/v1/channels/99/forced-recording`, { method: 'PUT' })).status, 404);
  } finally {
    await box.stop();
  }
});

test.run();
