/**
 * Signing in and out of the web interface (and API clients): passwords
 * checked against their scrypt hashes with back-off after failures, the
 * account's subnet, the web access ranges, 账号抢登 and multi-user
 * operation; sessions that end when idle, at their lifetime, or when a
 * temporary account expires; the web access settings. Every sign-in,
 * sign-out, failure, lock-out and password change is in the operation log.
 */
import { RecorderError } from '../errors.ts';
import type { AccountStore } from '../accounts/account-store.ts';
import { accessSettingsSchema, type AccessSettings, type Account } from '../accounts/account-schema.ts';
import { addressAllowed, subnetAllows } from '../accounts/address-rules.ts';
import { Lockout } from '../accounts/lockout.ts';
import { hashPassword, passwordWeakness, UNUSABLE_HASH, verifyPassword } from '../accounts/password.ts';
import type { Role } from '../accounts/roles.ts';
import { endedBy, SessionTable, type Session } from '../accounts/session-table.ts';
import { MAX_ACCOUNT_LENGTH } from '../journal/principal.ts';
import type { AuditFields, Auditor } from './audit.ts';
import { authorise } from './authorise.ts';
import { userPrincipal, type Principal } from './principal.ts';

export type { Session } from '../accounts/session-table.ts';

/** A live session as the interfaces see it. */
export interface SignedIn {
  principal: Principal & { kind: 'user'; role: Role };
  username: string;
  role: Role;
  mustChangePassword: boolean;
  /** A temporary account's end of validity, else null. */
  expiresAt: number | null;
  session: Session;
  idleLogoutMinutes: number;
}

export interface LoginInput {
  username: string;
  password: string;
  ip: string;
  /** An API client that sends `Authorization: Bearer`, rather than a browser with cookies. */
  bearer?: boolean;
  /** The RS232 maintenance console rather than the web (the operation log names it). */
  client?: 'console';
}

export interface LoginResult extends SignedIn {
  /** The session's secret: the cookie's or the bearer's value. Only its hash is kept. */
  token: string;
  csrfToken: string;
}

/** A principal for sign-in events of a name that may not be an account. */
const visitor = (username: string, ip: string): Principal => ({ kind: 'user', account: username.slice(0, MAX_ACCOUNT_LENGTH) || '?', ip });

export class AuthService {
  private readonly sessions = new SessionTable();

  constructor(
    private readonly store: AccountStore,
    private readonly audit: Auditor,
    private readonly now: () => number,
    private readonly lockout = new Lockout(),
  ) {}

  /** The web access ranges let this address in. */
  addressAllowed(ip: string): boolean {
    return addressAllowed(this.store.access, ip);
  }

  async login(input: LoginInput): Promise<LoginResult> {
    const { username, password, ip } = input;
    const fields: AuditFields = { item: 'account', operation: 'login', parameter: username.slice(0, 64), requires: 'view', detail: input.client ?? (input.bearer ? 'API client' : 'web') };
    return this.audit.run(visitor(username, ip), fields, async () => {
      if (!this.addressAllowed(ip)) throw new RecorderError('address_not_allowed', `${ip} is not in the web access ranges`);
      this.refuseWhileLocked(username, ip);
      const found = this.store.find(username);
      const ok = await verifyPassword(password, found?.passwordHash ?? UNUSABLE_HASH);
      if (!ok || !found) throw this.failed(username, ip);
      this.lockout.succeeded(username, ip);
      this.checkUsable(found, ip);
      this.settleConflicts(found.username, ip);
      const opened = this.sessions.open({ username: found.username, ip, bearer: input.bearer ?? false }, this.now());
      await this.store
        .update((d) => ({ next: { ...d, accounts: d.accounts.map((a) => (a.username === found.username ? { ...a, lastLoginIp: ip, lastLoginAt: this.now() } : a)) }, value: null }))
        .catch(() => undefined); // the last sign-in address is a courtesy; the sign-in stands
      return { ...this.signedIn(found, opened.session, ip), token: opened.token, csrfToken: opened.csrfToken };
    });
  }

  async logout(token: string): Promise<void> {
    const s = this.sessions.end(token);
    if (!s) return;
    const account = this.store.find(s.username);
    this.audit.note(account ? userPrincipal(account.username, s.ip, account.role) : visitor(s.username, s.ip), { item: 'account', operation: 'logout', parameter: s.username, detail: 'signed out' });
  }

  /** The live session of a token from this address, or undefined (never signed in, ended, expired, or another address). */
  resolveSession(token: string, ip: string): SignedIn | undefined {
    const s = this.sessions.find(token);
    if (!s || s.ip !== ip || !this.addressAllowed(ip)) return undefined;
    const now = this.now();
    const account = this.store.find(s.username);
    const reason = !account ? 'account deleted' : !account.enabled ? 'account disabled' : expired(account, now) ? 'account expired' : endedBy(s, now, this.idleMs());
    if (reason) {
      this.endSessions((x) => x.id === s.id, reason);
      return undefined;
    }
    return this.signedIn(account!, this.sessions.find(token, now)!, ip);
  }

  /**
   * Whether a token's session is still live, without counting as activity
   * (an open WebSocket checks it now and then): ended sessions end here as in
   * `resolveSession`.
   */
  sessionLive(token: string, ip: string): boolean {
    const s = this.sessions.find(token);
    if (!s || s.ip !== ip || !this.addressAllowed(ip)) return false;
    const account = this.store.find(s.username);
    const reason = !account ? 'account deleted' : !account.enabled ? 'account disabled' : expired(account, this.now()) ? 'account expired' : endedBy(s, this.now(), this.idleMs());
    if (reason) {
      this.endSessions((x) => x.id === s.id, reason);
      return false;
    }
    return true;
  }

