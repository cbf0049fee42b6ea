import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TimelineSource, lineReading, ringOn, voltageBand, type LineState } from '../../firmware/sim/line-model.ts';

test('each line state reads its nominal voltage within 0.3 V, polarity as the sign', () => {
  const nominal: Record<LineState, number> = { onhook: 48, ringing: 48, offhook: 8, reversed: -8, disconnected: 0 };
  for (const [state, volts] of Object.entries(nominal) as Array<[LineState, number]>) {
    for (let t = 0; t < 5000; t += 100) {
      for (let ch = 0; ch < 8; ch++) {
        const r = lineReading(state, t, { channel: ch, tMs: t });
        assert.ok(Math.abs(r.voltage - volts) <= 0.3 + 1e-9, `${state} ${r.voltage}`);
        assert.is(voltageBand(r.voltage), state === 'ringing' ? 'onhook' : state);
      }
    }
  }
});

test('the noise is deterministic', () => {
  assert.is(lineReading('disconnected', 0, { channel: 3, tMs: 12345 }).voltage, lineReading('disconnected', 0, { channel: 3, tMs: 12345 }).voltage);
});

test('ring AC follows the China cadence, starting with the on period', () => {
  const at = (ms: number) => lineReading('ringing', ms).ringing;
  assert.ok(at(0));
  assert.ok(at(999));
  assert.not.ok(at(1000));
  assert.not.ok(at(4999));
  assert.ok(at(5000));
  assert.not.ok(lineReading('onhook', 0).ringing);
  assert.not.ok(lineReading('offhook', 0).ringing);
});

test('a custom cadence is honoured', () => {
  const c = { onMs: 400, offMs: 200 };
  assert.equal([0, 399, 400, 599, 600].map((t) => ringOn(t, c)), [true, true, false, false, true]);
});

test('a timeline source is on hook before its first entry and plays its audio from t = 0', () => {
  const src = new TimelineSource([{ tMs: 1000, state: 'offhook' }], Int16Array.from([1, 2, 3, 4]));
  assert.equal(src.stateAt(500), { state: 'onhook', sinceMs: 500 });
  assert.equal(src.stateAt(1500), { state: 'offhook', sinceMs: 500 });
  const out = new Int16Array(6);
  src.fillAudio(0, out);
  assert.equal(Array.from(out), [1, 2, 3, 4, 0, 0]);
});

test.run();
