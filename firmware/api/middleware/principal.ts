/** Who sends a request: the signed-in account of its session, from its address, with its level (see auth/session-gate.ts). */
import type { Context } from 'koa';
import type { Principal } from '../../app/principal.ts';
import { signedInOf } from '../auth/session-gate.ts';

export function principalOf(ctx: Context): Principal {
  return signedInOf(ctx).principal;
}