  /** The clock was set by hand: nobody is signed out (or kept in) by the step itself. */
  clockStepped(stepMs: number): void {
    this.sessions.shift(stepMs);
  }

  /** The CSRF token a browser sends back belongs to this session. */
  csrfValid(token: string, csrfToken: string): boolean {
    return this.sessions.csrfMatches(token, csrfToken);
  }

  async changePassword(token: string, ip: string, oldPassword: string, newPassword: string): Promise<void> {
    const me = this.resolveSession(token, ip);
    if (!me) throw new RecorderError('unauthenticated');
    await this.audit.run(me.principal, { item: 'account', operation: 'set', parameter: 'password', detail: me.username, requires: 'view' }, async () => {
      this.refuseWhileLocked(me.username, ip);
      const account = this.store.find(me.username);
      if (!account) throw new RecorderError('unauthenticated', 'the account no longer exists');
      if (!(await verifyPassword(oldPassword, account.passwordHash))) throw this.failed(me.username, ip, 'wrong_password');
      const weak = passwordWeakness(newPassword) ?? (newPassword === oldPassword ? 'the new password must differ from the current one' : null);
      if (weak) throw new RecorderError('weak_password', weak);
      const passwordHash = await hashPassword(newPassword);
      await this.store.update((d) => ({
        next: { ...d, accounts: d.accounts.map((a) => (a.username === me.username ? { ...a, passwordHash, mustChangePassword: false } : a)) },
        value: null,
      }));
      this.endSessions((s) => s.username === me.username && s.id !== me.session.id, 'password changed');
    });
  }

  /** Who is signed in, from where, since when, with which level (admin). */
  list(principal: Principal): Array<Session & { role: Role | null }> {
    authorise(principal, 'accounts');
    return this.liveSessions().map((s) => ({ ...s, role: this.store.find(s.username)?.role ?? null }));
  }

  isSignedIn(username: string): boolean {
    return this.liveSessions().some((s) => s.username === username);
  }

  /** Ends an account's sessions (deleted, disabled, password reset); each is logged. */
  endSessionsOf(username: string, reason: string): void {
    this.endSessions((s) => s.username === username, reason);
  }

  access(): AccessSettings {
    return this.store.access;
  }

  updateAccess(principal: Principal, next: AccessSettings): Promise<AccessSettings> {
    return this.audit.run(principal, { item: 'account', operation: 'set', parameter: 'access', detail: JSON.stringify(next), requires: 'accounts' }, () => {
      const parsed = accessSettingsSchema.safeParse(next);
      if (!parsed.success) throw new RecorderError('BAD_REQUEST', `access settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return this.store.update((d) => ({ next: { ...d, access: parsed.data }, value: parsed.data }));
    });
  }

  private idleMs(): number {
    return this.store.access.idleLogoutMinutes * 60_000;
  }

  private liveSessions(): Session[] {
    const now = this.now();
    const idle = this.idleMs();
    this.endSessions((s) => endedBy(s, now, idle) !== null, 'idle');
    return this.sessions.all();
  }

  private endSessions(which: (s: Session) => boolean, reason: string): void {
    for (const s of this.sessions.endWhere(which)) {
      const account = this.store.find(s.username);
      const who = account ? userPrincipal(account.username, s.ip, account.role) : visitor(s.username, s.ip);
      this.audit.note(who, { item: 'account', operation: 'logout', parameter: s.username, detail: reason });
    }
  }

  private refuseWhileLocked(username: string, ip: string): void {
    const wait = this.lockout.waitMs(username, ip, this.now());
    if (wait > 0) throw locked(wait);
  }

  /** Counts a failure; the error to answer: locked once the failures reach the limit. */
  private failed(username: string, ip: string, code: 'bad_credentials' | 'wrong_password' = 'bad_credentials'): RecorderError {
    const now = this.now();
    const outcome = this.lockout.failed(username, ip, now);
    return outcome.locked ? locked(outcome.untilMs - now) : new RecorderError(code);
  }

  private checkUsable(account: Account, ip: string): void {
    if (!account.enabled) throw new RecorderError('account_disabled');
    if (expired(account, this.now())) throw new RecorderError('account_expired');
    if (!subnetAllows(account, ip)) throw new RecorderError('address_not_allowed', `account ${account.username} may sign in only from ${account.subnet}`);
  }

  /** 多人操作 and 账号抢登: refuses the sign-in, or ends the sessions it replaces. */
  private settleConflicts(username: string, ip: string): void {
    const { multiUser, loginConflict } = this.store.access;
    const live = this.liveSessions();
    const other = live.find((s) => s.username !== username);
    if (!multiUser && other) {
      throw new RecorderError('account_in_use', `${other.username} is signed in from ${other.ip} and several accounts at once is off`);
    }
    const same = live.find((s) => s.username === username);
    if (!same) return;
    if (loginConflict === 'refuse') throw new RecorderError('account_in_use', `${username} is signed in from ${same.ip}`);
    this.endSessions((s) => s.username === username, `replaced by a sign-in from ${ip}`);
  }

  private signedIn(account: Account, session: Session, ip: string): SignedIn {
    return {
      principal: userPrincipal(account.username, ip, account.role) as SignedIn['principal'],
      username: account.username,
      role: account.role,
      mustChangePassword: account.mustChangePassword,
      expiresAt: account.expiresAt,
      session,
      idleLogoutMinutes: this.store.access.idleLogoutMinutes,
    };
  }
}

function expired(account: Account, now: number): boolean {
  return account.role === 'temporary' && account.expiresAt !== null && now >= account.expiresAt;
}

function locked(waitMs: number): RecorderError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new RecorderError('locked', `too many failed sign-ins; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
}
