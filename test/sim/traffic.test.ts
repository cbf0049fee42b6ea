import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateTraffic, type CallKind } from '../../firmware/sim/traffic.ts';

const HOUR = 3_600_000;

function energy(line: { fillAudio(t: number, out: Int16Array): void }, fromMs: number, toMs: number): number {
  const out = new Int16Array(Math.round((toMs - fromMs) * 8));
  line.fillAudio(fromMs, out);
  return out.reduce((e, s) => e + Math.abs(s), 0) / out.length;
}

test('the same seed gives the same calls and the same audio; another seed does not', () => {
  const a = generateTraffic({ seed: 42, channelCount: 4 });
  const b = generateTraffic({ seed: 42, channelCount: 4 });
  const c = generateTraffic({ seed: 43, channelCount: 4 });
  // ask in different orders: planning is per line and does not depend on who asks first
  b.lines[3]!.stateAt(HOUR);
  assert.equal(a.eventsUntil(HOUR), b.eventsUntil(HOUR));
  assert.not.equal(a.eventsUntil(HOUR), c.eventsUntil(HOUR));
  const call = a.eventsUntil(HOUR).find((e) => e.kind === 'outgoing')!;
  const x = new Int16Array(8000);
  const y = new Int16Array(8000);
  a.lines[call.channel]!.fillAudio(call.startMs, x);
  b.lines[call.channel]!.fillAudio(call.startMs, y);
  assert.equal(x, y);
});

test('an hour of traffic on 8 lines has every call type, with plausible details', () => {
  const traffic = generateTraffic({ seed: 1, channelCount: 8 });
  const events = traffic.eventsUntil(HOUR);
  const kinds = new Set<CallKind>(events.map((e) => e.kind));
  assert.equal([...kinds].sort(), ['disconnection', 'incoming', 'missed', 'outgoing']);
  assert.ok(events.some((e) => e.callerName) && events.some((e) => e.kind === 'incoming' && !e.callerName));
  assert.equal(new Set(events.filter((e) => e.callerIdStandard).map((e) => e.callerIdStandard)), new Set(['bell202', 'v23']));
  for (const e of events) {
    const line = traffic.lines[e.channel]!;
    assert.ok(e.endMs > e.startMs);
    assert.is(line.stateAt(e.endMs).state, 'onhook');
    if (e.kind === 'incoming' || e.kind === 'missed') {
      assert.match(e.callerNumber!, /^\d{8,12}$/);
      assert.is(line.stateAt(e.startMs).state, 'ringing');
      assert.ok(energy(line, e.startMs, e.startMs + 1000) === 0, 'no audio while ring AC is on');
      assert.ok(energy(line, e.startMs + 1000, e.startMs + 5000) > 100, 'caller ID between the first and second ring');
    }
    if (e.kind === 'incoming') {
      assert.ok(e.rings! >= 1 && e.rings! <= 4);
      assert.is(line.stateAt(e.answeredMs!).state, 'offhook');
      assert.ok(e.answeredMs! < e.startMs + e.rings! * 5000);
      assert.ok(e.answeredMs! > e.startMs + (e.rings! - 1) * 5000);
    }
    if (e.kind === 'missed') assert.ok(e.rings! >= 3 && e.rings! <= 6 && e.answeredMs === undefined);
    if (e.kind === 'outgoing') {
      assert.match(e.dialledDigits!, /^[1-9]\d{3,10}$/);
      assert.is(line.stateAt(e.startMs).state, 'offhook');
      assert.is(line.stateAt(e.answeredMs!).state, e.reversedOnAnswer ? 'reversed' : 'offhook');
    }
    if (e.kind === 'incoming' || e.kind === 'outgoing') {
      assert.ok(e.endMs - e.startMs >= 10_000 && e.endMs - e.startMs <= 128_000, `${e.kind} lasts ${e.endMs - e.startMs} ms`);
      assert.ok(energy(line, e.answeredMs!, e.endMs) > 50, 'conversation audio');
    }
    if (e.kind === 'disconnection') assert.is(line.stateAt(e.startMs + 1).state, 'disconnected');
  }
});

test('continuous traffic keeps every line in a call, with about 1 s between calls', () => {
  const traffic = generateTraffic({ seed: 5, channelCount: 4, continuous: true });
  const events = traffic.eventsUntil(20 * 60_000);
  assert.ok(events.every((e) => e.kind === 'incoming' || e.kind === 'outgoing'));
  for (let ch = 0; ch < 4; ch++) {
    const calls = events.filter((e) => e.channel === ch);
    assert.ok(calls[0]!.startMs <= 1000);
    for (let i = 1; i < calls.length; i++) {
      const gap = calls[i]!.startMs - calls[i - 1]!.endMs;
      assert.ok(gap >= 800 && gap <= 1200, `gap ${gap}`);
    }
  }
});

test.run();
