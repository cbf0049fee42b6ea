import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallerIdMessage } from '../../firmware/dsp/callerid-message.ts';
import { ChannelSignalDetector } from '../../firmware/dsp/channel-detector.ts';
import { callerIdFsk, concat, dtmfCallerId, dtmfDigits, silence, speechLike, toneCadence } from '../../firmware/sim/signals.ts';

interface Seen {
  digits: Array<{ digit: string; atMs: number }>;
  callerIds: Array<{ message: CallerIdMessage; atMs: number }>;
}

/** Feeds the signal in 20 ms blocks on a channel time line starting at `t0Ms`. */
function run(pcm: Int16Array, t0Ms = 0, detector?: ChannelSignalDetector, seen?: Seen): Seen {
  const out: Seen = seen ?? { digits: [], callerIds: [] };
  const det =
    detector ??
    new ChannelSignalDetector({
      onDigit: (digit, atMs) => out.digits.push({ digit, atMs }),
      onCallerId: (message, atMs) => out.callerIds.push({ message, atMs }),
    });
  for (let i = 0; i < pcm.length; i += 160) det.process(pcm.subarray(i, i + 160), t0Ms + i / 8);
  return out;
}

const fields = { datetime: '01020304', number: '8005551234', name: 'SMITH ANN' };

test('caller ID between silences, then DTMF digits: one caller ID when the burst ends, each digit at its start', () => {
  const burst = callerIdFsk(fields);
  const pcm = concat(silence(500), burst, silence(1000), dtmfDigits('159'), silence(500));
  const seen = run(pcm, 10_000);
  assert.is(seen.callerIds.length, 1);
  const { message, atMs } = seen.callerIds[0]!;
  assert.equal([message.format, message.standard, message.number, message.name, message.datetime], ['mdmf', 'bell202', '8005551234', 'SMITH ANN', '01020304']);
  const burstEndMs = 10_000 + 500 + burst.length / 8;
  assert.ok(atMs > burstEndMs - 10 && atMs <= burstEndMs, `caller ID at ${atMs}, burst ends ${burstEndMs}`);
  assert.equal(seen.digits.map((d) => d.digit), ['1', '5', '9']);
  const digitsStartMs = burstEndMs + 1000;
  seen.digits.forEach((d, i) => assert.ok(Math.abs(d.atMs - (digitsStartMs + i * 160)) <= 15, `${d.digit} at ${d.atMs}`));
});

test('a V.23 burst is reported once, as V.23, though both FSK receivers listen', () => {
  const seen = run(concat(silence(200), callerIdFsk(fields, { standard: 'v23' }), silence(300)));
  assert.equal(seen.callerIds.map((c) => [c.message.standard, c.message.number]), [['v23', '8005551234']]);
  assert.is(seen.digits.length, 0);
});

test('DTMF caller ID is reported as a caller-ID message, not as digits', () => {
  const clip = dtmfCallerId('0612345678', 'A-C');
  const seen = run(concat(silence(300), clip, silence(2500)));
  assert.is(seen.digits.length, 0);
  assert.is(seen.callerIds.length, 1);
  const { message, atMs } = seen.callerIds[0]!;
  assert.equal([message.format, message.standard, message.number], ['dtmf', 'dtmf', '0612345678']);
  assert.is(Buffer.from(message.raw).toString('latin1'), 'A0612345678C');
  const lastToneEndMs = 300 + clip.length / 8 - 60;
  assert.ok(Math.abs(atMs - lastToneEndMs) <= 15, `at ${atMs}, last tone ends ${lastToneEndMs}`);
});

test('DTMF absence codes B10C and D1# report a private number', () => {
  for (const code of ['B10C', 'D1#']) {
    const seen = run(concat(silence(100), dtmfDigits(code, { onMs: 60, offMs: 60 }), silence(2500)));
    assert.equal(seen.callerIds.map((c) => c.message.numberAbsence), ['private'], code);
    assert.is(seen.digits.length, 0);
  }
});

test('a DTMF string that is not caller ID comes back as plain digits with their own times', () => {
  const broken = run(concat(silence(100), dtmfDigits('A12', { onMs: 60, offMs: 60 }), silence(2500)));
  assert.equal(broken.digits.map((d) => d.digit), ['A', '1', '2']);
  broken.digits.forEach((d, i) => assert.ok(Math.abs(d.atMs - (100 + i * 120)) <= 15, `${d.digit} at ${d.atMs}`));
  const star = run(concat(silence(100), dtmfDigits('A1*5#', { onMs: 60, offMs: 60 }), silence(2500)));
  assert.equal(star.digits.map((d) => d.digit).join(''), 'A1*5#');
  assert.is(broken.callerIds.length + star.callerIds.length, 0);
});

