import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DBM0_PEAK,
  SAMPLE_RATE,
  callerIdFsk,
  callerIdMessageBytes,
  concat,
  dtmfCallerId,
  dtmfDigits,
  mix,
  silence,
  speechLike,
  toneCadence,
} from '../../firmware/sim/signals.ts';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const sum = (bytes: Uint8Array) => bytes.reduce((a, b) => a + b, 0) & 0xff;
const peak = (pcm: Int16Array) => pcm.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

test('a 0 dBm0 sine peaks at 3.14 dB below full scale', () => {
  assert.ok(Math.abs(DBM0_PEAK - 22827) < 1, String(DBM0_PEAK));
  const tone = toneCadence([1000], 1000, 0, 0.1, 0);
  assert.ok(Math.abs(peak(tone) - 22827) < 30);
});

test('silence, concat and mix produce the expected lengths; mix clips to 16 bits', () => {
  assert.is(SAMPLE_RATE, 8000);
  assert.is(silence(20).length, 160);
  assert.is(concat(silence(10), silence(5)).length, 120);
  const loud = new Int16Array(4).fill(30000);
  const mixed = mix(loud, Int16Array.of(10000, -10000));
  assert.equal(Array.from(mixed), [32767, 20000, 30000, 30000]);
});

test('dtmfDigits gives each digit on-time of tone and off-time of silence', () => {
  const pcm = dtmfDigits('1#', { onMs: 50, offMs: 30 });
  assert.is(pcm.length, 2 * 80 * 8);
  assert.ok(peak(pcm.subarray(0, 400)) > 0);
  assert.is(peak(pcm.subarray(400, 640)), 0);
  assert.ok(peak(pcm.subarray(640, 1040)) > 0);
  // Two tones at -10 dBm0 each: peaks add up to at most twice one tone's peak.
  assert.ok(peak(pcm) <= 2 * DBM0_PEAK * Math.pow(10, -10 / 20) + 1);
  assert.throws(() => dtmfDigits('x'));
});

test('dtmfCallerId frames the number with the start and end digits of the chosen form', () => {
  const onOff = (s: string) => dtmfDigits(s, { onMs: 60, offMs: 60, levelDbm0: -10 });
  assert.equal(dtmfCallerId('0612', 'A-C'), onOff('A0612C'));
  assert.equal(dtmfCallerId('0612', 'A-#'), onOff('A0612#'));
  assert.equal(dtmfCallerId('0612', 'D-#'), onOff('D0612#'));
});

test('toneCadence repeats on and off periods for the requested time', () => {
  const pcm = toneCadence([450], 350, 350, 2);
  assert.is(pcm.length, 16000);
  assert.ok(peak(pcm.subarray(0, 2800)) > 0);
  assert.is(peak(pcm.subarray(2800, 5600)), 0);
  assert.ok(peak(pcm.subarray(5600, 8400)) > 0);
});

test('callerIdMessageBytes lays out MDMF parameters as in GR-30 and ends with the two\'s-complement checksum', () => {
  const bytes = callerIdMessageBytes({ datetime: '03141526', number: '2015550123', name: 'DOE JOHN' }, 'mdmf');
  const body = [0x01, 8, ...ascii('03141526'), 0x02, 10, ...ascii('2015550123'), 0x07, 8, ...ascii('DOE JOHN')];
  assert.equal(Array.from(bytes.subarray(0, -1)), [0x80, body.length, ...body]);
  assert.is(sum(bytes), 0);
});

test('callerIdMessageBytes encodes withheld number and name as reason codes', () => {
  const bytes = callerIdMessageBytes({ datetime: '12312359', numberAbsence: 'private', nameAbsence: 'unavailable' }, 'mdmf');
  assert.equal(Array.from(bytes.subarray(12, -1)), [0x04, 1, 0x50, 0x08, 1, 0x4f]);
  assert.is(sum(bytes), 0);
});

test('callerIdMessageBytes builds SDMF as date-time then number, or O / P', () => {
  const sdmf = callerIdMessageBytes({ datetime: '03141526', number: '2015550123' }, 'sdmf');
  assert.equal(Array.from(sdmf.subarray(0, -1)), [0x04, 18, ...ascii('03141526'), ...ascii('2015550123')]);
  assert.is(sum(sdmf), 0);
  const out = callerIdMessageBytes({ datetime: '07040900', numberAbsence: 'unavailable' }, 'sdmf');
  assert.equal(Array.from(out.subarray(0, -1)), [0x04, 9, ...ascii('07040900'), 0x4f]);
});

test('callerIdFsk lasts seizure + marks + message + postamble at 1200 bit/s', () => {
  const fields = { number: '123' };
  const bytes = callerIdMessageBytes(fields, 'mdmf').length;
  const bits = 300 + 180 + 10 * bytes + 5;
  const pcm = callerIdFsk(fields);
  assert.is(pcm.length, Math.ceil((bits * 8000) / 1200));
  assert.ok(Math.abs(peak(pcm) - DBM0_PEAK * Math.pow(10, -13 / 20)) < 10);
  assert.ok(Math.abs(peak(callerIdFsk(fields, { standard: 'v23', levelDbm0: -20 })) - DBM0_PEAK * 0.1) < 10);
});

test('speechLike is deterministic for a seed and sits near the requested level', () => {
  const a = speechLike(3, 42);
  assert.equal(a, speechLike(3, 42));
  assert.not.equal(a, speechLike(3, 43));
  assert.is(a.length, 24000);
  let energy = 0;
  let active = 0;
  for (const v of a) {
    if (v === 0) continue;
    energy += v * v;
    active++;
  }
  const dbm0 = 20 * Math.log10(Math.sqrt(energy / active) / (DBM0_PEAK / Math.SQRT2));
  assert.ok(dbm0 > -23 && dbm0 < -17, `level ${dbm0.toFixed(1)} dBm0`);
  assert.ok(active < a.length, 'has pauses');
});

test.run();
