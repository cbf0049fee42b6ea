import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RING_TIMEOUT_MS } from '../../firmware/calls/call-machine.ts';
import { DEFAULT_RECORDING_PARAMS, defaultChannelConfig } from '../../firmware/calls/channel-config.ts';
import { machine, OFFHOOK, ONHOOK } from './line-driver.ts';

test('ring then off-hook is an incoming answered call carrying the caller ID', () => {
  const l = machine();
  l.hold(ONHOOK, 1000);
  l.ring(1);
  l.decisions.push(...l.m.onCallerId('13800138000', 'ZHANG', l.t));
  l.hold(ONHOOK, 2000);
  l.hold(OFFHOOK, 10000);
  l.hold(ONHOOK, 1000);
  const [start] = l.kinds('start');
  assert.ok(start?.kind === 'start');
  if (start?.kind !== 'start') return;
  assert.is(start.callType, 'incoming-answered');
  assert.is(start.call.remoteNumber, '13800138000');
  assert.is(start.call.callerName, 'ZHANG');
  assert.is(start.startMode, 'voltage');
  const [stop] = l.kinds('stop');
  assert.equal(stop && { ...stop, at: 0 }, { kind: 'stop', stopMode: 'hangup', keep: true, at: 0 });
  assert.equal(
    l.kinds('state').map((d) => d.kind === 'state' && d.state),
    ['idle', 'incoming', 'idle'],
  );
});

test('caller ID arriving after the answer updates the open recording', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.ring(1);
  l.hold(OFFHOOK, 1000);
  const d = l.m.onCallerId('5551234', '', l.t);
  assert.equal(d, [{ kind: 'update', remoteNumber: '5551234', callerName: '', at: l.t }]);
});

test('caller ID heard during an outgoing call does not name the next incoming call', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 3000);
  l.m.onCallerId('99999', '', l.t); // key presses A9999C mid-call
  l.hold(ONHOOK, 2000);
  l.ring(1);
  l.hold(OFFHOOK, 4000);
  const start = l.kinds('start').at(-1);
  assert.ok(start?.kind === 'start' && start.callType === 'incoming-answered');
  assert.is(start?.kind === 'start' && start.call.remoteNumber, '');
});

test('rings without an answer make one missed call after the ring timeout', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.m.onCallerId('02088886666', '', l.t);
  l.ring(3);
  l.hold(ONHOOK, RING_TIMEOUT_MS + 500);
  const missed = l.kinds('missed');
  assert.is(missed.length, 1);
  const m = missed[0]!;
  assert.ok(m.kind === 'missed');
  if (m.kind !== 'missed') return;
  assert.is(m.remoteNumber, '02088886666');
  assert.is(m.ringEndedAt - m.ringStartedAt, 10900);
  assert.is(l.kinds('start').length, 0);
});

test('off-hook without ringing is an outgoing call numbered by the dialled digits', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 1000);
  for (const d of '8675309') l.decisions.push(...l.m.onDigit(d, l.t));
  l.hold(OFFHOOK, 5000);
  l.hold(ONHOOK, 1000);
  const start = l.kinds('start')[0];
  assert.ok(start?.kind === 'start' && start.callType === 'outgoing');
  const last = l.kinds('update').at(-1);
  assert.is(last?.kind === 'update' && last.remoteNumber, '8675309');
  assert.equal(
    l.kinds('state').map((d) => d.kind === 'state' && d.state),
    ['idle', 'outgoing', 'idle'],
  );
});

test('star and hash are dropped from dialled numbers unless configured to keep them', () => {
  for (const keepStarHash of [false, true]) {
    const l = machine({ keepStarHash });
    l.hold(ONHOOK, 500);
    l.hold(OFFHOOK, 500);
    for (const d of '*12#3') l.m.onDigit(d, l.t);
    assert.is(l.m.activeCall?.remoteNumber, keepStarHash ? '*12#3' : '123');
  }
});

test('digits after the collection gap are not part of the number', () => {
  const l = machine({ digitGapS: 2 });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 500);
  l.m.onDigit('1', l.t);
  l.m.onDigit('2', l.t + 500);
  l.m.onDigit('9', l.t + 5000); // an IVR menu choice, long after dialling
  assert.is(l.m.activeCall?.remoteNumber, '12');
});

test('line disconnection during a call stops with disconnect and raises the disconnected state', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000);
  l.hold(0, 1000);
  const stop = l.kinds('stop')[0];
  assert.ok(stop?.kind === 'stop' && stop.stopMode === 'disconnect' && stop.keep);
  assert.is(l.m.channelState, 'disconnected');
});

