/** Who sends a request: the signed-in account of its session, from its address, with its level, or a signed-in seat (see auth/session-gate.ts). */
import type { Context } from 'koa';
import type { Principal } from '../../app/principal.ts';
import { seatOf, signedInOf } from '../auth/session-gate.ts';

/** A seat's session gives a seat principal (what it reaches is up to the services). */
export function principalOf(ctx: Context): Principal {
  return seatOf(ctx)?.principal ?? signedInOf(ctx).principal;
}
