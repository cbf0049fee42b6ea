import { test } from 'uvu';
import { reverseBits } from '../../firmware/e1/bit-order.ts';
import * as assert from 'uvu/assert';
import { createPriTap } from '../../firmware/e1/pri-tap.ts';
import type { PriTap, TrunkEvent, TrunkSide } from '../../firmware/e1/trunk-events.ts';
import { hdlcEncode, unhex, vector, vectorJson } from './helpers.ts';

const SIDE_OF: Record<string, TrunkSide> = { net: 'a', user: 'b' };

function run(tap: PriTap, a: Uint8Array, b: Uint8Array, chunk = 160): TrunkEvent[] {
  const events: TrunkEvent[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i += chunk) {
    const at = (i + chunk) / 8;
    if (i < a.length) events.push(...tap.push('a', a.subarray(i, i + chunk), at));
    if (i < b.length) events.push(...tap.push('b', b.subarray(i, i + chunk), at));
  }
  events.push(...tap.tick(n / 8 + 1000));
  return events;
}

interface Call {
  seized: Extract<TrunkEvent, { type: 'seized' }>;
  answered?: number;
  cleared?: Extract<TrunkEvent, { type: 'cleared' }>;
}

function calls(events: TrunkEvent[]): Call[] {
  const open = new Map<number, Call>();
  const done: Call[] = [];
  for (const e of events) {
    if (e.type === 'seized') open.set(e.timeslot, { seized: e });
    else if (e.type === 'answered') open.get(e.timeslot)!.answered = e.at;
    else if (e.type === 'cleared') {
      const c = open.get(e.timeslot)!;
      c.cleared = e;
      done.push(c);
      open.delete(e.timeslot);
    }
  }
  return [...done, ...open.values()];
}

test('pri_sim: the four calls (same reference on both sides), numbers, B-channel, answer, clearing side and cause', () => {
  const expected = vectorJson('pri_sim/expected_calls.json').calls;
  for (const chunk of [160, 8, 1000, 92000]) {
    const got = calls(run(createPriTap(), vector('pri_sim/ts16_hdlc_net2user.bin'), vector('pri_sim/ts16_hdlc_user2net.bin'), chunk));
    assert.is(got.length, expected.length);
    for (const exp of expected) {
      const c = got.find((g) => g.seized.callRef === exp.call_ref && g.seized.originatingSide === SIDE_OF[exp.originating_side]);
      assert.ok(c, `call ${exp.call_ref}/${exp.originating_side}`);
      assert.is(c!.seized.calling?.digits, exp.calling);
      assert.is(c!.seized.called?.digits, exp.called);
      assert.is(c!.seized.timeslot, exp.b_channel);
      assert.is(c!.seized.calling?.presentation, ['allowed', 'restricted'][exp.calling_presentation_ind]);
      assert.is(c!.seized.calling?.screening, ['user-not-screened', 'user-passed', 'user-failed', 'network'][exp.calling_screening_ind]);
      assert.is(c!.answered !== undefined, exp.answered);
      assert.is(c!.cleared?.clearedBy, SIDE_OF[exp.cleared_by]);
      assert.is(c!.cleared?.cause?.value, exp.clear_cause);
      assert.ok(Math.abs(c!.seized.at - exp.setup_t * 1000) < 30, 'seized at the SETUP');
      assert.ok(Math.abs(c!.cleared!.at - exp.end_t * 1000) < 30, 'cleared at the first clearing message');
      assert.is(c!.cleared?.outcome, exp.answered ? 'answered' : exp.clear_cause === 17 ? 'busy' : 'no-answer');
    }
  }
});

test('real PRI trace through the HDLC encoding: calls CR 65 (user) and CR 5720 (net, preferred channel)', () => {
  const tap = createPriTap();
  const got = calls(run(tap, vector('real_traces/pri_real_asterisk_book_ts16_net2user.bin'), vector('real_traces/pri_real_asterisk_book_ts16_user2net.bin')));
  const out = got.find((c) => c.seized.callRef === 65)!;
  const inc = got.find((c) => c.seized.callRef === 5720)!;
  assert.equal([out.seized.originatingSide, out.seized.calling?.digits, out.seized.called?.digits, out.seized.timeslot], ['b', '4830258590', '32248580', 1]);
  assert.equal([out.cleared?.clearedBy, out.cleared?.cause?.value, out.cleared?.outcome], ['b', 16, 'answered']);
  assert.equal([inc.seized.originatingSide, inc.seized.calling?.digits, inc.seized.called?.digits, inc.seized.timeslot], ['a', '4832248580', '8580', 2]);
  assert.equal([inc.cleared?.clearedBy, inc.cleared?.outcome], ['a', 'answered']);
});