test('a call shorter than the minimum file length is not kept', () => {
  const l = machine({ minFileS: 3 });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 2000);
  l.hold(ONHOOK, 1000);
  const stop = l.kinds('stop')[0];
  assert.ok(stop?.kind === 'stop' && stop.keep === false);
});

test('a hook flash shorter than the hang-up debounce does not end the call', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 4000);
  l.hold(ONHOOK, 300);
  l.hold(OFFHOOK, 4000);
  assert.is(l.kinds('stop').length, 0);
  assert.is(l.kinds('start').length, 1);
});

test('reversed polarity is still off-hook and is reported', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 2000);
  l.hold(-OFFHOOK, 2000);
  assert.ok(l.m.polarityReversed);
  assert.is(l.kinds('start').length, 1);
  assert.is(l.kinds('stop').length, 0);
});

test('a call longer than the maximum file length continues in a linked file', () => {
  const l = machine({ maxFileS: 60 });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 150_000);
  l.hold(ONHOOK, 1000);
  const starts = l.kinds('start');
  assert.equal(starts.map((s) => s.kind === 'start' && s.part), [1, 2, 3]);
  const callIds = new Set(starts.map((s) => s.kind === 'start' && s.call.callId));
  assert.is(callIds.size, 1);
  assert.equal(l.kinds('stop').map((s) => s.kind === 'stop' && s.stopMode), ['max-length', 'max-length', 'hangup']);
});

test('with stop-at-maximum set, recording stops at the maximum length and the call goes on', () => {
  const l = machine({ maxFileS: 60, stopAtMaxFile: true });
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 100_000);
  assert.is(l.kinds('start').length, 1);
  assert.not.ok(l.m.recording);
  assert.is(l.m.channelState, 'outgoing');
});

test('turning the recording switch off stops the file; the line is still tracked', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000);
  const cfg = { ...defaultChannelConfig(3), recordingEnabled: false };
  const d = l.m.configure(cfg, DEFAULT_RECORDING_PARAMS, l.t);
  assert.equal(d.map((x) => x.kind === 'stop' && x.stopMode), ['switch-off']);
  l.hold(ONHOOK, 1000);
  l.hold(OFFHOOK, 5000);
  assert.is(l.kinds('start').length, 1);
  assert.is(l.m.channelState, 'outgoing');
});

test('a line-card fault closes the file and the call resumes in a linked part', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000);
  const down = l.m.onLinkDown(l.t);
  assert.equal(down.map((x) => x.kind === 'stop' && x.stopMode), ['linecard-fault']);
  l.t += 10_000;
  l.hold(OFFHOOK, 3000);
  const starts = l.kinds('start');
  assert.equal(starts.map((s) => s.kind === 'start' && s.part), [1, 2]);
  assert.is(starts[0]!.kind === 'start' && starts[1]!.kind === 'start' && starts[0]!.call.callId === starts[1]!.call.callId, true);
});

test('busy tone after the far end hangs up ends the recording; the call ends on hang-up', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 10_000);
  assert.equal(l.m.onTone('ringback', l.t), []);
  const d = l.m.onTone('busy', l.t);
  assert.equal(d.map((x) => x.kind === 'stop' && x.stopMode), ['busy-tone']);
  l.hold(OFFHOOK, 5000);
  assert.not.ok(l.m.recording);
  assert.is(l.m.channelState, 'outgoing', 'the handset is still off hook');
  assert.equal(l.m.onTone('busy', l.t), [], 'reported once');
  l.hold(ONHOOK, 1000);
  assert.is(l.m.channelState, 'idle');
  assert.is(l.kinds('stop').length, 0, 'nothing left to stop at hang-up');
});

test('shutdown closes an open file with the shutdown stop mode', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(OFFHOOK, 5000);
  assert.equal(l.m.shutdown(l.t).map((x) => x.kind === 'stop' && x.stopMode), ['shutdown']);
});

test('an idle line that loses its voltage is disconnected and recovers to idle', () => {
  const l = machine();
  l.hold(ONHOOK, 500);
  l.hold(0.5, 1000);
  assert.is(l.m.channelState, 'disconnected');
  l.hold(ONHOOK, 1000);
  assert.is(l.m.channelState, 'idle');
  assert.is(l.kinds('start').length, 0);
});

test.run();
