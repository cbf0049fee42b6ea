import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCallerIdMessage } from '../../firmware/dsp/callerid-message.ts';
import { callerIdMessageBytes } from '../../firmware/sim/signals.ts';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
function withChecksum(bytes: number[]): Uint8Array {
  const sum = bytes.reduce((a, b) => a + b, 0);
  return Uint8Array.from([...bytes, -sum & 0xff]);
}
function fieldsOf(m: ReturnType<typeof parseCallerIdMessage>) {
  if (!m) return null;
  const { raw: _raw, ...fields } = m;
  return fields;
}

test('MDMF with date-time, number and name parses into those fields; raw omits the checksum', () => {
  const bytes = callerIdMessageBytes({ datetime: '03141526', number: '2015550123', name: 'DOE JOHN' }, 'mdmf');
  const m = parseCallerIdMessage(bytes);
  assert.equal(fieldsOf(m), { format: 'mdmf', datetime: '03141526', number: '2015550123', name: 'DOE JOHN' });
  assert.equal(Array.from(m!.raw), Array.from(bytes.subarray(0, -1)));
});

test('MDMF reasons for absence: P is private, O is unavailable', () => {
  const m = parseCallerIdMessage(callerIdMessageBytes({ datetime: '02290001', numberAbsence: 'private', nameAbsence: 'unavailable' }, 'mdmf'));
  assert.equal(fieldsOf(m), { format: 'mdmf', datetime: '02290001', numberAbsence: 'private', nameAbsence: 'unavailable' });
});

test('ETSI parameters without caller-ID meaning (call type 0x11) are skipped', () => {
  const body = [0x11, 1, 0x01, 0x01, 8, ...ascii('11051942'), 0x02, 4, ...ascii('0163')];
  const m = parseCallerIdMessage(withChecksum([0x80, body.length, ...body]));
  assert.equal(fieldsOf(m), { format: 'mdmf', datetime: '11051942', number: '0163' });
});

test('SDMF gives date-time and number, or the O / P absence code', () => {
  assert.equal(fieldsOf(parseCallerIdMessage(callerIdMessageBytes({ datetime: '03141526', number: '2015550123' }, 'sdmf'))), {
    format: 'sdmf',
    datetime: '03141526',
    number: '2015550123',
  });
  assert.equal(fieldsOf(parseCallerIdMessage(withChecksum([0x04, 9, ...ascii('07040900O')]))), {
    format: 'sdmf',
    datetime: '07040900',
    numberAbsence: 'unavailable',
  });
  assert.equal(fieldsOf(parseCallerIdMessage(withChecksum([0x04, 9, ...ascii('07040900P')]))), {
    format: 'sdmf',
    datetime: '07040900',
    numberAbsence: 'private',
  });
});

test('a wrong checksum, length or message type gives null', () => {
  const good = callerIdMessageBytes({ datetime: '03141526', number: '2015550123' }, 'mdmf');
  assert.ok(parseCallerIdMessage(good));
  const badSum = good.slice();
  badSum[badSum.length - 1]! ^= 1;
  assert.is(parseCallerIdMessage(badSum), null);
  assert.is(parseCallerIdMessage(good.subarray(0, -2)), null);
  assert.is(parseCallerIdMessage(withChecksum([0x82, 3, 0x0b, 1, 0xff])), null, 'message waiting is not caller ID');
  assert.is(parseCallerIdMessage(withChecksum([0x80, 4, 0x02, 9, 0x31, 0x32])), null, 'parameter overruns the message');
  assert.is(parseCallerIdMessage(withChecksum([0x04, 3, ...ascii('123')])), null, 'SDMF without date-time');
  assert.is(parseCallerIdMessage(new Uint8Array(0)), null);
});

test.run();
