/**
 * Who sends a request. Until accounts and login exist on the box, every
 * request acts as the local administrator from its address; the operation
 * log records that address.
 */
import type { Context } from 'koa';
import { userPrincipal, type Principal } from '../../app/principal.ts';

export const LOCAL_ACCOUNT = 'admin';

export function principalOf(ctx: Context): Principal {
  const account = typeof ctx.state.account === 'string' ? ctx.state.account : LOCAL_ACCOUNT;
  return userPrincipal(account, ctx.ip);
}
