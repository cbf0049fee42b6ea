/** Who acts on the box: an account from an address (web, console login), or the box itself. */
export type Principal = { kind: 'user'; account: string; ip: string } | { kind: 'system' };

export const SYSTEM: Principal = { kind: 'system' };

export function userPrincipal(account: string, ip: string): Principal {
  return { kind: 'user', account, ip };
}