/** An I frame (SAPI 0, TEI 0) carrying a Q.931 message. */
const iframe = (ns: number, q931: string, cr = 0) => unhex(`${(cr << 1).toString(16).padStart(2, '0')}01${(ns << 1).toString(16).padStart(2, '0')}00${q931}`);

test('overlap dialling: SETUP ACKNOWLEDGE names the channel, INFORMATION adds called digits; a retransmitted I frame is not acted on twice', () => {
  const setup = iframe(0, '08020005' + '0504038090a3' + '1801a3' + '6c0721803132333435' + '700381' + '3836');
  const info1 = iframe(1, '080200057b' + '70028137');
  const info2 = iframe(2, '080200057b' + '700381' + '3839');
  const ack = iframe(0, '08028005' + '0d' + '1803a98383', 1);
  const a = hdlcEncode([setup, info1, info1, info2], 40);
  const b = hdlcEncode([ack], 80);
  const tap = createPriTap();
  const ev = run(tap, a, b, 16);
  const seized = ev.find((e) => e.type === 'seized') as Extract<TrunkEvent, { type: 'seized' }>;
  assert.is(seized.timeslot, 3);
  assert.is(seized.calling?.digits, '12345');
  const numbers = ev.filter((e) => e.type === 'numbers').map((e) => (e as { called?: { digits: string } }).called?.digits);
  assert.equal(numbers, ['867', '86789']);
  assert.is(tap.stats().retransmissions, 1);
});

test('TS16 octets delivered bit-reversed: the bit order is found from the first good frame', () => {
  const tap = createPriTap();
  const got = calls(run(tap, reverseBits(vector('pri_sim/ts16_hdlc_net2user.bin')), reverseBits(vector('pri_sim/ts16_hdlc_user2net.bin'))));
  assert.is(got.length, 4);
  assert.is(tap.stats().frames, 56);
  assert.equal(
    got.map((c) => c.seized.calling?.digits),
    ['13912345678', '01012345678', '61234567', '88776655'],
  );
});

test('a RESTART of a channel clears its call, cleared by the sender of the RESTART', () => {
  const setup = iframe(0, '08020009' + '05' + '1803a98385' + '70038131' + '32');
  const restart = iframe(0, '08020000' + '46' + '1803a98385' + '790180', 1);
  const tap = createPriTap();
  const ev = run(tap, hdlcEncode([setup], 40), hdlcEncode([restart], 200));
  const cleared = ev.find((e) => e.type === 'cleared') as Extract<TrunkEvent, { type: 'cleared' }>;
  assert.equal([cleared.timeslot, cleared.clearedBy, cleared.outcome], [5, 'b', 'failed']);
});

test('a D-channel stopping mid-call: signalling down, the call cleared by timeout, counters', () => {
  const setup = iframe(0, '08020009' + '05' + '1803a98385' + '70038131' + '32');
  const tap = createPriTap({ callTimeoutMs: 60_000, signallingTimeoutMs: 500 });
  const a = hdlcEncode([setup], 80);
  const ev = [...tap.push('a', a, a.length / 8), ...tap.push('a', new Uint8Array(8000).fill(0xff), a.length / 8 + 1000), ...tap.tick(30_000)];
  assert.ok(ev.some((e) => e.type === 'seized' && e.timeslot === 5));
  assert.ok(ev.some((e) => e.type === 'signalling' && e.state === 'down' && e.side === 'a'));
  assert.not.ok(ev.some((e) => e.type === 'cleared'));
  const cleared = tap.tick(70_000).find((e) => e.type === 'cleared');
  assert.equal(cleared && [cleared.type === 'cleared' && cleared.clearedBy, cleared.type === 'cleared' && cleared.outcome], ['timeout', 'failed']);
  const s = tap.stats();
  assert.equal([s.timedOutCalls, s.signallingLosses, s.activeCalls, s.callsSeen], [1, 1, 0, 1]);
});

test('a SETUP lost to a bit error: dropped and counted; the call is still picked up from the response naming its channel', () => {
  const a = new Uint8Array(vector('pri_sim/ts16_hdlc_net2user.bin'));
  a[40120]! ^= 0x10; // inside the SETUP of call 2 from the network side
  const tap = createPriTap();
  const got = calls(run(tap, a, vector('pri_sim/ts16_hdlc_user2net.bin')));
  assert.is(tap.stats().fcsErrors, 1);
  assert.is(got.length, 4);
  const lost = got.find((c) => c.seized.callRef === 2 && c.seized.originatingSide === 'a')!;
  assert.equal([lost.seized.timeslot, lost.seized.calling, lost.cleared?.outcome, lost.cleared?.clearedBy], [2, undefined, 'busy', 'b']);
});

test.run();
