/**
 * Decoders for the board's I2C devices, kept free of I/O so they can be checked
 * against datasheet byte patterns.
 */

/**
 * LM75 temperature register (MSB first, as read from the device): 9-bit two's
 * complement in the top bits, 0.5 °C per step. 0x1900 → 25.0, 0xE700 → -25.0.
 */
export function decodeLm75(word: number): number {
  const raw = (word >> 7) & 0x1ff;
  return (raw & 0x100 ? raw - 0x200 : raw) / 2;
}

function bcd(byte: number): number | null {
  const hi = byte >> 4;
  const lo = byte & 0x0f;
  return hi > 9 || lo > 9 ? null : hi * 10 + lo;
}

/**
 * DS1307/DS3231 time registers 0..6 (seconds, minutes, hours, weekday, date,
 * month, year; BCD) as ms since the epoch, the RTC being kept in UTC. Years are
 * 2000..2099. Returns null for a stopped DS1307 oscillator (CH bit) or values
 * that are not a real date and time.
 */
export function decodeDs1307(bytes: Uint8Array): number | null {
  if (bytes.length < 7) return null;
  if (bytes[0]! & 0x80) return null;
  const second = bcd(bytes[0]! & 0x7f);
  const minute = bcd(bytes[1]! & 0x7f);
  const hourReg = bytes[2]!;
  let hour: number | null;
  if (hourReg & 0x40) {
    // 12-hour mode: bit 5 is PM, hours 1..12.
    const h12 = bcd(hourReg & 0x1f);
    hour = h12 === null || h12 < 1 || h12 > 12 ? null : (h12 % 12) + (hourReg & 0x20 ? 12 : 0);
  } else hour = bcd(hourReg & 0x3f);
  const day = bcd(bytes[4]! & 0x3f);
  // Bit 7 of the month register is the DS3231 century flag; the range is 2000..2099.
  const month = bcd(bytes[5]! & 0x1f);
  const year = bcd(bytes[6]!);
  if (second === null || minute === null || hour === null || day === null || month === null || year === null) {
    return null;
  }
  if (second > 59 || minute > 59 || hour > 23 || month < 1 || month > 12 || day < 1) return null;
  const ms = Date.UTC(2000 + year, month - 1, day, hour, minute, second);
  // Reject days past the end of the month (Date.UTC would roll them over).
  return new Date(ms).getUTCDate() === day ? ms : null;
}

/**
 * Board id from the ID EEPROM: printable ASCII up to the first 0x00 or 0xFF,
 * trimmed. Null for a blank EEPROM or one holding anything else.
 */
export function decodeEepromId(bytes: Uint8Array): string | null {
  let text = '';
  for (const b of bytes) {
    if (b === 0x00 || b === 0xff) break;
    if (b < 0x20 || b > 0x7e) return null;
    text += String.fromCharCode(b);
  }
  text = text.trim();
  return text.length > 0 ? text : null;
}
