/**
 * The signed-in sessions, in memory (a restart signs everyone out). A
 * session is known by the SHA-256 of its token, never the token itself; it
 * ends after its idle time without a request, at its absolute lifetime, or
 * when ended (the service decides, with `endedBy`). Time is passed in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const ABSOLUTE_LIFETIME_MS = 12 * 3600_000;
export const MAX_SESSIONS = 128;

export interface Session {
  /** Public id (a prefix of the token's hash): lists and logs show this, never the token. */
  id: string;
  username: string;
  ip: string;
  /** An API client with an Authorization header rather than the browser's cookies. */
  bearer: boolean;
  createdAt: number;
  lastActivity: number;
}

interface Entry extends Session {
  csrfHash: Buffer;
}

export interface NewSession {
  session: Session;
  token: string;
  csrfToken: string;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();
const newToken = () => randomBytes(32).toString('base64url');

export class SessionTable {
  private readonly byHash = new Map<string, Entry>();

  open(fields: Omit<Session, 'id' | 'createdAt' | 'lastActivity'>, now: number): NewSession {
    const token = newToken();
    const csrfToken = newToken();
    const hash = sha256(token).toString('hex');
    const entry: Entry = { ...fields, id: hash.slice(0, 16), createdAt: now, lastActivity: now, csrfHash: sha256(csrfToken) };
    this.byHash.set(hash, entry);
    while (this.byHash.size > MAX_SESSIONS) this.byHash.delete(this.byHash.keys().next().value!);
    return { session: view(entry), token, csrfToken };
  }

  /** The session of a token, live or not (see `endedBy`), touched at `now` when given. */
  find(token: string, touchAt?: number): Session | undefined {
    const e = this.byHash.get(sha256(token).toString('hex'));
    if (e && touchAt !== undefined) e.lastActivity = touchAt;
    return e && view(e);
  }

  csrfMatches(token: string, csrfToken: string): boolean {
    const e = this.byHash.get(sha256(token).toString('hex'));
    return !!e && timingSafeEqual(e.csrfHash, sha256(csrfToken));
  }

  end(token: string): Session | undefined {
    const hash = sha256(token).toString('hex');
    const e = this.byHash.get(hash);
    this.byHash.delete(hash);
    return e && view(e);
  }

  /** Ends the sessions `which` picks; returns them. */
  endWhere(which: (s: Session) => boolean): Session[] {
    const ended: Session[] = [];
    for (const [hash, e] of this.byHash) {
      if (which(e)) {
        this.byHash.delete(hash);
        ended.push(view(e));
      }
    }
    return ended;
  }

  /** The clock was stepped by `stepMs`: sessions keep their age and idle time. */
  shift(stepMs: number): void {
    for (const e of this.byHash.values()) {
      e.createdAt += stepMs;
      e.lastActivity += stepMs;
    }
  }

  all(): Session[] {
    return [...this.byHash.values()].map(view);
  }
}

/** Why a session is over at `now` (`idle` or `lifetime`), or null while it is live. */
export function endedBy(s: Session, now: number, idleMs: number): 'idle' | 'lifetime' | null {
  if (now - s.createdAt >= ABSOLUTE_LIFETIME_MS) return 'lifetime';
  if (now - s.lastActivity >= idleMs) return 'idle';
  return null;
}

function view(e: Entry): Session {
  return { id: e.id, username: e.username, ip: e.ip, bearer: e.bearer, createdAt: e.createdAt, lastActivity: e.lastActivity };
}
