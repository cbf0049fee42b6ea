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
  /** A cloud seat (云座席) signed in from its client: its account and the channel it belongs to (`analog-0-7`). */
  z.object({
    kind: z.literal('seat'),
    account: z.string().min(1).max(MAX_ACCOUNT_LENGTH),
    ip: z.string().min(1).max(MAX_IP_LENGTH),
    ref: z.string().min(1).max(32),
  }),
]);

export type Principal = z.infer<typeof principalSchema>;

export const SYSTEM: Principal = Object.freeze({ kind: 'system' });

export function userPrincipal(account: string, ip: string, role: Role): Principal {
  return { kind: 'user', account, ip, role };
}

export function seatPrincipal(account: string, ip: string, ref: string): Principal & { kind: 'seat' } {
  return { kind: 'seat', account, ip, ref };
}

/** Text for logs and the console: `admin@192.168.1.10`, `seat 8001@192.168.1.20` or `system`. */
export function principalText(p: Principal): string {
  if (p.kind === 'seat') return `seat ${p.account}@${p.ip}`;
  return p.kind === 'user' ? `${p.account}@${p.ip}` : 'system';
}
