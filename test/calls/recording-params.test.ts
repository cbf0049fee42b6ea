/**
 * The recording parameters (manual 3.5) that shape a call's number and files:
 * 停止收号间隔时间, 呼出号码全显 and 到达最长录音文件停止录音, also when changed mid-call.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_RECORDING_PARAMS, defaultChannelConfig } from '../../firmware/calls/channel-config.ts';
import { machine, OFFHOOK, ONHOOK, type Line } from './line-driver.ts';

const starts = (l: Line) => l.kinds('start').map((d) => (d.kind === 'start' ? d : null)!);
const stops = (l: Line) => l.kinds('stop').map((d) => (d.kind === 'stop' ? d : null)!);

/** Off-hook, then each key at its offset (ms from the first) on an outgoing call. */
function dial(l: Line, keys: Array<[string, number]>): void {
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 1000);
  const t0 = l.t;
  for (const [key, at] of keys) l.decisions.push(...l.m.onDigit(key, t0 + at));
}

test('the factory values: collect digits throughout the call, keep * and #, split long calls', () => {
  assert.is(DEFAULT_RECORDING_PARAMS.digitGapS, 0);
  assert.is(DEFAULT_RECORDING_PARAMS.keepStarHash, true);
  assert.is(DEFAULT_RECORDING_PARAMS.stopAtMaxFile, false);
  const l = machine();
  dial(l, [['1', 0], ['7', 500], ['*', 60_000], ['#', 600_000]]);
  assert.is(l.m.activeCall?.remoteNumber, '17*#');
});

test('digit gap: a key more than N s after the previous one ends the number; the first key may come late', () => {
  const l = machine({ digitGapS: 6 });
  dial(l, [['0', 20_000], ['2', 25_000], ['0', 31_000], ['8', 36_000], ['1', 42_001], ['5', 42_500]]);
  assert.is(l.m.activeCall?.remoteNumber, '0208', 'gaps of 5 and 6 s are collected, 6.001 s is not, nor anything after');
  assert.is(l.kinds('digits').length, 4);
});

test('digit gap: a * or # left out of the number still counts as a key press', () => {
  const l = machine({ digitGapS: 3, keepStarHash: false });
  dial(l, [['*', 0], ['1', 2000], ['2', 4500], ['#', 7000], ['3', 9500], ['4', 13_000]]);
  assert.is(l.m.activeCall?.remoteNumber, '123');
  const late = machine({ digitGapS: 3, keepStarHash: false });
  dial(late, [['#', 0], ['1', 4000]]);
  assert.is(late.m.activeCall?.remoteNumber, '', 'the gap runs from the # already');
});

test('digit gap and keeping * # apply from the next key when changed mid-call', () => {
  const l = machine();
  dial(l, [['1', 0], ['*', 1000]]);
  l.m.configure(defaultChannelConfig(3), { ...DEFAULT_RECORDING_PARAMS, digitGapS: 2, keepStarHash: false }, l.t);
  const t = l.t;
  l.m.onDigit('#', t + 1500);
  l.m.onDigit('2', t + 3000);
  l.m.onDigit('3', t + 6000);
  assert.is(l.m.activeCall?.remoteNumber, '1*2');
});

test('keepStarHash off: the file is updated with the number without * and #', () => {
  const l = machine({ keepStarHash: false });
  dial(l, [['*', 0], ['6', 200], ['#', 400], ['9', 600]]);
  const updates = l.kinds('update').map((d) => d.kind === 'update' && d.remoteNumber);
  assert.equal(updates, ['6', '69']);
});

test('in DTMF code control the start and stop keys are never part of the number, whatever 呼出号码全显 says', () => {
  const l = machine({ keepStarHash: true, startKey: '*', stopKey: '#' }, { controlMode: 'dtmf' });
  dial(l, [['5', 0], ['*', 500], ['6', 1000], ['#', 1500], ['7', 2000]]);
  assert.is(l.m.activeCall?.remoteNumber, '567');
});

test('digits do not renumber an incoming call: its number is the caller ID', () => {
  const l = machine({ digitGapS: 0 });
  l.hold(ONHOOK, 500);
  l.decisions.push(...l.m.onCallerId('13800138000', '', l.t));
  l.ring(1);
  l.hold(OFFHOOK, 1000);
  l.m.onDigit('1', l.t);
  assert.is(l.m.activeCall?.remoteNumber, '13800138000');
});

