import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_VOICE_SETTINGS, VoiceActivityDetector, type VoiceSettings } from '../../firmware/dsp/voice-activity.ts';
import { concat, silence, speechLike } from '../../firmware/sim/signals.ts';
import { whiteNoise } from './helpers.ts';

interface VoiceEvent {
  active: boolean;
  /** When the change happened (start of speech / of the silence), ms. */
  atMs: number;
  /** End of the block during which it was reported, ms. */
  reportedMs: number;
}

function run(pcm: Int16Array, settings: Partial<VoiceSettings> = {}, chunk = 160): VoiceEvent[] {
  const vad = new VoiceActivityDetector(settings);
  const out: VoiceEvent[] = [];
  for (let i = 0; i < pcm.length; i += chunk) {
    const block = pcm.subarray(i, i + chunk);
    vad.process(block, (active, sample) => out.push({ active, atMs: sample / 8, reportedMs: (i + block.length) / 8 }));
  }
  return out;
}

/** A signal whose level (mean absolute value) is exactly `level`: ±level alternating. */
function steady(level: number, ms: number): Int16Array {
  return Int16Array.from({ length: ms * 8 }, (_, i) => (i % 2 ? level : -level));
}

const summary = (events: VoiceEvent[]) => events.map((e) => `${e.active ? 'start' : 'end'}@${e.atMs}`);

test('defaults are the manual factory values: speech above 3000, silence below it, 7000 ms', () => {
  assert.equal(new VoiceActivityDetector().settings, { speechThreshold: 3000, silenceThreshold: 0, silenceMs: 7000 });
  assert.equal(DEFAULT_VOICE_SETTINGS, { speechThreshold: 3000, silenceThreshold: 0, silenceMs: 7000 });
});

test('speech starts when it begins and is reported 60 ms later; it ends when the silence began, reported 7 s later', () => {
  const events = run(concat(silence(500), steady(6000, 1000), silence(9000)));
  assert.equal(summary(events), ['start@500', 'end@1500']);
  assert.is(events[0]!.reportedMs, 560);
  assert.is(events[1]!.reportedMs, 8500);
});

test('block size does not change the events', () => {
  const pcm = concat(silence(333), steady(5000, 777), silence(7500), steady(5000, 100), silence(200));
  const reference = summary(run(pcm));
  for (const chunk of [1, 37, 80, 1000]) assert.equal(summary(run(pcm, {}, chunk)), reference, `chunk ${chunk}`);
  assert.equal(reference, ['start@330', 'end@1110', 'start@8610']);
});

test('hangover: 60 ms of loud frames start speech across gaps of up to 20 ms, not across longer gaps', () => {
  assert.equal(summary(run(concat(silence(100), steady(6000, 50), silence(8000)))), [], 'a 50 ms burst');
  assert.equal(summary(run(concat(silence(100), steady(6000, 30), silence(20), steady(6000, 30), silence(8000)))), ['start@100', 'end@180']);
  assert.equal(summary(run(concat(silence(100), steady(6000, 40), silence(30), steady(6000, 40), silence(8000)))), [], 'a 30 ms gap');
  // Clicks every 50 ms never add up.
  const clicks: Int16Array[] = [];
  for (let i = 0; i < 100; i++) clicks.push(steady(20000, 10), silence(40));
  assert.equal(run(concat(...clicks)), []);
});

test('the speech threshold is respected and can be changed', () => {
  const pcm = concat(silence(100), steady(2900, 2000), silence(8000));
  assert.equal(run(pcm), [], '2900 is below the default 3000');
  assert.equal(summary(run(concat(silence(100), steady(3100, 2000), silence(8000)))), ['start@100', 'end@2100']);
  assert.equal(summary(run(pcm, { speechThreshold: 2500 })), ['start@100', 'end@2100']);
});

