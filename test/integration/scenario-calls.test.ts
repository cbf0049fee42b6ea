/**
 * The whole path from line-card bytes to indexed, playable recordings: the
 * daemon runs against the simulated card playing a scenario of calls on six
 * lines, and every index field and every file's audio is checked.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { callerIdFsk, concat, dtmfDigits, silence, speechLike, toneCadence } from '../../firmware/sim/signals.ts';
import { encodePcmWav, decodeWav } from '../../firmware/audio/wav.ts';
import { loadScenario, scenarioSources } from '../../firmware/sim/scenario.ts';
import { startSimBox, T0, type SimBox } from '../support/sim-box.ts';
import { locate } from '../support/audio-match.ts';
import { tempDir } from '../support/temp-dir.ts';

const S = 8000;
/** Audio of a line: pieces placed at given seconds, silence elsewhere. */
function lineAudio(totalS: number, pieces: Array<[number, Int16Array]>): Int16Array {
  const out = new Int16Array(totalS * S);
  for (const [at, sig] of pieces) out.set(sig.subarray(0, Math.max(0, out.length - at * S)), Math.round(at * S));
  return out;
}

const TOTAL_S = 34;
const audio = {
  0: lineAudio(TOTAL_S, [[2.5, callerIdFsk({ number: '13800138000', name: 'ZHANG SAN', datetime: '11200900' })], [8.5, speechLike(11.5, 1)]]),
  1: lineAudio(TOTAL_S, [[2.5, callerIdFsk({ number: '02168885555' }, { standard: 'v23' })]]),
  2: lineAudio(TOTAL_S, [[2, dtmfDigits('13912345678')], [4.5, speechLike(12.5, 2)]]),
  3: lineAudio(TOTAL_S, [[7, speechLike(11, 3)]]),
  4: lineAudio(TOTAL_S, [[1.5, concat(dtmfDigits('95588'), silence(500), speechLike(15, 4))]]),
  5: lineAudio(TOTAL_S, [[1, speechLike(2, 5)]]),
  6: lineAudio(TOTAL_S, [[1.5, dtmfDigits('114')], [3, speechLike(7, 6)], [10, toneCadence([450], 350, 350, 8, -10)]]),
};

const timelines = {
  0: [{ t: 0, state: 'onhook' }, { t: 1, state: 'ringing' }, { t: 8.5, state: 'offhook' }, { t: 20, state: 'onhook' }],
  1: [{ t: 0, state: 'onhook' }, { t: 1, state: 'ringing' }, { t: 12.5, state: 'onhook' }],
  2: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 17, state: 'onhook' }],
  3: [{ t: 0, state: 'onhook' }, { t: 1, state: 'ringing' }, { t: 7, state: 'offhook' }, { t: 18, state: 'disconnected' }],
  4: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 6, state: 'reversed' }, { t: 19, state: 'onhook' }],
  5: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 3, state: 'onhook' }],
  6: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }, { t: 18, state: 'onhook' }],
};

let box: SimBox;
let records: any[];

test.before(async () => {
  const dir = tempDir('scenario-');
  const lines = Object.entries(timelines).map(([ch, timeline]) => {
    fs.writeFileSync(path.join(dir, `line${ch}.wav`), encodePcmWav(audio[Number(ch) as keyof typeof audio]));
    return { channel: Number(ch), audio: `line${ch}.wav`, timeline };
  });
  fs.writeFileSync(path.join(dir, 'scenario.json'), JSON.stringify({ board: 'sim', lines }));
  const scenario = await loadScenario(path.join(dir, 'scenario.json'), 8);
  box = await startSimBox({ sources: scenarioSources(scenario, 8) });
  await box.run(TOTAL_S * 1000);
  const res = await box.api('/api/v1/records?limit=50');
  assert.is(res.status, 200);
  records = res.body.items;
});

test.after(async () => {
  await box?.stop();
});

