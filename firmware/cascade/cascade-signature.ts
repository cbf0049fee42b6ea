/**
 * Requests between the boxes of a cascade are signed with the cascade's
 * shared secret: HMAC-SHA256 over the method, the path with its query, the
 * sending box, the time and the body's SHA-256. A request older or newer
 * than five minutes, or from a box whose signature does not match, is
 * refused.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const CASCADE_HEADERS = { box: 'x-cascade-box', time: 'x-cascade-time', signature: 'x-cascade-signature' } as const;
export const MAX_SKEW_MS = 5 * 60_000;

export interface SignedParts {
  method: string;
  /** Path and query as sent (`/api/v1/cascade/peer/records?q=…`). */
  path: string;
  box: string;
  time: number;
  body?: string;
}

export function cascadeSignature(secret: string, p: SignedParts): string {
  const bodyHash = createHash('sha256').update(p.body ?? '').digest('hex');
  return createHmac('sha256', secret).update([p.method.toUpperCase(), p.path, p.box, String(p.time), bodyHash].join('\n')).digest('hex');
}

export function signedHeaders(secret: string, p: SignedParts): Record<string, string> {
  return { [CASCADE_HEADERS.box]: p.box, [CASCADE_HEADERS.time]: String(p.time), [CASCADE_HEADERS.signature]: cascadeSignature(secret, p) };
}

/** Whether a request carries a valid signature made within the allowed skew of `now`. */
export function signatureValid(secret: string, p: SignedParts, signature: string, now: number): boolean {
  if (!secret || !Number.isFinite(p.time) || Math.abs(now - p.time) > MAX_SKEW_MS) return false;
  const expected = Buffer.from(cascadeSignature(secret, p), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
