/**
 * The pure rules of cloud seats: what each level and right reaches (own,
 * group, all; the level's cap; the monitored channel), when the screen pops
 * (on ringing with the caller ID, on answer, ended), and how a two-party
 * call is mixed for a listener.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SeatAccess } from '../../firmware/app/seat-access.ts';
import { PopTracker } from '../../firmware/app/screen-pop.ts';
import { LegMixer } from '../../firmware/events/audio-mixer.ts';
import { analogRef, refKey, type ChannelRef } from '../../firmware/ports/channel-ref.ts';
import { FACTORY_SEAT, effectiveReach, type SeatConfig } from '../../firmware/settings/seat-settings.ts';
import type { ChannelStateEvent } from '../../firmware/events/box-events.ts';

function directory(seats: Record<string, Partial<SeatConfig>>) {
  return { seats, seat: (r: ChannelRef) => ({ ...FACTORY_SEAT, ...(seats[refKey(r)] ?? {}) }) };
}
const seat = (account: string, ch: number) => ({ kind: 'seat' as const, account, ip: '10.0.0.9', ref: `analog-0-${ch}` });
const keys = (s: ReturnType<SeatAccess['scope']>) => (s.all ? 'all' : [...s.keys].sort());

test('rights reach own, group or all channels, capped by the level', () => {
  const dir = directory({
    'analog-0-0': { enabled: true, account: 'a0', group: 1, sync: 'all', monitoredRef: 'analog-0-5' },
    'analog-0-1': { enabled: true, account: 'a1', group: 1 },
    'analog-0-2': { enabled: true, account: 'lead', group: 1, level: 'lead', sync: 'all', fetch: 'group', monitor: 'own' },
    'analog-0-3': { enabled: true, account: 'boss', level: 'manager', sync: 'all', fetch: 'all', monitor: 'group' },
    'analog-0-4': { enabled: false, account: 'off', level: 'manager', sync: 'all' },
  });
  const access = new SeatAccess(dir, () => [0, 1, 2, 3, 4, 5, 6, 7].map(analogRef));
  // An agent asking for all still gets its own channel and its monitored channel.
  assert.equal(keys(access.scope(seat('a0', 0), 'sync')), ['analog-0-0', 'analog-0-5']);
  // A team lead: its group (channels whose seat has group 1), never all.
  assert.equal(keys(access.scope(seat('lead', 2), 'sync')), ['analog-0-0', 'analog-0-1', 'analog-0-2']);
  assert.equal(keys(access.scope(seat('lead', 2), 'fetch')), ['analog-0-0', 'analog-0-1', 'analog-0-2']);
  assert.equal(keys(access.scope(seat('lead', 2), 'monitor')), ['analog-0-2']);
  // A manager: all; its group is the channels left in group 0.
  assert.is(keys(access.scope(seat('boss', 3), 'sync')), 'all');
  assert.equal(keys(access.scope(seat('boss', 3), 'monitor')), ['analog-0-3', 'analog-0-4', 'analog-0-5', 'analog-0-6', 'analog-0-7']);
  // A seat switched off, or a principal naming another seat's channel, reaches nothing.
  assert.equal(keys(access.scope(seat('off', 4), 'sync')), []);
  assert.equal(keys(access.scope(seat('a1', 0), 'sync')), []);
  // Accounts and the box reach everything.
  assert.is(keys(access.scope({ kind: 'user', account: 'admin', ip: '1.2.3.4', role: 'user' }, 'monitor')), 'all');
  assert.throws(() => access.check(seat('a0', 0), 'fetch', analogRef(1)), /may not play or download/);
  assert.is(effectiveReach({ ...FACTORY_SEAT, level: 'lead', monitor: 'all' }, 'monitor'), 'group');
});

const state = (t: number, s: Partial<ChannelStateEvent>): ChannelStateEvent => ({
  type: 'channel.state', ref: analogRef(0), state: 'incoming', voltage: 48, ringing: false, polarityReversed: false, remoteNumber: '', callerName: '', recording: false, at: t, ...s,
});
const voltageMode = { controlMode: 'voltage' as const, offhookVoltage: 15, disconnectVoltage: 4 };

test('screen pop: on ringing with the caller ID, on answer, then ended', () => {
  const ring = new PopTracker();
  assert.is(ring.update(state(1000, { ringing: true }), 'ring', voltageMode)?.phase, 'ringing');
  assert.is(ring.update(state(2000, {}), 'ring', voltageMode), null, 'between rings: nothing new');
  const withNumber = ring.update(state(3040, { remoteNumber: '13800000000' }), 'ring', voltageMode)!;
  assert.equal([withNumber.phase, withNumber.remoteNumber], ['ringing', '13800000000']);
  assert.is(ring.update(state(7000, { voltage: 8, remoteNumber: '13800000000' }), 'ring', voltageMode)?.phase, 'answered');
  const ended = ring.update(state(20000, { state: 'idle', voltage: 48 }), 'ring', voltageMode)!;
  assert.equal([ended.phase, ended.callId], ['ended', withNumber.callId]);

  const answer = new PopTracker();
  assert.is(answer.update(state(1000, { ringing: true }), 'auto', voltageMode), null, '压控: not on ringing');
  assert.is(answer.update(state(3040, { remoteNumber: '139' }), 'auto', voltageMode), null);
  const answered = answer.update(state(7000, { voltage: 8, remoteNumber: '139' }), 'auto', voltageMode)!;
  assert.equal([answered.phase, answered.remoteNumber], ['answered', '139']);
  assert.is(new PopTracker().update(state(1000, { ringing: true }), 'auto', { ...voltageMode, controlMode: 'ring' })?.phase, 'ringing', '铃流控: on ringing');
  assert.is(new PopTracker().update(state(1000, { state: 'idle' }), 'ring', voltageMode), null, 'no call, no pop');
});

test('a two-party call mixed for a listener, or leg by leg', () => {
  const block = (leg: 0 | 1, at: number, v: number) => ({ ref: analogRef(0), leg, at, sampleRate: 8000, samples: new Int16Array(160).fill(v) });
  const mixed = new LegMixer('mixed');
  assert.equal(mixed.push(block(0, 0, 100)).map((b) => [b.lane, b.samples[0]]), [[2, 100]], 'one party: at once');
  assert.equal(mixed.push(block(1, 20, 30000)), [], 'waits for the other leg');
  assert.equal(mixed.push(block(0, 20, 5000)).map((b) => [b.lane, b.at, b.samples[0]]), [[2, 20, 32767]], 'added and clipped');
  mixed.push(block(0, 40, 7));
  assert.equal(mixed.push(block(0, 60, 9)).map((b) => [b.at, b.samples[0]]), [[40, 7]], 'a leg alone goes on after one block');
  const separate = new LegMixer('separate');
  separate.push(block(1, 0, 1));
  assert.equal(separate.push(block(0, 0, 2)).map((b) => b.lane), [0]);
});

test.run();