test('a silence threshold below the speech threshold keeps quieter sound counting as speech', () => {
  const pcm = concat(silence(100), steady(6000, 500), steady(1000, 10_000), silence(8000));
  assert.equal(summary(run(pcm)), ['start@100', 'end@600'], 'default: quieter than 3000 is silence');
  assert.equal(summary(run(pcm, { silenceThreshold: 300 })), ['start@100', 'end@10600']);
  // A silence threshold above the speech threshold acts as the speech threshold.
  assert.equal(summary(run(pcm, { silenceThreshold: 9000 })), ['start@100', 'end@600']);
});

test('the silence duration sets how long a pause ends speech', () => {
  const pcm = concat(silence(100), steady(6000, 500), silence(3000), steady(6000, 500), silence(8000));
  assert.equal(summary(run(pcm)), ['start@100', 'end@4100']);
  const short = run(pcm, { silenceMs: 2000 });
  assert.equal(summary(short), ['start@100', 'end@600', 'start@3600', 'end@4100']);
  assert.is(short[1]!.reportedMs, 2600);
});

test('speech-like audio: one start at its beginning and one end after it, pauses between phrases included', () => {
  for (const seed of [1, 2, 3]) {
    const speech = concat(speechLike(6, seed, -12), silence(3000), speechLike(4, seed + 10, -12));
    let first = 0;
    while (speech[first] === 0) first++;
    let last = speech.length - 1;
    while (speech[last] === 0) last--;
    const events = run(concat(silence(1000), speech, silence(8000)));
    assert.equal(events.map((e) => e.active), [true, false], `seed ${seed}`);
    const [start, end] = events as [VoiceEvent, VoiceEvent];
    assert.ok(start.atMs >= 1000 + first / 8 - 10 && start.atMs <= 1000 + first / 8 + 200, `seed ${seed}: start at ${start.atMs}`);
    assert.ok(end.atMs <= 1000 + last / 8 + 10 && end.atMs >= 1000 + last / 8 - 500, `seed ${seed}: end at ${end.atMs}`);
    // Reported in the 20 ms block during which the 7 s of silence completed.
    assert.ok(end.reportedMs - end.atMs >= 7000 && end.reportedMs - end.atMs < 7020, `seed ${seed}: reported at ${end.reportedMs}`);
    // With a 2 s silence duration the 3 s pause splits it in two.
    assert.equal(run(concat(silence(1000), speech, silence(3000)), { silenceMs: 2000 }).map((e) => e.active), [true, false, true, false]);
  }
});

test('faint crosstalk and line noise stay below the default speech threshold', () => {
  assert.equal(run(speechLike(30, 4, -40)), []);
  assert.equal(run(whiteNoise(8000 * 30, -40, 5)), []);
});

test('level meter: a steady signal reads its peak value; after it, the reading falls over a few hundred ms', () => {
  const vad = new VoiceActivityDetector();
  vad.process(steady(2000, 200), () => {});
  assert.ok(Math.abs(vad.level - 2000) < 1, `level ${vad.level}`);
  assert.is(vad.lastFrameLevel, 2000);
  vad.process(silence(20), () => {});
  assert.ok(vad.level > 1500 && vad.level < 2000, `20 ms after: ${vad.level}`);
  vad.process(silence(480), () => {});
  assert.ok(vad.level < 20, `500 ms after: ${vad.level}`);
  vad.process(steady(32767, 100), () => {});
  assert.ok(vad.level <= 32767 && vad.level > 32000, `full scale: ${vad.level}`);
  vad.reset();
  assert.is(vad.level, 0);
});

test('settings out of range are refused and leave the old ones in place', () => {
  const vad = new VoiceActivityDetector({ speechThreshold: 2000 });
  assert.throws(() => vad.configure({ speechThreshold: -1 }), RangeError);
  assert.throws(() => vad.configure({ silenceThreshold: 40000 }), RangeError);
  assert.throws(() => vad.configure({ silenceMs: Number.NaN }), RangeError);
  assert.equal(vad.settings, { speechThreshold: 2000, silenceThreshold: 0, silenceMs: 7000 });
});

test.run();