test('level is the smoothed peak sample value: steady input reads its peak, silence brings it down', () => {
  const det = new ChannelSignalDetector({ onDigit() {}, onCallerId() {} });
  const block = Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 1000 : -2000));
  for (let t = 0; t < 200; t += 20) det.process(block, t);
  assert.ok(Math.abs(det.level - 2000) < 1, `level ${det.level}`);
  det.process(new Int16Array(160), 200);
  assert.ok(det.level > 1000 && det.level < 2000, `20 ms later: ${det.level}`);
  for (let t = 220; t < 1000; t += 20) det.process(new Int16Array(160), t);
  assert.ok(det.level < 10, `800 ms later: ${det.level}`);
});

test('voice activity, every DTMF tone and call-progress tones are reported on the channel time line', () => {
  const voice: Array<[boolean, number]> = [];
  const dtmf: Array<[string, number, number]> = [];
  const tones: Array<[string, number]> = [];
  const det = new ChannelSignalDetector({
    onDigit() {},
    onCallerId() {},
    onVoice: (active, atMs) => voice.push([active, atMs]),
    onDtmf: (digit, onMs, offMs) => dtmf.push([digit, onMs, offMs]),
    onTone: (tone, atMs) => tones.push([tone, atMs]),
  });
  det.configureVoice({ speechThreshold: 1000, silenceMs: 2000 });
  const pcm = concat(silence(500), speechLike(3, 5, -12), silence(2500), dtmfCallerId('123', 'A-C'), silence(500), toneCadence([450], 350, 350, 3.5, -20));
  run(pcm, 60_000, det);
  assert.equal(voice.map(([a]) => a), [true, false, true], 'speech; and the tones, loud enough for this threshold');
  assert.ok(voice[0]![1] >= 60_500 && voice[0]![1] < 60_800, `speech at ${voice[0]![1]}`);
  assert.equal(dtmf.map(([d]) => d).join(''), 'A123C', 'caller-ID digits too');
  const firstTone = 60_000 + 500 + 3000 + 2500;
  dtmf.forEach(([d, on, off], i) => {
    assert.ok(Math.abs(on - (firstTone + i * 120)) <= 15 && Math.abs(off - (firstTone + i * 120 + 60)) <= 15, `${d} ${on}-${off}`);
  });
  const busyAt = firstTone + 5 * 120 + 500;
  assert.is(tones.length, 1);
  assert.is(tones[0]![0], 'busy');
  assert.ok(Math.abs(tones[0]![1] - busyAt) <= 10, `busy at ${tones[0]![1]}, tone from ${busyAt}`);
  assert.is(det.tone, 'busy');
  assert.is(det.voiceActive, true);
});

test('without an onTone listener no call-progress tone is followed', () => {
  const det = new ChannelSignalDetector({ onDigit() {}, onCallerId() {} });
  run(toneCadence([450], 350, 350, 4, -20), 0, det);
  assert.is(det.tone, null);
});

test('30 s of speech-like audio yields no digit and no caller ID', () => {
  for (const seed of [1, 2]) {
    const seen = run(speechLike(30, seed, -12));
    assert.is(seen.digits.length, 0, `seed ${seed}`);
    assert.is(seen.callerIds.length, 0, `seed ${seed}`);
  }
});

test('reset forgets collected DTMF caller-ID digits', () => {
  const seen: Seen = { digits: [], callerIds: [] };
  const det = new ChannelSignalDetector({
    onDigit: (digit, atMs) => seen.digits.push({ digit, atMs }),
    onCallerId: (message, atMs) => seen.callerIds.push({ message, atMs }),
  });
  run(concat(silence(100), dtmfDigits('A061', { onMs: 60, offMs: 60 })), 0, det, seen);
  det.reset();
  run(concat(dtmfDigits('2345C', { onMs: 60, offMs: 60 }), silence(2500)), 1000, det, seen);
  assert.is(seen.callerIds.length, 0);
  assert.equal(seen.digits.map((d) => d.digit).join(''), '2345C');
});

test.run();
