/**
 * Cloud seats (云座席, manual 3.11 and chapter 4): the seat of each channel
 * (座席设置, administrators), seats signing in from their clients (the web
 * seat page, RECM-like clients) with their own sessions, which seats are
 * online (座席状态), and screen pops (来电弹屏) for a seat's own channels.
 * What a seat may see, play and hear is enforced by the services through
 * SeatAccess; this service gives seats their identity.
 */
import { RecorderError } from '../errors.ts';
import { Lockout } from '../accounts/lockout.ts';
import { hashPassword, passwordWeakness, UNUSABLE_HASH, verifyPassword } from '../accounts/password.ts';
import { endedBy, SessionTable, type Session } from '../accounts/session-table.ts';
import type { ChannelConfig } from '../calls/channel-config.ts';
import type { EventBus } from '../events/event-bus.ts';
import { parseRefKey, refKey, type ChannelRef } from '../ports/channel-ref.ts';
import { effectiveReach, type SeatConfig, type SeatPatch, type SeatReach, type SeatRight } from '../settings/seat-settings.ts';
import type { Auditor } from './audit.ts';
import { seatPrincipal, type Principal } from './principal.ts';
import type { ListenService, Listening } from './listen-service.ts';
import { PopTracker, type ScreenPop } from './screen-pop.ts';
import type { SeatAccess } from './seat-access.ts';

export type { ScreenPop };

/** A seat as the settings page shows it: its settings without the password hash. */
export type SeatView = Omit<SeatConfig, 'passwordHash'> & { ref: string; passwordSet: boolean; online: boolean; listeners: Listening[] };

export type SeatChange = { ref: ChannelRef; patch: Omit<SeatPatch, 'passwordHash'> & { password?: string } };

export interface SeatSignedIn {
  principal: Principal & { kind: 'seat' };
  seat: SeatConfig;
  ref: ChannelRef;
  session: Session;
}

export interface SeatLoginResult extends SeatSignedIn {
  token: string;
  csrfToken: string;
}

/** A seat's own view of itself: who it is and what its rights reach. */
export interface SeatSelf {
  ref: string;
  account: string;
  name: string;
  lineNumber: string;
  group: number;
  level: SeatConfig['level'];
  monitoredRef: string;
  rights: Record<SeatRight, SeatReach>;
  /** The channels each right reaches; null for all. */
  reach: Record<SeatRight, string[] | null>;
}

export interface SeatStore {
  seat(ref: ChannelRef): SeatConfig;
  readonly seats: Readonly<Record<string, Partial<SeatConfig>>>;
  channel(ref: ChannelRef): ChannelConfig;
  updateSeats(changes: ReadonlyArray<{ ref: ChannelRef; patch: SeatPatch }>): Promise<{ value: SeatConfig[] }>;
}

export interface PopReader {
  next(): Promise<ScreenPop | null>;
  close(): void;
}

/** What the license says about cloud seats: the features, and how many seats may be switched on. */
export interface SeatLicense {
  has(feature: 'cloudSeats' | 'screenPop'): boolean;
  seats(): number;
}

export class SeatService {
  private readonly sessions = new SessionTable();
  private readonly lockout = new Lockout();
  /** Open seat connections (WebSockets), by refKey. */
  private readonly sockets = new Map<string, number>();

  constructor(
    private readonly store: SeatStore,
    readonly access: SeatAccess,
    private readonly listen: ListenService,
    private readonly events: EventBus,
    private readonly audit: Auditor,
    private readonly now: () => number,
    /** The box's channels (analog lines, E1 timeslots). */
    private readonly channels: () => ChannelRef[],
    private readonly idleMs: () => number,
    private readonly license: SeatLicense,
  ) {}

  /** 座席设置: every channel's seat, with 座席状态 and 监听状态 (accounts only). */
  list(principal: Principal): SeatView[] {
    if (principal.kind === 'seat') throw new RecorderError('forbidden', 'a seat may not read the seat settings');
    const refs = new Map<string, ChannelRef>();
    for (const r of this.channels()) refs.set(refKey(r), r);
    for (const k of Object.keys(this.store.seats)) {
      const r = parseRefKey(k);
      if (r) refs.set(k, r);
    }
    const listening = this.listen.listening();
    return [...refs.values()].map((r) => this.view(r, listening));
  }

