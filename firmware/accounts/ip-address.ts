/**
 * Client addresses as numbers, for the account's subnet (网段限定) and the
 * web access ranges (WEB允许访问权限配置). IPv4 and IPv6; an IPv4-mapped
 * IPv6 address (`::ffff:192.168.1.5`, as a dual-stack listener reports
 * IPv4 clients) counts as its IPv4 address.
 */
import { isIP } from 'node:net';

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

const MAPPED_V4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

export function parseIp(text: string): IpAddress | null {
  const bare = text.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = MAPPED_V4.exec(bare);
  if (mapped) return parseIp(mapped[1]!);
  const family = isIP(bare);
  if (family === 4) return { family: 4, value: bare.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n) };
  if (family === 6) return { family: 6, value: ipv6Value(bare) };
  return null;
}

function ipv6Value(text: string): bigint {
  let groups: string[];
  const [head, tail] = text.split('::') as [string, string | undefined];
  const words = (part: string) => (part ? part.split(':').flatMap(v4Tail) : []);
  if (tail === undefined) groups = words(head);
  else {
    const h = words(head);
    const t = words(tail);
    groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An embedded IPv4 tail (`::1.2.3.4`) as two 16-bit groups. */
function v4Tail(group: string): string[] {
  if (!group.includes('.')) return [group];
  const n = Number(parseIp(group)!.value);
  return [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
}

const bits = (family: 4 | 6) => (family === 4 ? 32n : 128n);

export interface Cidr {
  base: IpAddress;
  prefix: number;
}

/** `192.168.1.0/24`, `fd00::/64`; an address alone is a single-address block. */
export function parseCidr(text: string): Cidr | null {
  const [addr, len, extra] = text.split('/');
  if (extra !== undefined || addr === undefined) return null;
  const base = parseIp(addr);
  if (!base) return null;
  const max = Number(bits(base.family));
  const prefix = len === undefined ? max : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { base, prefix };
}

export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.family !== cidr.base.family) return false;
  const shift = bits(ip.family) - BigInt(cidr.prefix);
  return ip.value >> shift === cidr.base.value >> shift;
}

export function inRange(ip: IpAddress, from: IpAddress, to: IpAddress): boolean {
  return ip.family === from.family && ip.family === to.family && ip.value >= from.value && ip.value <= to.value;
}

/** 127.0.0.0/8 and ::1: the box itself, which no access rule may shut out. */
export function isLoopback(ip: IpAddress): boolean {
  return ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n;
}
