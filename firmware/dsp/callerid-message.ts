/**
 * Caller-ID messages: the decoded form shared by the FSK and DTMF caller-ID
 * receivers, and the parser for FSK message bytes (Telcordia GR-30 and
 * ETSI EN 300 659-3, which use the same layout and parameter codes):
 *
 *   type, length, body…, checksum   (checksum: sum of all bytes ≡ 0 mod 256)
 *
 * - 0x80 MDMF (call setup): body is a list of parameters id, length, value.
 *   0x01 date-time 'MMDDHHMM', 0x02 calling number, 0x04 reason for absence
 *   of number, 0x07 name, 0x08 reason for absence of name ('O' unavailable /
 *   out of area, 'P' private). Other parameters (e.g. ETSI 0x11 call type)
 *   are skipped.
 * - 0x04 SDMF: 8 digits 'MMDDHHMM' then the number, or a single 'O' / 'P'.
 *
 * Other message types (message waiting, advice of charge, SMS…) carry no
 * caller ID and are not accepted.
 */
export interface CallerIdMessage {
  /** 'dtmf' for DTMF-signalled caller ID. */
  format: 'mdmf' | 'sdmf' | 'dtmf';
  /** Which signalling carried it (set by the receivers). */
  standard?: 'bell202' | 'v23' | 'dtmf';
  number?: string;
  name?: string;
  /** 'MMDDHHMM' */
  datetime?: string;
  numberAbsence?: 'private' | 'unavailable';
  nameAbsence?: 'private' | 'unavailable';
  /** FSK: type, length and parameters without the checksum. DTMF: the digit string in ASCII. */
  raw: Uint8Array;
  /** Sample (counted from the first sample given to the receiver) at which the message completed. */
  endSample: number;
}

export const MDMF_CALL_SETUP = 0x80;
export const SDMF_CALLER_ID = 0x04;

function text(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function absence(code: string): 'private' | 'unavailable' | undefined {
  if (code === 'P') return 'private';
  if (code === 'O') return 'unavailable';
  return undefined;
}

function isDigits(s: string): boolean {
  return /^[0-9*#+ -]*$/.test(s);
}

/** Checksum, length and type check plus field decoding; null when any check fails. */
export function parseCallerIdMessage(bytes: Uint8Array): Omit<CallerIdMessage, 'endSample'> | null {
  if (bytes.length < 3) return null;
  const type = bytes[0]!;
  const length = bytes[1]!;
  if (bytes.length !== length + 3) return null;
  let sum = 0;
  for (const b of bytes) sum += b;
  if ((sum & 0xff) !== 0) return null;
  const raw = bytes.slice(0, length + 2);
  const end = length + 2;

  if (type === SDMF_CALLER_ID) {
    if (length < 9) return null;
    const datetime = text(bytes, 2, 10);
    const rest = text(bytes, 10, end);
    if (!/^[0-9]{8}$/.test(datetime)) return null;
    const reason = rest.length === 1 ? absence(rest) : undefined;
    if (reason) return { format: 'sdmf', datetime, numberAbsence: reason, raw };
    if (!isDigits(rest)) return null;
    return { format: 'sdmf', datetime, number: rest, raw };
  }

  if (type !== MDMF_CALL_SETUP || length < 2) return null;
  const message: Omit<CallerIdMessage, 'endSample'> = { format: 'mdmf', raw };
  let found = 0;
  for (let at = 2; at < end; ) {
    if (at + 2 > end) return null;
    const id = bytes[at]!;
    const len = bytes[at + 1]!;
    const from = at + 2;
    at = from + len;
    if (at > end) return null;
    const value = text(bytes, from, at);
    switch (id) {
      case 0x01:
        if (!/^[0-9]{8}$/.test(value)) return null;
        message.datetime = value;
        break;
      case 0x02:
        if (!isDigits(value)) return null;
        message.number = value;
        break;
      case 0x04:
        message.numberAbsence = absence(value) ?? 'unavailable';
        break;
      case 0x07:
        message.name = value;
        break;
      case 0x08:
        message.nameAbsence = absence(value) ?? 'unavailable';
        break;
      default:
        continue;
    }
    found++;
  }
  return found > 0 ? message : null;
}