const byChannel = (ch: number) => records.filter((r) => r.channel === ch);
const near = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} not within ${tolerance} of ${expected}`);
const secondsAfterT0 = (iso: string) => (Date.parse(iso) - T0) / 1000;

test('six calls are indexed, the too-short one is not, newest first', () => {
  assert.is(records.length, 6);
  assert.equal(byChannel(5), []);
  const times = records.map((r) => Date.parse(r.startTime));
  assert.equal(times, [...times].sort((a, b) => b - a));
});

test('incoming call with Bell 202 caller ID: every index field', () => {
  const [r] = byChannel(0);
  assert.ok(r);
  assert.is(r.portType, 'analog');
  assert.is(r.lineNumber, '8000');
  assert.is(r.remoteNumber, '13800138000');
  assert.is(r.callerName, 'ZHANG SAN');
  assert.is(r.callType, 'incoming-answered');
  near(secondsAfterT0(r.startTime), 8.5, 0.3, 'start');
  near(r.durationS, 11.5, 0.7, 'duration');
  assert.is(r.startMode, 'voltage');
  assert.is(r.stopMode, 'hangup');
  assert.is(r.level, 'normal');
  assert.is(r.codec, 'alaw');
  assert.is(r.part, 1);
  assert.match(r.file, /^recordings\/2026\/11\/\d\d\/ch00\/.+\.wav$/);
  assert.is(r.sizeBytes, fs.statSync(path.join(box.dataDir, r.file)).size);
});

test('unanswered rings are a missed call with the V.23 caller number and no audio', async () => {
  const [r] = byChannel(1);
  assert.ok(r);
  assert.is(r.callType, 'incoming-missed');
  assert.is(r.remoteNumber, '02168885555');
  near(secondsAfterT0(r.startTime), 1, 0.2, 'first ring');
  near(r.durationS, 11, 0.3, 'ringing time');
  assert.is(r.file, null);
  assert.is(r.audioUrl, null);
  const audioRes = await box.api(`/api/v1/records/${r.id}/audio`);
  assert.is(audioRes.status, 410);
  assert.is(audioRes.body.error.code, 'RECORD_FILE_MISSING');
});

test('outgoing call is numbered by its dialled digits and stops on hang-up', () => {
  const [r] = byChannel(2);
  assert.ok(r);
  assert.is(r.callType, 'outgoing');
  assert.is(r.remoteNumber, '13912345678');
  assert.is(r.lineNumber, '8002');
  near(secondsAfterT0(r.startTime), 1, 0.3, 'start');
  near(r.durationS, 16, 0.7, 'duration');
  assert.is(r.stopMode, 'hangup');
});

test('a call ended by the line going dead stops with disconnect', () => {
  const [r] = byChannel(3);
  assert.ok(r);
  assert.is(r.callType, 'incoming-answered');
  assert.is(r.remoteNumber, '');
  assert.is(r.stopMode, 'disconnect');
  near(r.durationS, 11, 0.7, 'duration');
});

test('reversed polarity mid-call does not split the recording', () => {
  const r = byChannel(4);
  assert.is(r.length, 1);
  assert.is(r[0].remoteNumber, '95588');
  near(r[0].durationS, 18, 0.7, 'duration');
});

test('when the far end hangs up, busy tone ends the recording before the handset is put down', () => {
  const [r] = byChannel(6);
  assert.ok(r);
  assert.is(r.remoteNumber, '114');
  assert.is(r.stopMode, 'busy-tone');
  assert.ok(r.durationS > 9 && r.durationS < 12.5, `recorded ${r.durationS} s; busy tone from 9 s, hang-up at 17 s`);
});

test('each recording carries the audio its line carried during the call', async () => {
  for (const ch of [0, 2, 3, 4]) {
    const r = byChannel(ch)[0];
    const res = await box.api(r.audioUrl);
    assert.is(res.status, 200, `channel ${ch} audio`);
    const wav = decodeWav(res.body as Buffer);
    const startOffset = Math.round(secondsAfterT0(r.startTime) * S);
    const excerptAt = 3 * S;
    const match = locate(wav.samples, excerptAt, S, audio[ch as keyof typeof audio], startOffset + excerptAt - 2000, startOffset + excerptAt + 2000);
    assert.ok(match.correlation > 0.95, `channel ${ch}: correlation ${match.correlation.toFixed(3)}`);
    near(match.offset, startOffset + excerptAt, 240, `channel ${ch} alignment (samples)`);
  }
});

test('channels show their end state and no recording in progress', async () => {
  const res = await box.api('/api/v1/channels');
  const chans = res.body.items;
  assert.is(chans.length, 8);
  assert.is(chans[3].state, 'disconnected');
  assert.is(chans[3].stateLabel, '断线');
  assert.is(chans[0].state, 'idle');
  assert.ok(chans.every((c: any) => !c.recording));
  assert.ok(chans[0].voltage > 40);
});

test.run();
