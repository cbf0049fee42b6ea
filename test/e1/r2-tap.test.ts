import { test } from 'uvu';
import { reverseBits } from '../../firmware/e1/bit-order.ts';
import * as assert from 'uvu/assert';
import { CasMultiframe } from '../../firmware/e1/cas-multiframe.ts';
import { createCasTap } from '../../firmware/e1/r2-tap.ts';
import { R2ToneDetector, type R2ToneEvent } from '../../firmware/e1/r2-tones.ts';
import type { TrunkEvent, TrunkSide } from '../../firmware/e1/trunk-events.ts';
import { vector, vectorAlaw, vectorJson } from './helpers.ts';

const STREAM_SIDE: Record<string, TrunkSide> = { AtoB: 'a', BtoA: 'b' };
const wavName = (stream: string, ts: number) => `r2_china/${stream}_ts${String(ts).padStart(2, '0')}.wav`;

function runChina(chunk: number, ts16: Record<TrunkSide, Uint8Array> = { a: vector('r2_china/ts16_cas_AtoB.bin'), b: vector('r2_china/ts16_cas_BtoA.bin') }) {
  const voice: Record<TrunkSide, Record<number, Uint8Array>> = {
    a: { 1: vectorAlaw(wavName('AtoB', 1)), 21: vectorAlaw(wavName('AtoB', 21)) },
    b: { 1: vectorAlaw(wavName('BtoA', 1)), 21: vectorAlaw(wavName('BtoA', 21)) },
  };
  const tones: { side: TrunkSide; timeslot: number; signal: number; at: number }[] = [];
  const tap = createCasTap({ observer: { tone: (side, timeslot, _g, signal, on, at) => on && tones.push({ side, timeslot, signal, at }) } });
  const events: TrunkEvent[] = [];
  for (let i = 0; i < ts16.a.length; i += chunk) {
    const at = (i + chunk) / 8;
    for (const s of ['a', 'b'] as const) {
      events.push(...tap.pushSignalling(s, ts16[s].subarray(i, i + chunk), at));
      for (const ts of [1, 21]) events.push(...tap.pushVoice(s, ts, voice[s][ts]!.subarray(i, i + chunk), at));
    }
  }
  events.push(...tap.tick(ts16.a.length / 8 + 1000));
  return { events, tones, tap };
}

test('China calls: numbers, answered or busy, clearing side, line-signal times', () => {
  const expected = vectorJson('r2_china/expected_r2_calls.json').calls;
  for (const chunk of [160, 40, 8000]) {
    const { events, tap } = runChina(chunk);
    const seized = events.filter((e) => e.type === 'seized') as Extract<TrunkEvent, { type: 'seized' }>[];
    const cleared = events.filter((e) => e.type === 'cleared') as Extract<TrunkEvent, { type: 'cleared' }>[];
    assert.is(seized.length, expected.length);
    expected.forEach((exp: any, i: number) => {
      const fwd = STREAM_SIDE[exp.forward_stream]!;
      const bwd = STREAM_SIDE[exp.backward_stream]!;
      const s = seized[i]!;
      assert.equal([s.timeslot, s.originatingSide], [exp.timeslot, fwd]);
      assert.ok(Math.abs(s.at * 8 - exp.seize_sample) < 8 * 30);
      const numbers = events.filter((e) => e.type === 'numbers' && e.timeslot === exp.timeslot && e.at > s.at && e.at * 8 < (exp.clear_forward_sample ?? Infinity)).pop() as any;
      assert.is(numbers?.called?.digits, exp.called_dnis);
      assert.is(numbers?.calling?.digits, exp.calling_ani);
      const answered = events.find((e) => e.type === 'answered' && e.timeslot === exp.timeslot && e.at > s.at && e.at * 8 < exp.clear_forward_sample);
      assert.is(answered !== undefined, exp.answered);
      if (exp.answered) assert.ok(Math.abs(answered!.at * 8 - exp.answer_sample) < 8 * 30);
      const c = cleared[i]!;
      const firstClear = exp.clear_back_sample ?? exp.clear_forward_sample;
      assert.is(c.clearedBy, exp.clear_back_sample ? bwd : fwd);
      assert.ok(Math.abs(c.at * 8 - firstClear) < 8 * 30);
      assert.is(c.outcome, exp.answered ? 'answered' : exp.B_signal === 2 ? 'busy' : 'no-answer');
    });
    assert.equal(tap.stats().activeCalls, 0);
  }
});

