import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CallerIdMessage } from '../../firmware/dsp/callerid-message.ts';
import { FskCallerIdReceiver } from '../../firmware/dsp/fsk-callerid.ts';
import { alawDecode, alawEncode } from '../../firmware/dsp/g711.ts';
import { type CallerIdFields, callerIdFsk, callerIdMessageBytes, concat, mix, silence, speechLike } from '../../firmware/sim/signals.ts';
import { fskModulate, whiteNoise } from './helpers.ts';

const STANDARDS = ['bell202', 'v23'] as const;

function receive(standard: 'bell202' | 'v23', pcm: Int16Array, chunk = 160): CallerIdMessage[] {
  const rx = new FskCallerIdReceiver(standard);
  const out: CallerIdMessage[] = [];
  for (let i = 0; i < pcm.length; i += chunk) rx.process(pcm.subarray(i, i + chunk), (m) => out.push(m));
  return out;
}

function fieldsOf(m: CallerIdMessage) {
  const { raw: _raw, endSample: _end, standard: _standard, ...fields } = m;
  return fields;
}

const full: CallerIdFields = { datetime: '03141526', number: '2015550123', name: 'DOE JOHN' };

for (const standard of STANDARDS) {
  test(`${standard}: MDMF with date-time, number and name round trips, ending at the end of the burst`, () => {
    const burst = callerIdFsk(full, { standard });
    const got = receive(standard, concat(silence(300), burst, silence(300)));
    assert.is(got.length, 1);
    assert.equal(fieldsOf(got[0]!), { format: 'mdmf', ...full });
    assert.is(got[0]!.standard, standard);
    assert.equal(Array.from(got[0]!.raw), Array.from(callerIdMessageBytes(full, 'mdmf').subarray(0, -1)));
    // The checksum's stop bit ends 5 mark bits (33 samples) before the burst does.
    const stopBitEnd = 2400 + burst.length - 33;
    assert.ok(Math.abs(got[0]!.endSample - stopBitEnd) <= 16, `ended at ${got[0]!.endSample}, expected ~${stopBitEnd}`);
  });

  test(`${standard}: SDMF with date-time and number round trips`, () => {
    const fields = { datetime: '12312359', number: '5551234' };
    const got = receive(standard, concat(silence(100), callerIdFsk(fields, { standard, format: 'sdmf' }), silence(100)));
    assert.equal(got.map(fieldsOf), [{ format: 'sdmf', ...fields }]);
  });

  test(`${standard}: withheld number and name come through as absence reasons`, () => {
    const mdmf: CallerIdFields = { datetime: '02290001', numberAbsence: 'private', nameAbsence: 'private' };
    const sdmf: CallerIdFields = { datetime: '07040900', numberAbsence: 'unavailable' };
    const pcm = concat(callerIdFsk(mdmf, { standard }), silence(500), callerIdFsk(sdmf, { standard, format: 'sdmf' }), silence(100));
    assert.equal(receive(standard, pcm).map(fieldsOf), [
      { format: 'mdmf', ...mdmf },
      { format: 'sdmf', ...sdmf },
    ]);
  });

  test(`${standard}: a corrupted checksum yields nothing, and the next good burst is still decoded`, () => {
    const bytes = callerIdMessageBytes(full, 'mdmf');
    const bad = bytes.slice();
    bad[bad.length - 1]! ^= 0x01;
    const pcm = concat(fskModulate(bad, standard), silence(500), fskModulate(bytes, standard), silence(100));
    assert.equal(receive(standard, pcm).map(fieldsOf), [{ format: 'mdmf', ...full }]);
  });

  test(`${standard}: survives white noise 15 dB below the FSK, the A-law path and -30 dBm0`, () => {
    const burst = concat(silence(200), callerIdFsk(full, { standard }), silence(200));
    for (const seed of [1, 2, 3]) {
      assert.is(receive(standard, mix(burst, whiteNoise(burst.length, -28, seed))).length, 1, `noise seed ${seed}`);
    }
    assert.is(receive(standard, alawDecode(alawEncode(burst))).length, 1);
    assert.is(receive(standard, concat(callerIdFsk(full, { standard, levelDbm0: -30 }), silence(100))).length, 1);
    assert.is(receive(standard, concat(callerIdFsk(full, { standard, levelDbm0: -50 }), silence(100))).length, 0);
  });

  test(`${standard}: a message needs a run of mark bits before it`, () => {
    const bytes = callerIdMessageBytes(full, 'mdmf');
    assert.is(receive(standard, concat(fskModulate(bytes, standard, 10), silence(100))).length, 0);
    assert.is(receive(standard, concat(fskModulate(bytes, standard, 60), silence(100))).length, 1);
  });

  test(`${standard}: results do not depend on how the input is cut into calls`, () => {
    const pcm = concat(silence(123), callerIdFsk(full, { standard }), silence(100));
    const whole = receive(standard, pcm, pcm.length);
    assert.is(whole.length, 1);
    for (const chunk of [1, 7, 80, 160, 333]) assert.equal(receive(standard, pcm, chunk), whole, `chunk ${chunk}`);
  });
}

test('the Bell 202 receiver ignores V.23 and the V.23 receiver ignores Bell 202', () => {
  assert.is(receive('bell202', callerIdFsk(full, { standard: 'v23' })).length, 0);
  assert.is(receive('v23', callerIdFsk(full, { standard: 'bell202' })).length, 0);
});

test('30 s of speech-like audio yields no message', () => {
  const speech = speechLike(30, 7, -10);
  for (const standard of STANDARDS) assert.is(receive(standard, speech).length, 0);
});

test('reset drops a message in progress', () => {
  const rx = new FskCallerIdReceiver('bell202');
  const got: CallerIdMessage[] = [];
  const burst = callerIdFsk(full);
  rx.process(burst.subarray(0, burst.length - 400), (m) => got.push(m));
  rx.reset();
  rx.process(burst.subarray(burst.length - 400), (m) => got.push(m));
  assert.is(got.length, 0);
});

test.run();
