/**
 * The ping of 系统调试 (manual 3.23) as a command line (pure): the target
 * must be a host name or an IP address, so nothing the user types can
 * become an option or reach a shell; count and size are bounded. The same
 * options work with iputils and BusyBox ping.
 */
import { z } from 'zod';
import { HOST_NAME } from '../settings/mail-settings.ts';

const IPV4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/;
const IPV6 = /^(?=.*:.*:)[0-9A-Fa-f:.]{2,45}$/;

export const MAX_PING_COUNT = 100;
export const MAX_PING_SIZE = 65_500;

export const pingRequestSchema = z.object({
  /** Ping IP地址: a host name or an IPv4/IPv6 address. */
  target: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .refine((t) => IPV4.test(t) || IPV6.test(t) || (HOST_NAME.test(t) && !/^[\d.]+$/.test(t)), 'a host name or an IP address such as 192.168.1.1'),
  /** Ping 次数 */
  count: z.number().int().min(1).max(MAX_PING_COUNT).default(4),
  /** Ping 包大小: data bytes of each echo request. */
  size: z.number().int().min(0).max(MAX_PING_SIZE).default(56),
});
export type PingRequest = z.output<typeof pingRequestSchema>;
export type PingInput = z.input<typeof pingRequestSchema>;

/** Arguments of `ping` for a validated request; the run ends by itself within `count + 5` seconds. */
export function pingArgs(r: PingRequest): string[] {
  return [...(IPV6.test(r.target) ? ['-6'] : []), '-c', String(r.count), '-s', String(r.size), '-W', '2', '-w', String(r.count + 5), '--', r.target];
}

/** Transmitted and received packets from ping's summary line, when it printed one. */
export function pingSummary(line: string): { transmitted: number; received: number } | null {
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(line);
  return m ? { transmitted: Number(m[1]), received: Number(m[2]) } : null;
}
