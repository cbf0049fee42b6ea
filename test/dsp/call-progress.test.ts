import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CallProgressDetector, type CallProgressEvent } from '../../firmware/dsp/call-progress.ts';
import { concat, dtmfDigits, mix, silence, speechLike, toneCadence } from '../../firmware/sim/signals.ts';
import { whiteNoise } from './helpers.ts';

interface Seen extends CallProgressEvent {
  atMs: number;
  reportedMs: number;
}

function run(pcm: Int16Array, chunk = 160): Seen[] {
  const det = new CallProgressDetector();
  const out: Seen[] = [];
  for (let i = 0; i < pcm.length; i += chunk) {
    const block = pcm.subarray(i, i + chunk);
    det.process(block, (e) => out.push({ ...e, atMs: e.startSample / 8, reportedMs: (i + block.length) / 8 }));
  }
  return out;
}

const names = (seen: Seen[]) => seen.map((e) => `${e.region} ${e.tone}`);

interface Case {
  name: string;
  freqs: number[];
  onMs: number;
  offMs: number;
}

const CASES: Case[] = [
  { name: 'cn busy', freqs: [450], onMs: 350, offMs: 350 },
  { name: 'cn congestion', freqs: [450], onMs: 700, offMs: 700 },
  { name: 'cn ringback', freqs: [450], onMs: 1000, offMs: 4000 },
  { name: 'itu busy', freqs: [425], onMs: 500, offMs: 500 },
  { name: 'itu congestion', freqs: [425], onMs: 250, offMs: 250 },
  { name: 'itu ringback', freqs: [425], onMs: 1000, offMs: 4000 },
  { name: 'us busy', freqs: [480, 620], onMs: 500, offMs: 500 },
  { name: 'us congestion', freqs: [480, 620], onMs: 250, offMs: 250 },
  { name: 'us ringback', freqs: [440, 480], onMs: 2000, offMs: 4000 },
];

/** `cycles` on/off cycles of the cadence scaled by onScale/offScale, after `leadMs` of silence. */
function cadence(c: Case, { leadMs = 333, cycles = 5, onScale = 1, offScale = 1, levelDbm0 = -20 } = {}): Int16Array {
  const on = c.onMs * onScale;
  const off = c.offMs * offScale;
  return concat(silence(leadMs), toneCadence(c.freqs, on, off, (cycles * (on + off)) / 1000, levelDbm0), silence(200));
}

test('each busy, congestion and ring-back cadence is recognised once, three cycles after its first burst', () => {
  for (const c of CASES) {
    const seen = run(cadence(c));
    assert.equal(names(seen), [c.name], c.name);
    const e = seen[0]!;
    assert.ok(Math.abs(e.atMs - 333) <= 10, `${c.name}: first burst at ${e.atMs}`);
    // The third off period is closed by the next burst, once that has lasted 100 ms.
    const thirdCycleEnd = 333 + 3 * (c.onMs + c.offMs);
    assert.ok(e.reportedMs >= thirdCycleEnd + 100 && e.reportedMs <= thirdCycleEnd + 150, `${c.name}: reported at ${e.reportedMs}`);
  }
});

test('the burst start is found to within 10 ms wherever it falls in a frame, in any block size', () => {
  for (const c of [CASES[0]!, CASES[4]!, CASES[8]!]) {
    for (const leadMs of [0, 3, 7, 11, 17, 23]) {
      for (const chunk of [1, 160, 333]) {
        const seen = run(cadence(c, { leadMs }), chunk);
        assert.equal(names(seen), [c.name], `${c.name} lead ${leadMs} chunk ${chunk}`);
        assert.ok(Math.abs(seen[0]!.atMs - leadMs) <= 10, `${c.name} lead ${leadMs}: at ${seen[0]!.atMs}`);
      }
    }
  }
});

test('tolerance: on and off times within ±18 % are recognised, ±22 % are not', () => {
  for (const c of CASES) {
    for (const scale of [0.82, 1.18]) {
      assert.equal(names(run(cadence(c, { onScale: scale, offScale: scale }))), [c.name], `${c.name} × ${scale}`);
      assert.equal(names(run(cadence(c, { onScale: scale }))), [c.name], `${c.name} on × ${scale}`);
      assert.equal(names(run(cadence(c, { offScale: scale }))), [c.name], `${c.name} off × ${scale}`);
    }
    for (const scale of [0.78, 1.22]) {
      assert.equal(run(cadence(c, { onScale: scale, offScale: scale })), [], `${c.name} × ${scale}`);
      assert.equal(run(cadence(c, { onScale: scale })), [], `${c.name} on × ${scale}`);
      assert.equal(run(cadence(c, { offScale: scale })), [], `${c.name} off × ${scale}`);
    }
  }
});

