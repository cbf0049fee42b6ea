import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChannelSignalDetector, type CallerIdMode } from '../../firmware/dsp/channel-detector.ts';
import { callerIdFsk, concat, dtmfCallerId, dtmfDigits, silence } from '../../firmware/sim/signals.ts';

interface Heard {
  digits: string;
  callerIds: Array<[string, string]>;
}

function detector(heard: Heard, mode?: CallerIdMode): ChannelSignalDetector {
  const det = new ChannelSignalDetector({
    onDigit: (digit) => (heard.digits += digit),
    onCallerId: (m) => heard.callerIds.push([m.format === 'dtmf' ? 'dtmf' : 'fsk', m.number ?? '']),
  });
  if (mode) det.configureCallerId(mode);
  return det;
}

function feed(det: ChannelSignalDetector, pcm: Int16Array, t0Ms = 0): number {
  for (let i = 0; i < pcm.length; i += 160) det.process(pcm.subarray(i, i + 160), t0Ms + i / 8);
  return t0Ms + pcm.length / 8;
}

/** An FSK caller ID, a DTMF caller ID, then a dialled number: what each mode hears. */
const line = concat(
  silence(300),
  callerIdFsk({ number: '13800138000', name: 'LI' }),
  silence(1500),
  dtmfCallerId('02088886666', 'A-C'),
  silence(2500),
  dtmfDigits('5551234'),
  silence(2500),
);

test('FSK/DTMF (the default) reports both caller IDs and the dialled digits', () => {
  const heard: Heard = { digits: '', callerIds: [] };
  const det = detector(heard);
  assert.is(det.callerIdMode, 'fsk-dtmf');
  feed(det, line);
  assert.equal(heard.callerIds, [['fsk', '13800138000'], ['dtmf', '02088886666']]);
  assert.is(heard.digits, '5551234');
});

test('FSK mode ignores DTMF caller ID: its tones are plain digits, the FSK caller ID is reported', () => {
  const heard: Heard = { digits: '', callerIds: [] };
  feed(detector(heard, 'fsk'), line);
  assert.equal(heard.callerIds, [['fsk', '13800138000']]);
  assert.is(heard.digits, 'A02088886666C5551234');
});

test('DTMF mode ignores an FSK burst: no caller ID and no digit from it', () => {
  const heard: Heard = { digits: '', callerIds: [] };
  feed(detector(heard, 'dtmf'), line);
  assert.equal(heard.callerIds, [['dtmf', '02088886666']]);
  assert.is(heard.digits, '5551234');
});

test('dialled digits, A to D included, are heard in every mode', () => {
  for (const mode of ['fsk-dtmf', 'fsk', 'dtmf'] as const) {
    const heard: Heard = { digits: '', callerIds: [] };
    feed(detector(heard, mode), concat(silence(200), dtmfDigits('0123456789*#'), silence(1500), dtmfDigits('B7', { onMs: 80, offMs: 1500 }), silence(2500)));
    assert.is(heard.digits, '0123456789*#B7', mode);
    assert.is(heard.callerIds.length, 0, mode);
  }
});

test('the mode changes at run time, on a running detector', () => {
  const heard: Heard = { digits: '', callerIds: [] };
  const det = detector(heard);
  const burst = concat(silence(300), callerIdFsk({ number: '8005551234' }), silence(500));
  let t = feed(det, burst);
  det.configureCallerId('dtmf');
  t = feed(det, burst, t);
  det.configureCallerId('fsk');
  t = feed(det, burst, t);
  assert.equal(heard.callerIds, [['fsk', '8005551234'], ['fsk', '8005551234']], 'heard before and after, not while off');
  feed(det, concat(dtmfCallerId('123', 'D-#'), silence(2500)), t);
  assert.is(heard.callerIds.length, 2, 'DTMF caller ID now off');
  assert.is(heard.digits, 'D123#');
});

test('switching DTMF caller ID off in the middle of a string hands its digits back', () => {
  const heard: Heard = { digits: '', callerIds: [] };
  const det = detector(heard);
  const t = feed(det, concat(silence(100), dtmfDigits('A061', { onMs: 60, offMs: 60 })));
  assert.is(heard.digits, '');
  det.configureCallerId('fsk');
  assert.is(heard.digits, 'A061', 'the digits heard so far');
  feed(det, concat(dtmfDigits('2C', { onMs: 60, offMs: 60 }), silence(500)), t);
  assert.is(heard.digits, 'A0612C');
  assert.is(heard.callerIds.length, 0);
});

test.run();
