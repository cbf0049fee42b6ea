import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallerIdMessage } from '../../firmware/dsp/callerid-message.ts';
import { ChannelSignalDetector } from '../../firmware/dsp/channel-detector.ts';
import { callerIdFsk, concat, dtmfCallerId, dtmfDigits, silence, speechLike } from '../../firmware/sim/signals.ts';

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

test('level is the mean absolute sample value of the last block', () => {
  const det = new ChannelSignalDetector({ onDigit() {}, onCallerId() {} });
  det.process(Int16Array.from({ length: 160 }, (_, i) => (i % 2 ? 1000 : -3000)), 0);
  assert.is(det.level, 2000);
  det.process(new Int16Array(160), 20);
  assert.is(det.level, 0);
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
