/**
 * The SIPREC server's settings: where it listens and whom it accepts.
 */
import { z } from 'zod';

const ipv4Cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/(\d|[12]\d|3[0-2]))?$/;

export const siprecSettingsSchema = z.object({
  /** Accept recording sessions from SIPREC clients (PBX, SBC). */
  enabled: z.boolean().default(true),
  /** SIP port, for UDP and TCP alike (0: any free port, for tests). */
  port: z.number().int().min(0).max(65535).default(5060),
  udp: z.boolean().default(true),
  tcp: z.boolean().default(true),
  /** Address the sockets bind to. */
  bindAddress: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
  /** Address written in answers (SDP c=, Contact); the box's first address when empty. */
  advertisedAddress: z.union([z.ipv4(), z.ipv6(), z.literal('')]).default(''),
  /** Clients allowed to send requests, as IPv4 addresses or CIDR ranges; any when empty. */
  allowedSources: z.array(z.string().regex(ipv4Cidr, 'an IPv4 address or CIDR range such as 10.0.0.0/8')).max(256).default([]),
  /** Shortest session-timer interval accepted, in seconds (RFC 4028 Min-SE). */
  minSessionExpires: z.number().int().min(90).max(86_400).default(90),
});

export type SiprecSettings = z.infer<typeof siprecSettingsSchema>;

function ipv4ToInt(ip: string): number | null {
  const m = ipv4Cidr.exec(ip);
  if (!m) return null;
  const parts = [m[1], m[2], m[3], m[4]].map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** A predicate over source addresses: true for everything when the list is empty. */
export function sourceFilter(allowed: readonly string[]): ((address: string) => boolean) | undefined {
  if (allowed.length === 0) return undefined;
  const ranges = allowed.map((a) => {
    const [ip, bits] = a.split('/');
    const prefix = bits === undefined ? 32 : Number(bits);
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return { base: (ipv4ToInt(ip!) ?? 0) & mask, mask };
  });
  return (address: string) => {
    const n = ipv4ToInt(address.replace(/^::ffff:/i, ''));
    return n !== null && ranges.some((r) => ((n & r.mask) >>> 0) === r.base);
  };
}
