/**
 * Sign-in back-off per account and address: after `threshold` failures in a
 * row the pair is locked for `baseMs`, and every further failure after a
 * lock doubles it, up to `maxMs`. A success clears the pair. Pure: time is
 * passed in; the table is bounded, dropping its oldest pair when full.
 */
export interface LockoutPolicy {
  threshold: number;
  baseMs: number;
  maxMs: number;
  /** A pair untouched this long is forgotten. */
  forgetMs: number;
  maxEntries: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { threshold: 5, baseMs: 30_000, maxMs: 15 * 60_000, forgetMs: 24 * 3600_000, maxEntries: 4096 };

interface Entry {
  failures: number;
  lockedUntil: number;
  lastAt: number;
}

export type FailureOutcome = { locked: false } | { locked: true; untilMs: number };

export class Lockout {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT) {}

  /** Milliseconds the pair must still wait, 0 when it may try. */
  waitMs(username: string, ip: string, now: number): number {
    const e = this.entries.get(key(username, ip));
    return e ? Math.max(0, e.lockedUntil - now) : 0;
  }

  failed(username: string, ip: string, now: number): FailureOutcome {
    const k = key(username, ip);
    const e = this.entries.get(k) ?? { failures: 0, lockedUntil: 0, lastAt: now };
    if (now - e.lastAt > this.policy.forgetMs) e.failures = 0;
    e.failures += 1;
    e.lastAt = now;
    this.entries.delete(k);
    this.entries.set(k, e);
    this.trim(now);
    const over = e.failures - this.policy.threshold;
    if (over < 0) return { locked: false };
    const ms = Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** Math.min(over, 30));
    e.lockedUntil = now + ms;
    return { locked: true, untilMs: e.lockedUntil };
  }

  succeeded(username: string, ip: string): void {
    this.entries.delete(key(username, ip));
  }

  private trim(now: number): void {
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.policy.maxEntries && now - e.lastAt <= this.policy.forgetMs) break;
      this.entries.delete(k);
    }
  }
}

const key = (username: string, ip: string) => `${username}\u0000${ip}`;