test('stop at maximum: the file closes as max-length, is kept, and nothing reopens it for the rest of the call', () => {
  const l = machine({ maxFileS: 60, stopAtMaxFile: true });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 65_000);
  assert.equal(stops(l).map((s) => [s.stopMode, s.keep]), [['max-length', true]]);
  // A settings change mid-call (any parameter) does not bring the recording back.
  l.decisions.push(...l.m.configure(defaultChannelConfig(3), { ...DEFAULT_RECORDING_PARAMS, maxFileS: 60, stopAtMaxFile: true, minFileS: 5 }, l.t));
  l.hold(-OFFHOOK, 2000);
  l.hold(OFFHOOK, 30_000);
  assert.is(starts(l).length, 1);
  assert.not.ok(l.m.recording);
  assert.is(l.m.channelState, 'outgoing');
  l.hold(ONHOOK, 2000);
  l.hold(OFFHOOK, 5000);
  assert.equal(starts(l).map((s) => s.part), [1, 1], 'the next call is recorded');
});

test('stop at maximum is off by default: the call goes on in linked parts', () => {
  const l = machine({ maxFileS: 60 });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 130_000);
  assert.equal(starts(l).map((s) => s.part), [1, 2, 3]);
});

test('stop at maximum under polarity and ring control: the call is not recorded again', () => {
  const p = machine({ maxFileS: 60, stopAtMaxFile: true }, { controlMode: 'polarity' });
  p.hold(ONHOOK, 500);
  p.hold(OFFHOOK, 2000);
  p.hold(-OFFHOOK, 70_000);
  p.hold(OFFHOOK, 1000);
  p.hold(-OFFHOOK, 5000);
  assert.equal(stops(p).map((s) => s.stopMode), ['max-length']);
  assert.is(starts(p).length, 1);
  const r = machine({ maxFileS: 60, stopAtMaxFile: true }, { controlMode: 'ring' });
  r.hold(ONHOOK, 500);
  r.ring(1);
  r.hold(OFFHOOK, 70_000);
  assert.equal(stops(r).map((s) => s.stopMode), ['max-length']);
  assert.is(starts(r).length, 1);
});

test('stop at maximum under DTMF code control: pressing the start key again records again', () => {
  const l = machine({ maxFileS: 60, stopAtMaxFile: true }, { controlMode: 'dtmf' });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 1000);
  l.decisions.push(...l.m.onDigit('*', l.t));
  l.hold(OFFHOOK, 65_000);
  assert.not.ok(l.m.recording);
  l.decisions.push(...l.m.onDigit('*', l.t));
  assert.ok(l.m.recording);
  assert.equal(stops(l).map((s) => s.stopMode), ['max-length']);
});

test('stop at maximum does not apply to continuous recording nor to forced recording', () => {
  const c = machine({ maxFileS: 60, stopAtMaxFile: true }, { controlMode: 'continuous' });
  c.hold(ONHOOK, 130_000);
  assert.equal(starts(c).map((s) => s.part), [1, 2, 3]);
  const f = machine({ maxFileS: 60, stopAtMaxFile: true });
  f.hold(ONHOOK, 500);
  f.decisions.push(...f.m.setForced(true, f.t));
  f.hold(ONHOOK, 130_000);
  assert.equal(starts(f).map((s) => [s.startMode, s.part]), [['forced', 1], ['forced', 2], ['forced', 3]]);
  assert.ok(f.m.recording);
});

test('stop at maximum under voice control: the stretch of speech stops, the next one is recorded', () => {
  const l = machine({ maxFileS: 60, stopAtMaxFile: true }, { controlMode: 'voice' });
  l.hold(ONHOOK, 500);
  l.decisions.push(...l.m.onVoice(true, l.t));
  l.hold(ONHOOK, 65_000);
  assert.not.ok(l.m.recording);
  l.decisions.push(...l.m.onVoice(false, l.t));
  l.hold(ONHOOK, 1000);
  l.decisions.push(...l.m.onVoice(true, l.t));
  assert.ok(l.m.recording);
  assert.equal(starts(l).map((s) => s.part), [1, 1]);
});

test('turning stop at maximum on mid-call applies to the file being recorded', () => {
  const l = machine({ maxFileS: 60 });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 30_000);
  l.decisions.push(...l.m.configure(defaultChannelConfig(3), { ...DEFAULT_RECORDING_PARAMS, maxFileS: 60, stopAtMaxFile: true }, l.t));
  l.hold(OFFHOOK, 60_000);
  assert.equal(stops(l).map((s) => s.stopMode), ['max-length']);
  assert.is(starts(l).length, 1);
});

test.run();
