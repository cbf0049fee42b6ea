/** Each control mode (控制方式) decides when a file is open; calls are followed the same way in all. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RING_TIMEOUT_MS } from '../../firmware/calls/call-machine.ts';
import { DEFAULT_RECORDING_PARAMS, defaultChannelConfig } from '../../firmware/calls/channel-config.ts';
import { machine, OFFHOOK, ONHOOK } from './line-driver.ts';

const starts = (l: ReturnType<typeof machine>) => l.kinds('start').map((d) => (d.kind === 'start' ? d : null)!);
const stops = (l: ReturnType<typeof machine>) => l.kinds('stop').map((d) => (d.kind === 'stop' ? d : null)!);

test('polarity control records only while the far end has answered (reversed polarity)', () => {
  const l = machine({}, { controlMode: 'polarity' });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000); // dialling and ring-back: not recorded
  assert.is(starts(l).length, 0);
  const answeredAt = l.t;
  l.hold(-OFFHOOK, 10_000);
  l.hold(OFFHOOK, 2000); // far end cleared: polarity back to normal
  l.hold(ONHOOK, 1000);
  assert.equal(starts(l).map((s) => s.startMode), ['polarity']);
  assert.ok(starts(l)[0]!.at - answeredAt <= 100);
  assert.equal(stops(l).map((s) => s.stopMode), ['polarity']);
  assert.is(l.m.channelState, 'idle');
});

test('DTMF code control records from the start key to the stop key, which are not part of the number', () => {
  const l = machine({}, { controlMode: 'dtmf' });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 1000);
  for (const d of '5551234') l.m.onDigit(d, l.t);
  l.hold(OFFHOOK, 3000);
  assert.is(starts(l).length, 0);
  l.decisions.push(...l.m.onDigit('*', l.t));
  l.hold(OFFHOOK, 8000);
  l.decisions.push(...l.m.onDigit('#', l.t));
  l.hold(OFFHOOK, 2000);
  l.decisions.push(...l.m.onDigit('*', l.t));
  l.hold(OFFHOOK, 4000);
  l.hold(ONHOOK, 1000);
  assert.equal(starts(l).map((s) => [s.startMode, s.call.remoteNumber]), [['dtmf', '5551234'], ['dtmf', '5551234']]);
  assert.equal(stops(l).map((s) => s.stopMode), ['dtmf', 'hangup']);
  assert.is(l.m.activeCall, null);
});

test('custom start and stop keys are honoured', () => {
  const l = machine({ startKey: '7', stopKey: '9' }, { controlMode: 'dtmf' });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 1000);
  l.decisions.push(...l.m.onDigit('*', l.t));
  assert.not.ok(l.m.recording);
  l.decisions.push(...l.m.onDigit('7', l.t));
  assert.ok(l.m.recording);
  l.hold(OFFHOOK, 4000);
  l.decisions.push(...l.m.onDigit('9', l.t));
  assert.not.ok(l.m.recording);
});

test('ring control records an incoming call from its first ring, answered or not', () => {
  const l = machine({}, { controlMode: 'ring' });
  l.hold(ONHOOK, 500);
  const firstRing = l.t;
  l.ring(2);
  l.hold(ONHOOK, 1000);
  l.hold(OFFHOOK, 8000);
  l.hold(ONHOOK, 1000);
  assert.equal(starts(l).map((s) => [s.startMode, s.callType, s.at]), [['ring', 'incoming-answered', firstRing]]);
  assert.equal(stops(l).map((s) => [s.stopMode, s.callType]), [['hangup', undefined]]);

  l.decisions.length = 0;
  l.hold(ONHOOK, 2000);
  l.m.onCallerId('13700000000', '', l.t);
  l.ring(3);
  l.hold(ONHOOK, RING_TIMEOUT_MS + 500);
  assert.equal(starts(l).map((s) => s.startMode), ['ring']);
  assert.equal(stops(l).map((s) => [s.stopMode, s.callType, s.keep]), [['ring-timeout', 'incoming-missed', true]]);
  assert.is(l.kinds('missed').length, 0, 'the file itself is the missed-call entry');
  assert.is(l.m.channelState, 'idle');
});

test('ring control does not record outgoing calls', () => {
  const l = machine({}, { controlMode: 'ring' });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 10_000);
  assert.is(starts(l).length, 0);
  assert.is(l.m.channelState, 'outgoing');
});

test('voice control records while there is sound, ending after the silence duration, on or off hook', () => {
  const l = machine({}, { controlMode: 'voice' });
  l.hold(ONHOOK, 500);
  l.decisions.push(...l.m.onVoice(true, l.t));
  l.hold(ONHOOK, 10_000);
  l.decisions.push(...l.m.onVoice(false, l.t));
  assert.equal(starts(l).map((s) => [s.startMode, s.callType]), [['voice', 'idle']]);
  assert.equal(stops(l).map((s) => s.stopMode), ['silence']);
  l.hold(OFFHOOK, 1000);
  l.decisions.push(...l.m.onVoice(true, l.t));
  assert.equal(starts(l).at(-1)!.callType, 'outgoing', 'sound during a call is recorded as that call');
  assert.equal(l.m.onVoice(true, l.t), [], 'already recording');
});

test('voice events are ignored in other modes', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  assert.equal(l.m.onVoice(true, l.t), []);
});

test('continuous recording covers the connected line in maximum-length files, stopping at a disconnection', () => {
  const l = machine({ maxFileS: 60, stopAtMaxFile: true }, { controlMode: 'continuous' });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 50_000);
  l.hold(ONHOOK, 100_000);
  l.hold(0, 2000);
  const s = starts(l);
  assert.equal(s.map((x) => [x.startMode, x.part]), [['continuous', 1], ['continuous', 2], ['continuous', 3]]);
  assert.is(new Set(s.map((x) => x.call.callId)).size, 1, 'the parts are linked');
  assert.equal(stops(l).map((x) => x.stopMode), ['max-length', 'max-length', 'disconnect']);
  l.hold(ONHOOK, 1000);
  assert.is(starts(l).length, 4, 'recording starts again when the line comes back');
});

test('forced recording starts at once in any mode and ends only when stopped', () => {
  const l = machine({}, { controlMode: 'dtmf' });
  l.hold(ONHOOK, 500);
  l.decisions.push(...l.m.setForced(true, l.t));
  l.hold(OFFHOOK, 5000);
  l.hold(ONHOOK, 2000);
  assert.ok(l.m.recording, 'a hang-up does not end forced recording');
  l.decisions.push(...l.m.setForced(false, l.t));
  assert.equal(starts(l).map((s) => [s.startMode, s.callType]), [['forced', 'idle']]);
  assert.equal(stops(l).map((s) => s.stopMode), ['manual']);
  assert.not.ok(l.m.recording);
});

test('forcing a channel mid-call replaces the call file; releasing it gives the call back to its mode', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000);
  l.decisions.push(...l.m.setForced(true, l.t));
  l.hold(OFFHOOK, 5000);
  l.decisions.push(...l.m.setForced(false, l.t));
  l.hold(OFFHOOK, 5000);
  l.hold(ONHOOK, 1000);
  assert.equal(starts(l).map((s) => s.startMode), ['voltage', 'forced', 'voltage']);
  assert.equal(stops(l).map((s) => s.stopMode), ['manual', 'manual', 'hangup']);
});

test('forced recording works with the recording switch off', () => {
  const l = machine({}, { recordingEnabled: false });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 2000);
  assert.not.ok(l.m.recording);
  l.m.setForced(true, l.t);
  assert.ok(l.m.recording);
});

test('changing the control mode closes the file and applies the new mode', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000);
  const d = l.m.configure({ ...defaultChannelConfig(3), controlMode: 'dtmf' }, DEFAULT_RECORDING_PARAMS, l.t);
  assert.equal(d.filter((x) => x.kind === 'stop').map((x) => x.kind === 'stop' && x.stopMode), ['switch-off']);
  assert.not.ok(l.m.recording, 'code control waits for the start key');
  const back = l.m.configure(defaultChannelConfig(3), DEFAULT_RECORDING_PARAMS, l.t);
  assert.equal(back.filter((x) => x.kind === 'start').map((x) => x.kind === 'start' && x.startMode), ['voltage']);
});

test.run();