test('China calls: every MF signal of the register sequence, with onsets within 30 ms of the reference', () => {
  const { tones } = runChina(160);
  const ref = vectorJson('r2_china/expected_mf_signals.json').streams;
  for (const stream of ref) {
    const side = STREAM_SIDE[stream.stream]!;
    const got = tones.filter((t) => t.side === side && t.timeslot === stream.timeslot);
    assert.is(got.length, stream.signals.length, `${stream.stream} TS${stream.timeslot}`);
    stream.signals.forEach((x: { signal: number; on_sample: number }, i: number) => {
      assert.is(got[i]!.signal, x.signal);
      assert.ok(Math.abs(got[i]!.at * 8 - x.on_sample) <= 8 * 30, `onset ${i} ${got[i]!.at * 8} vs ${x.on_sample}`);
    });
  }
});

test('the tone detector alone: each group hears only its own signals in the vectors', () => {
  const ref = vectorJson('r2_china/expected_mf_signals.json').streams;
  for (const stream of ref) {
    const samples = vectorAlaw(wavName(stream.stream, stream.timeslot));
    for (const group of ['forward', 'backward'] as const) {
      const ons: R2ToneEvent[] = [];
      new R2ToneDetector(group).process(samples, (e) => e.on && ons.push(e));
      if (group === stream.direction) assert.equal(ons.map((e) => e.signal), stream.signals.map((x: { signal: number }) => x.signal));
      else assert.is(ons.length, 0, `${group} in ${stream.stream} TS${stream.timeslot}`);
    }
  }
});

test('multiframe alignment lost (corrupted MFAS) and recovered; calls still decode', () => {
  const a = new Uint8Array(vector('r2_china/ts16_cas_AtoB.bin'));
  // Two multiframes with the alignment word corrupted, 2 s in (no line change there).
  for (let k = 0; k < 3; k++) a[16000 + k * 16] = 0xff;
  const mf = new CasMultiframe();
  const seen: boolean[] = [];
  mf.push(a, a.length / 8, { change: () => {}, alignment: (al) => seen.push(al) });
  assert.equal(seen, [true, false, true]);
  const { events, tap } = runChina(160, { a, b: vector('r2_china/ts16_cas_BtoA.bin') });
  assert.ok(events.some((e) => e.type === 'signalling' && e.state === 'down' && e.side === 'a'));
  assert.is(events.filter((e) => e.type === 'cleared').length, 3);
  assert.is(tap.stats().alignmentLosses, 1);
});

test('TS16 octets delivered bit-reversed: the multiframe is found in the reversed order and the calls decode', () => {
  const { events } = runChina(160, { a: reverseBits(vector('r2_china/ts16_cas_AtoB.bin')), b: reverseBits(vector('r2_china/ts16_cas_BtoA.bin')) });
  const cleared = events.filter((e) => e.type === 'cleared') as Extract<TrunkEvent, { type: 'cleared' }>[];
  assert.equal(cleared.map((c) => [c.timeslot, c.outcome, c.clearedBy]), [
    [1, 'answered', 'a'],
    [21, 'answered', 'a'],
    [1, 'busy', 'a'],
  ]);
  assert.ok(events.some((e) => e.type === 'signalling' && e.state === 'up' && e.side === 'b'));
});

test('a seizure whose clearing is never seen is cleared by tick after the timeout', () => {
  const tap = createCasTap({ callTimeoutMs: 10_000 });
  const mframe = (code: number) => {
    const o = new Uint8Array(16).fill(0xbb);
    o[0] = 0x0b;
    o[1] = (code << 4) | 0xb;
    return o;
  };
  const stream = (code: number, n: number) => new Uint8Array(n * 16).map((_, i) => mframe(code)[i % 16]!);
  const idle = stream(0b1011, 50);
  tap.pushSignalling('a', idle, 100);
  tap.pushSignalling('b', idle, 100);
  const ev = [...tap.pushSignalling('a', stream(0b0011, 50), 200), ...tap.pushSignalling('b', idle, 200)];
  assert.ok(ev.some((e) => e.type === 'seized' && e.timeslot === 1 && e.originatingSide === 'a'));
  const late = tap.tick(20_000);
  assert.ok(late.some((e) => e.type === 'cleared' && e.clearedBy === 'timeout' && e.outcome === 'failed'));
});

test.run();
