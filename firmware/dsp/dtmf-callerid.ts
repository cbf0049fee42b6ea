/**
 * DTMF-signalled caller ID (ETSI EN 300 659-1 annex, as used e.g. in the
 * Netherlands, Belgium, the Nordic countries, India, Brazil, China…).
 * The whole string, start and end digit included:
 *
 *   A<number>C   A<number>#   D<number>#   D<number>C   calling number
 *   B00C  (or B00#)                                      number unavailable
 *   B10C  (or B10#)                                      number private
 *   D1#                                                  number private
 *   D2#  D3#                                             number unavailable
 *                                                        (abroad / not available)
 *
 * Absence codes follow the common convention (also Asterisk's): the B-codes
 * are the ETSI "special information" values, the single-digit D-codes the
 * Danish-style reasons. Other B-codes are not accepted.
 */
export interface DtmfCallerId {
  number?: string;
  numberAbsence?: 'private' | 'unavailable';
}

/** Digits that can open a DTMF caller-ID string. */
export const DTMF_CID_START = 'ABD';
/** Digits that close one. */
export const DTMF_CID_END = 'C#';

export function parseDtmfCallerId(digits: string): DtmfCallerId | null {
  const s = digits.toUpperCase();
  if (s.length < 3) return null;
  const start = s[0]!;
  const end = s[s.length - 1]!;
  const body = s.slice(1, -1);
  if (!DTMF_CID_START.includes(start) || !DTMF_CID_END.includes(end)) return null;
  if (!/^[0-9]+$/.test(body)) return null;
  if (start === 'B') {
    if (body === '00') return { numberAbsence: 'unavailable' };
    if (body === '10') return { numberAbsence: 'private' };
    return null;
  }
  if (start === 'D' && end === '#' && body.length === 1 && '123'.includes(body)) {
    return { numberAbsence: body === '1' ? 'private' : 'unavailable' };
  }
  return { number: body };
}