  /** Changes seats, all or none; a password is set with `password` and kept only as its hash. */
  update(principal: Principal, changes: readonly SeatChange[]): Promise<SeatView[]> {
    const detail = changes.map((c) => `${refKey(c.ref)}: ${Object.keys(c.patch).join(', ')}`).join('; ');
    return this.audit.run(principal, { item: 'seat-settings', operation: 'set', ref: changes.length === 1 ? changes[0]!.ref : null, parameter: [...new Set(changes.flatMap((c) => Object.keys(c.patch)))].join(','), detail }, async () => {
      if (!changes.length) throw new RecorderError('BAD_REQUEST', 'no seat given');
      const out: Array<{ ref: ChannelRef; patch: SeatPatch }> = [];
      for (const c of changes) {
        if ('passwordHash' in c.patch) throw new RecorderError('BAD_REQUEST', 'set a seat password with password');
        const { password, ...rest } = c.patch;
        const patch: SeatPatch = { ...rest };
        if (password !== undefined) {
          const weak = passwordWeakness(password);
          if (weak) throw new RecorderError('weak_password', weak);
          patch.passwordHash = await hashPassword(password);
        }
        out.push({ ref: c.ref, patch });
      }
      this.checkSeatCount(out);
      await this.store.updateSeats(out);
      // A seat switched off, renamed or given a new password is signed out.
      for (const c of out) {
        if (c.patch.enabled === false || c.patch.account !== undefined || c.patch.passwordHash !== undefined) this.endSessions((s) => s.ref === refKey(c.ref), 'seat changed');
      }
      const listening = this.listen.listening();
      return out.map((c) => this.view(c.ref, listening));
    });
  }

  // ------------------------------------------------------------------ sessions

  async login(input: { account: string; password: string; ip: string; bearer?: boolean }): Promise<SeatLoginResult> {
    const { account, password, ip } = input;
    const found = this.find(account);
    const who: Principal = found ? seatPrincipal(account, ip, refKey(found.ref)) : { kind: 'seat', account: account.slice(0, 64) || '?', ip, ref: '-' };
    return this.audit.run(who, { item: 'account', operation: 'login', parameter: account.slice(0, 64), requires: 'view', detail: input.bearer ? 'seat client' : 'seat page' }, async () => {
      const wait = this.lockout.waitMs(account, ip, this.now());
      if (wait > 0) throw new RecorderError('locked', `too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s`, { retryAfterSeconds: Math.ceil(wait / 1000) });
      const ok = await verifyPassword(password, found?.seat.passwordHash || UNUSABLE_HASH);
      if (!ok || !found) {
        const o = this.lockout.failed(account, ip, this.now());
        throw o.locked ? new RecorderError('locked', 'too many failed sign-ins', { retryAfterSeconds: Math.ceil((o.untilMs - this.now()) / 1000) }) : new RecorderError('bad_credentials');
      }
      this.lockout.succeeded(account, ip);
      if (!this.license.has('cloudSeats')) throw new RecorderError('not_licensed', 'the license of this box does not include cloud seats');
      if (!found.seat.enabled) throw new RecorderError('seat_disabled', `seat ${account} is switched off`);
      const key = refKey(found.ref);
      // One client per seat: a new sign-in replaces the previous one.
      this.endSessions((s) => s.ref === key, `replaced by a sign-in from ${ip}`);
      const opened = this.sessions.open({ username: account, ip, bearer: input.bearer ?? false }, this.now());
      this.refOfSession.set(opened.session.id, key);
      return { principal: seatPrincipal(account, ip, key), seat: found.seat, ref: found.ref, session: opened.session, token: opened.token, csrfToken: opened.csrfToken };
    });
  }

  private readonly refOfSession = new Map<string, string>();

  /** The seat of a live session token from this address, or undefined. */
  resolveSession(token: string, ip: string): SeatSignedIn | undefined {
    const live = this.liveSeat(token, ip);
    if (!live) return undefined;
    return { principal: seatPrincipal(live.username, ip, live.key), seat: live.seat, ref: live.ref, session: this.sessions.find(token, this.now())! };
  }

  /** Whether a seat's session is still live, without counting as activity (an open WebSocket checks it now and then). */
  sessionLive(token: string, ip: string): boolean {
    return this.liveSeat(token, ip) !== null;
  }

  private liveSeat(token: string, ip: string) {
    const s = this.sessions.find(token);
    if (!s || s.ip !== ip) return null;
    const key = this.refOfSession.get(s.id);
    const ref = key ? parseRefKey(key) : null;
    const seat = ref ? this.store.seat(ref) : null;
    const reason = !ref || !seat || seat.account !== s.username ? 'seat changed' : !seat.enabled ? 'seat switched off' : endedBy(s, this.now(), this.idleMs());
    if (reason) {
      this.endSessions((x) => x.id === s.id, reason);
      return null;
    }
    return { username: s.username, key: key!, ref: ref!, seat: seat! };
  }

  /** The clock was set by hand: sessions keep the time they have left. */
  clockStepped(stepMs: number): void {
    this.sessions.shift(stepMs);
  }

  csrfValid(token: string, csrfToken: string): boolean {
    return this.sessions.csrfMatches(token, csrfToken);
  }

  logout(token: string): void {
    const s = this.sessions.end(token);
    if (!s) return;
    const key = this.refOfSession.get(s.id) ?? '-';
    this.refOfSession.delete(s.id);
    this.audit.note(seatPrincipal(s.username, s.ip, key), { item: 'account', operation: 'logout', parameter: s.username, detail: 'signed out' });
  }

