import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDtmfCallerId } from '../../firmware/dsp/dtmf-callerid.ts';

test('A…C, A…#, D…# and D…C carry the calling number', () => {
  assert.equal(parseDtmfCallerId('A0612345678C'), { number: '0612345678' });
  assert.equal(parseDtmfCallerId('A0612345678#'), { number: '0612345678' });
  assert.equal(parseDtmfCallerId('D0612345678#'), { number: '0612345678' });
  assert.equal(parseDtmfCallerId('D0612345678C'), { number: '0612345678' });
});

test('B00 is an unavailable number, B10 a private one', () => {
  assert.equal(parseDtmfCallerId('B00C'), { numberAbsence: 'unavailable' });
  assert.equal(parseDtmfCallerId('B10C'), { numberAbsence: 'private' });
  assert.equal(parseDtmfCallerId('B10#'), { numberAbsence: 'private' });
});

test('D1# is a private number, D2# and D3# unavailable ones', () => {
  assert.equal(parseDtmfCallerId('D1#'), { numberAbsence: 'private' });
  assert.equal(parseDtmfCallerId('D2#'), { numberAbsence: 'unavailable' });
  assert.equal(parseDtmfCallerId('D3#'), { numberAbsence: 'unavailable' });
});

test('strings without a start or end digit, or with letters inside, are not caller ID', () => {
  for (const s of ['', 'AC', '0612345C', 'A0612345', 'A06*12C', 'A06B12C', 'C0612#', '*0612#', 'B1C', 'B89C']) {
    assert.is(parseDtmfCallerId(s), null, s);
  }
});

test.run();
