/**
 * Signed requests from one box of a cascade to another, with a timeout. A
 * box that cannot be reached, times out or fails (5xx) is `down`; one that
 * refuses the signature is `refused`; an answer that is not what was asked
 * (not JSON, wrong shape, another status) is `invalid`.
 */
import type { z } from 'zod';
import { signedHeaders } from './cascade-signature.ts';

export type PeerProblem = 'down' | 'refused' | 'invalid';

export class PeerError extends Error {
  constructor(
    readonly kind: PeerProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PeerError';
  }
}

export interface PeerRequest {
  /** The other box's base URL (`http://192.168.123.101`). */
  base: string;
  /** Path and query under it (`/api/v1/cascade/peer/records?q=…`). */
  path: string;
  method?: 'GET' | 'POST';
  secret: string;
  /** The sending box's id. */
  box: string;
  now: number;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

export async function peerFetch(r: PeerRequest): Promise<Response> {
  const method = r.method ?? 'GET';
  let res: Response;
  try {
    res = await fetch(new URL(r.path, r.base), {
      method,
      headers: { ...r.headers, ...signedHeaders(r.secret, { method, path: r.path, box: r.box, time: r.now }) },
      signal: AbortSignal.timeout(r.timeoutMs ?? 5000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new PeerError('down', `${r.base}: ${cause ?? (e as Error).message}`);
  }
  if (res.ok) return res;
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403) throw new PeerError('refused', `${r.base}: refused (${res.status}); is the secret the same on both boxes?`);
  if (res.status >= 500) throw new PeerError('down', `${r.base}: ${res.status}`);
  throw new PeerError('invalid', `${r.base}: unexpected status ${res.status}`);
}

/** A signed request whose JSON answer must match `schema`. */
export async function peerJson<T>(schema: z.ZodType<T>, r: PeerRequest): Promise<T> {
  const res = await peerFetch(r);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new PeerError('invalid', `${r.base}: the answer is not JSON`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new PeerError('invalid', `${r.base}: the answer is not what was asked (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`);
  return parsed.data;
}
