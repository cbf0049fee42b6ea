import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alawEncode } from '../../firmware/dsp/g711.ts';
import { R2_FREQUENCIES, R2ToneDetector, SIGNAL_OF_PAIR, type R2Group, type R2ToneEvent } from '../../firmware/e1/r2-tones.ts';
import { concat, mix, silence, sinePeak, speechLike } from '../../firmware/sim/signals.ts';

function pair(group: R2Group, signal: number, ms: number, levels: [number, number], offsetHz = 0): Int16Array {
  let i = -1;
  let j = -1;
  SIGNAL_OF_PAIR.forEach((row, a) => row.forEach((s, b) => s === signal && a < b && ((i = a), (j = b))));
  const n = Math.round(ms * 8);
  const out = new Int16Array(n);
  const [f1, f2] = [R2_FREQUENCIES[group][i]! + offsetHz, R2_FREQUENCIES[group][j]! - offsetHz];
  for (let k = 0; k < n; k++) out[k] = Math.round(sinePeak(levels[0]) * Math.sin((2 * Math.PI * f1 * k) / 8000) + sinePeak(levels[1]) * Math.sin((2 * Math.PI * f2 * k) / 8000));
  return out;
}

function detect(group: R2Group, pcm: Int16Array, chunk = 160): R2ToneEvent[] {
  const d = new R2ToneDetector(group);
  const a = alawEncode(pcm);
  const ev: R2ToneEvent[] = [];
  for (let i = 0; i < a.length; i += chunk) d.process(a.subarray(i, i + chunk), (e) => ev.push(e));
  return ev;
}

test('every signal of both groups, at -5 and -35 dBm0, with 5 dB twist and 10 Hz off nominal: one onset within 10 ms', () => {
  for (const group of ['forward', 'backward'] as const) {
    for (let signal = 1; signal <= 15; signal++) {
      for (const [levels, off] of [
        [[-5, -5], 0],
        [[-35, -35], 10],
        [[-15, -20], -10],
        [[-25, -20], 10],
      ] as [[number, number], number][]) {
        const ev = detect(group, concat(silence(100), pair(group, signal, 150, levels, off), silence(100)));
        const ons = ev.filter((e) => e.on);
        assert.equal(ons.map((e) => e.signal), [signal], `${group} ${signal} ${levels} ${off}`);
        assert.ok(Math.abs(ons[0]!.sample - 800) <= 80, `onset ${ons[0]!.sample}`);
        const off_ = ev.find((e) => !e.on);
        assert.ok(off_ && Math.abs(off_.sample - 2000) <= 120, `offset ${off_?.sample}`);
      }
    }
  }
});

test('speech, a single tone and tones of the other group are not signals', () => {
  const speech = speechLike(20, 3, -12);
  assert.is(detect('forward', speech).length, 0);
  assert.is(detect('backward', speech).length, 0);
  const single = new Int16Array(8000).map((_, k) => Math.round(sinePeak(-10) * Math.sin((2 * Math.PI * 1500 * k) / 8000)));
  assert.is(detect('forward', single).length, 0);
  assert.is(detect('backward', pair('forward', 5, 500, [-10, -10])).length, 0);
  assert.is(detect('forward', pair('backward', 5, 500, [-10, -10])).length, 0);
  // Too quiet (below -38 dBm0) and a twist of 10 dB.
  assert.is(detect('forward', pair('forward', 3, 300, [-45, -45])).length, 0);
  assert.is(detect('forward', pair('forward', 3, 300, [-10, -20])).length, 0);
  // A signal under speech-like noise 15 dB down is still heard.
  const noisy = mix(concat(silence(100), pair('forward', 7, 200, [-10, -10]), silence(100)), speechLike(0.4, 9, -25));
  assert.equal(detect('forward', noisy).filter((e) => e.on).map((e) => e.signal), [7]);
});

test.run();