test('fewer than three cycles are not enough', () => {
  // Three bursts make only two complete cycles (the third off period is never closed).
  for (const c of [CASES[0]!, CASES[3]!, CASES[6]!]) {
    const period = c.onMs + c.offMs;
    const pcm = concat(toneCadence(c.freqs, c.onMs, c.offMs, (3 * period - c.offMs) / 1000, -20), silence(10_000));
    assert.equal(run(pcm), [], c.name);
  }
});

test('the frequency decides the family: a 425 Hz tone at the China busy cadence is not busy', () => {
  assert.equal(run(cadence({ name: '', freqs: [425], onMs: 350, offMs: 350 })), []);
  assert.equal(run(cadence({ name: '', freqs: [450], onMs: 500, offMs: 500 })), []);
  assert.equal(run(cadence({ name: '', freqs: [1000], onMs: 500, offMs: 500 })), []);
});

test('reported once while it goes on, again only after it stops and restarts', () => {
  const busy = CASES[0]!;
  assert.equal(names(run(cadence(busy, { cycles: 60 }))), ['cn busy'], '42 s of busy tone');
  const twice = concat(cadence(busy, { cycles: 6 }), silence(3000), cadence(busy, { cycles: 6 }));
  const seen = run(twice);
  assert.equal(names(seen), ['cn busy', 'cn busy']);
  assert.ok(Math.abs(seen[1]!.atMs - (333 + 4200 + 200 + 3000 + 333)) <= 10, `second at ${seen[1]!.atMs}`);
  // Busy turning into congestion: each reported when its own three cycles are seen.
  const change = concat(cadence(busy, { cycles: 5, leadMs: 0 }), cadence(CASES[1]!, { cycles: 5, leadMs: 0 }));
  assert.equal(names(run(change)), ['cn busy', 'cn congestion']);
  // A steady tone after the cadence stops it; the cadence coming back is new.
  const steady = concat(cadence(busy, { cycles: 5 }), toneCadence([450], 5000, 0, 5, -20), cadence(busy, { cycles: 5 }));
  assert.equal(names(run(steady)), ['cn busy', 'cn busy']);
});

test('levels from -10 to -33 dBm0 and white noise 10 dB below the tone', () => {
  for (const c of [CASES[0]!, CASES[4]!, CASES[6]!, CASES[8]!]) {
    for (const levelDbm0 of [-10, -33]) assert.equal(names(run(cadence(c, { levelDbm0 }))), [c.name], `${c.name} at ${levelDbm0} dBm0`);
    const tone = cadence(c, { levelDbm0: -20 });
    const noisy = mix(tone, whiteNoise(tone.length, -20 + 3 * (c.freqs.length - 1) - 10, 11));
    assert.equal(names(run(noisy)), [c.name], `${c.name} in noise`);
  }
  assert.equal(run(cadence(CASES[0]!, { levelDbm0: -45 })), [], 'below the detection level');
});

test('10 minutes of speech-like audio at several seeds and levels give no tone', () => {
  for (const [seed, level] of [[1, -12], [2, -20], [3, -6], [4, -26]] as const) {
    assert.equal(run(speechLike(600, seed, level)), [], `seed ${seed} at ${level} dBm0`);
  }
});

test('DTMF, dial tones and DTMF over speech give no tone', () => {
  assert.equal(run(dtmfDigits('0123456789*#ABCD'.repeat(4), { onMs: 350, offMs: 350 })), [], 'DTMF at the busy cadence');
  assert.equal(run(dtmfDigits('5'.repeat(40), { onMs: 500, offMs: 500 })), [], 'one digit at the ITU busy cadence');
  assert.equal(run(toneCadence([450], 30_000, 0, 30)), [], 'China dial tone');
  assert.equal(run(toneCadence([350, 440], 30_000, 0, 30)), [], 'US dial tone');
  const speech = speechLike(60, 9, -15);
  assert.equal(run(mix(speech, concat(silence(10_000), dtmfDigits('123456789', { onMs: 250, offMs: 250 })))), []);
});

test('reset forgets cycles already seen', () => {
  const det = new CallProgressDetector();
  const seen: CallProgressEvent[] = [];
  const first = cadence(CASES[0]!, { cycles: 2, leadMs: 0 });
  det.process(first, (e) => seen.push(e));
  det.reset();
  det.process(toneCadence([450], 350, 350, 1.75, -20), (e) => seen.push(e));
  assert.equal(seen, [], 'two cycles before and two after a reset');
  assert.is(det.current, null);
});

test.run();
