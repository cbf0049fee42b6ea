/**
 * Where a request carries its session: the `rdx_session` cookie (browsers,
 * with the `rdx_csrf` cookie for the double-submit check) or an
 * `Authorization: Bearer` header (API clients, no CSRF check).
 */
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'rdx_session';
export const CSRF_COOKIE = 'rdx_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface Credentials {
  token: string;
  /** From the cookie: unsafe methods then need the CSRF header. */
  viaCookie: boolean;
}

export function cookiesOf(headers: IncomingHttpHeaders): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      /* a malformed cookie is no credential */
    }
  }
  return out;
}

export function credentialsOf(headers: IncomingHttpHeaders): Credentials | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer) return { token: bearer[1]!, viaCookie: false };
  const token = cookiesOf(headers).get(SESSION_COOKIE);
  return token ? { token, viaCookie: true } : undefined;
}
