/**
 * Where an account may sign in from: the web access ranges (WEB允许访问权限配置)
 * for every request, the account's own subnet (网段限定) for its sign-in.
 * The box itself (loopback) and the serial console are never shut out.
 */
import type { AccessSettings, Account } from './account-schema.ts';
import { inCidr, inRange, isLoopback, parseCidr, parseIp } from './ip-address.ts';

export const CONSOLE_ADDRESS = 'console';

function exempt(ip: string): boolean | null {
  if (ip === CONSOLE_ADDRESS) return true;
  const parsed = parseIp(ip);
  if (!parsed) return null;
  return isLoopback(parsed);
}

/** The allow-list lets this address in (an empty or disabled list lets everyone in). */
export function addressAllowed(access: AccessSettings, ip: string): boolean {
  const { enabled, ranges } = access.allowList;
  if (!enabled || !ranges.length || exempt(ip)) return true;
  const addr = parseIp(ip);
  return !!addr && ranges.some((r) => inRange(addr, parseIp(r.from)!, parseIp(r.to)!));
}

/** The account may sign in from this address under its subnet limit. */
export function subnetAllows(account: Account, ip: string): boolean {
  if (account.subnet === null || exempt(ip)) return true;
  const addr = parseIp(ip);
  return !!addr && inCidr(addr, parseCidr(account.subnet)!);
}