  /** What a signed-in seat is and reaches. */
  self(principal: Principal): SeatSelf {
    if (principal.kind !== 'seat') throw new RecorderError('forbidden', 'not a seat');
    const ref = parseRefKey(principal.ref)!;
    const seat = this.store.seat(ref);
    const rights = { sync: effectiveReach(seat, 'sync'), fetch: effectiveReach(seat, 'fetch'), monitor: effectiveReach(seat, 'monitor') };
    const reachOf = (right: SeatRight) => {
      const s = this.access.scope(principal, right);
      return s.all ? null : s.refs.map(refKey);
    };
    return {
      ref: principal.ref, account: seat.account, name: seat.name, lineNumber: seat.lineNumber || this.store.channel(ref).lineNumber,
      group: seat.group, level: seat.level, monitoredRef: seat.monitoredRef, rights, reach: { sync: reachOf('sync'), fetch: reachOf('fetch'), monitor: reachOf('monitor') },
    };
  }

  /** Whether a seat sees a channel's live state (通道状态): its own, and those its sync or monitor right reaches. */
  seesChannel(principal: Principal, ref: ChannelRef): boolean {
    return this.access.reaches(principal, 'sync', ref) || this.access.reaches(principal, 'monitor', ref);
  }

  // ------------------------------------------------------------------ presence and pops

  /** A seat's client connected (its WebSocket); the returned function says it left. 座席状态 is online while one is open. */
  connected(principal: Principal): () => void {
    if (principal.kind !== 'seat') return () => undefined;
    const key = principal.ref;
    this.sockets.set(key, (this.sockets.get(key) ?? 0) + 1);
    let gone = false;
    return () => {
      if (gone) return;
      gone = true;
      const n = (this.sockets.get(key) ?? 1) - 1;
      if (n > 0) this.sockets.set(key, n);
      else this.sockets.delete(key);
    };
  }

  /** Screen pops for a seat's own channels (its channel and its monitored channel), as calls come in. */
  watchPops(principal: Principal): PopReader {
    if (principal.kind !== 'seat') throw new RecorderError('forbidden', 'screen pops are for seats');
    const sub = this.events.subscribe({ types: ['channel.state'] }, 64);
    const trackers = new Map<string, PopTracker>();
    const own = () => {
      const ref = parseRefKey(principal.ref)!;
      const seat = this.store.seat(ref);
      return { seat, keys: new Set([principal.ref, ...(seat.monitoredRef ? [seat.monitoredRef] : [])]) };
    };
    return {
      next: async () => {
        for (;;) {
          const e = await sub.next();
          if (e === null) return null;
          if (e.type !== 'channel.state') continue;
          const key = refKey(e.ref);
          const { seat, keys } = own();
          // A seat switched off meanwhile gets no more pops; without the screen-pop feature there are none.
          if (!seat.enabled) return null;
          if (!keys.has(key) || !this.license.has('screenPop')) continue;
          let t = trackers.get(key);
          if (!t) trackers.set(key, (t = new PopTracker()));
          const pop = t.update(e, seat.popOn, this.store.channel(e.ref));
          if (pop) return pop;
        }
      },
      close: () => sub.close(),
    };
  }

  /** Refuses a change that would switch on more seats than the license has (not_licensed). */
  private checkSeatCount(changes: ReadonlyArray<{ ref: ChannelRef; patch: SeatPatch }>): void {
    const enabled = new Map<string, boolean>();
    for (const k of Object.keys(this.store.seats)) {
      const r = parseRefKey(k);
      if (r) enabled.set(k, this.store.seat(r).enabled);
    }
    for (const c of changes) if (c.patch.enabled !== undefined) enabled.set(refKey(c.ref), c.patch.enabled);
    const on = [...enabled.values()].filter(Boolean).length;
    const allowed = this.license.seats();
    if (on > allowed) throw new RecorderError('not_licensed', `the license of this box has ${allowed} cloud seats; ${on} would be switched on`);
  }

  private find(account: string): { ref: ChannelRef; seat: SeatConfig } | null {
    if (!account) return null;
    for (const [k, s] of Object.entries(this.store.seats)) {
      if (s.account !== account) continue;
      const ref = parseRefKey(k);
      if (ref) return { ref, seat: this.store.seat(ref) };
    }
    return null;
  }

  private endSessions(which: (s: Session & { ref: string }) => boolean, reason: string): void {
    const ended = this.sessions.endWhere((s) => which({ ...s, ref: this.refOfSession.get(s.id) ?? '' }));
    for (const s of ended) {
      const key = this.refOfSession.get(s.id) ?? '-';
      this.refOfSession.delete(s.id);
      this.audit.note(seatPrincipal(s.username, s.ip, key), { item: 'account', operation: 'logout', parameter: s.username, detail: reason });
    }
  }

  private view(ref: ChannelRef, listening: Listening[]): SeatView {
    const { passwordHash, ...seat } = this.store.seat(ref);
    const key = refKey(ref);
    return { ref: key, ...seat, passwordSet: passwordHash !== '', online: (this.sockets.get(key) ?? 0) > 0, listeners: listening.filter((l) => l.ref === key) };
  }
}
