import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { crc16 } from '../../firmware/linecard/crc16.ts';

test('crc16 matches the CRC-16/CCITT-FALSE check value for "123456789"', () => {
  assert.is(crc16(Buffer.from('123456789', 'latin1')), 0x29b1);
});

test('crc16 of an empty range is the initial value', () => {
  assert.is(crc16(new Uint8Array(0)), 0xffff);
});

test.run();
