/**
 * What a principal may reach of the box's channels, by right: accounts and
 * the box itself reach every channel; a seat (云座席) reaches its own
 * channel (with its monitored channel), its group's channels or all, as its
 * rights allow and its level caps (settings/seat-settings.ts). Read fresh
 * from the settings at every check, so a change applies to the next request.
 */
import { RecorderError } from '../errors.ts';
import { parseRefKey, refKey, type ChannelRef } from '../ports/channel-ref.ts';
import { effectiveReach, type SeatConfig, type SeatRight } from '../settings/seat-settings.ts';
import type { Principal } from './principal.ts';

export type { SeatRight };

export type Scope = { all: true } | { all: false; refs: ChannelRef[]; keys: ReadonlySet<string> };

export const ALL: Scope = Object.freeze({ all: true });

export interface SeatDirectory {
  seat(ref: ChannelRef): SeatConfig;
  /** Channels whose seat differs from the factory values, by refKey. */
  readonly seats: Readonly<Record<string, unknown>>;
}

export class SeatAccess {
  constructor(
    private readonly directory: SeatDirectory,
    /** The box's channels (analog lines, E1 timeslots): the members of a group besides the channels with a seat. */
    private readonly channels: () => ChannelRef[],
  ) {}

  /** The channels a principal reaches with a right. */
  scope(principal: Principal, right: SeatRight): Scope {
    if (principal.kind !== 'seat') return ALL;
    const own = parseRefKey(principal.ref);
    if (!own) return scopeOf([]);
    const seat = this.directory.seat(own);
    if (!seat.enabled || seat.account !== principal.account) return scopeOf([]);
    const reach = effectiveReach(seat, right);
    if (reach === 'all') return ALL;
    const mine = [own];
    const watched = seat.monitoredRef ? parseRefKey(seat.monitoredRef) : null;
    if (watched) mine.push(watched);
    if (reach === 'own') return scopeOf(mine);
    const members = new Map<string, ChannelRef>();
    for (const r of mine) members.set(refKey(r), r);
    const candidates = [...this.channels(), ...Object.keys(this.directory.seats).flatMap((k) => parseRefKey(k) ?? [])];
    for (const r of candidates) if (this.directory.seat(r).group === seat.group) members.set(refKey(r), r);
    return scopeOf([...members.values()]);
  }

  reaches(principal: Principal, right: SeatRight, ref: ChannelRef): boolean {
    const s = this.scope(principal, right);
    return s.all || s.keys.has(refKey(ref));
  }

  /** Refuses (forbidden) a principal that does not reach the channel with the right. */
  check(principal: Principal, right: SeatRight, ref: ChannelRef): void {
    if (this.reaches(principal, right, ref)) return;
    throw new RecorderError('forbidden', `the seat may not ${RIGHT_TEXT[right]} channel ${refKey(ref)}`);
  }
}

const RIGHT_TEXT: Record<SeatRight, string> = { sync: 'see the recordings of', fetch: 'play or download the recordings of', monitor: 'listen to' };

function scopeOf(refs: ChannelRef[]): Scope {
  return { all: false, refs, keys: new Set(refs.map(refKey)) };
}

/** Without seats configured: accounts reach every channel, seats none (tools and tests). */
export const OPEN_ACCESS = new SeatAccess({ seat: () => ({ enabled: false }) as SeatConfig, seats: {} }, () => []);
