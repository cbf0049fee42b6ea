import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeDs1307, decodeEepromId, decodeLm75 } from '../../firmware/host/linux/i2c-decoders.ts';

test('LM75 words decode to half-degree temperatures, negative ones included', () => {
  assert.is(decodeLm75(0x1900), 25.0);
  assert.is(decodeLm75(0xe700), -25.0);
  assert.is(decodeLm75(0x0000), 0);
  assert.is(decodeLm75(0x0080), 0.5);
  assert.is(decodeLm75(0xff80), -0.5);
  assert.is(decodeLm75(0x7d00), 125.0);
  assert.is(decodeLm75(0xc900), -55.0);
  assert.is(decodeLm75(0x197f), 25.0, 'the unused low bits are ignored');
});

const utc = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h, mi, s);

test('DS1307 BCD registers decode to the UTC time they hold', () => {
  // 2024-02-29 23:59:58, Thursday
  assert.is(decodeDs1307(Uint8Array.from([0x58, 0x59, 0x23, 0x05, 0x29, 0x02, 0x24])), utc(2024, 2, 29, 23, 59, 58));
  // 2000-01-01 00:00:00
  assert.is(decodeDs1307(Uint8Array.from([0x00, 0x00, 0x00, 0x07, 0x01, 0x01, 0x00])), utc(2000, 1, 1, 0, 0, 0));
  // 2099-12-31 12:34:56
  assert.is(decodeDs1307(Uint8Array.from([0x56, 0x34, 0x12, 0x04, 0x31, 0x12, 0x99])), utc(2099, 12, 31, 12, 34, 56));
});

test('DS1307 12-hour mode is converted to 24 hours', () => {
  // 12 AM = 00 h, 12 PM = 12 h, 7 PM = 19 h
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0x52, 1, 0x10, 0x06, 0x25])), utc(2025, 6, 10, 0, 0, 0));
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0x72, 1, 0x10, 0x06, 0x25])), utc(2025, 6, 10, 12, 0, 0));
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0x67, 1, 0x10, 0x06, 0x25])), utc(2025, 6, 10, 19, 0, 0));
});

test('the DS3231 century bit in the month register is ignored', () => {
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0, 1, 0x15, 0x83, 0x30])), utc(2030, 3, 15, 0, 0, 0));
});

test('a halted oscillator, non-BCD nibbles and impossible dates give null', () => {
  assert.is(decodeDs1307(Uint8Array.from([0x80, 0, 0, 1, 1, 1, 0])), null, 'CH bit set');
  assert.is(decodeDs1307(Uint8Array.from([0x5a, 0, 0, 1, 1, 1, 0])), null, 'non-BCD seconds');
  assert.is(decodeDs1307(Uint8Array.from([0, 0x60, 0, 1, 1, 1, 0])), null, 'minute 60');
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0x24, 1, 1, 1, 0])), null, 'hour 24');
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0, 1, 0x00, 1, 0])), null, 'day 0');
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0, 1, 1, 0x13, 0])), null, 'month 13');
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0, 1, 0x30, 0x02, 0x25])), null, '30 February');
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0, 1, 0x29, 0x02, 0x25])), null, '29 February outside a leap year');
  assert.is(decodeDs1307(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])), null, 'bus reads all ones');
  assert.is(decodeDs1307(Uint8Array.from([0, 0, 0])), null, 'short read');
});

const ascii = (s: string, fill = 0xff, size = 32) => {
  const b = Buffer.alloc(size, fill);
  b.write(s, 'latin1');
  return b;
};

test('the EEPROM id is the printable text up to the first 0x00 or 0xFF', () => {
  assert.is(decodeEepromId(ascii('RDS8-2024-000123')), 'RDS8-2024-000123');
  assert.is(decodeEepromId(ascii('RDT64-77', 0x00)), 'RDT64-77');
  assert.is(decodeEepromId(ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345')), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345');
  assert.is(decodeEepromId(Buffer.from([0x41, 0x42, 0x00, 0x43])), 'AB', 'bytes after the terminator are ignored');
  assert.is(decodeEepromId(ascii('  SN 42  ')), 'SN 42');
});

test('a blank or garbled EEPROM gives null', () => {
  assert.is(decodeEepromId(Buffer.alloc(32, 0xff)), null);
  assert.is(decodeEepromId(Buffer.alloc(32, 0x00)), null);
  assert.is(decodeEepromId(ascii('   ')), null);
  assert.is(decodeEepromId(Buffer.from([0x41, 0x07, 0x42, 0x00])), null);
  assert.is(decodeEepromId(Buffer.from([0x41, 0x80, 0x00])), null);
});

test.run();
