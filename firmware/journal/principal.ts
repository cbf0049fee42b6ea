/**
 * Who performed an operation: a signed-in account at an address (web UI,
 * RS232 console, API client), or the box itself (start-up, recovery,
 * scheduled archive and maintenance). Every service that changes something
 * takes one, and the operation log records it.
 */
import { z } from 'zod';
import { ROLES, type Role } from '../accounts/roles.ts';

export const MAX_ACCOUNT_LENGTH = 64;
export const MAX_IP_LENGTH = 64;

export const principalSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    account: z.string().min(1).max(MAX_ACCOUNT_LENGTH),
    /** Client address as the listener saw it (IPv4, IPv6), or `console` for the serial console. */
    ip: z.string().min(1).max(MAX_IP_LENGTH),
    /** The account's level when it acted (entries written before accounts had levels have none). */
    role: z.enum(ROLES).optional(),
  }),
  z.object({ kind: z.literal('system') }),
]);

export type Principal = z.infer<typeof principalSchema>;

export const SYSTEM: Principal = Object.freeze({ kind: 'system' });

export function userPrincipal(account: string, ip: string, role: Role): Principal {
  return { kind: 'user', account, ip, role };
}

/** Text for logs and the console: `admin@192.168.1.10` or `system`. */
export function principalText(p: Principal): string {
  return p.kind === 'user' ? `${p.account}@${p.ip}` : 'system';
}
