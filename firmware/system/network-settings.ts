/**
 * IP settings (IP设置, manual 2.5 and 3.14): static or DHCP, address, mask,
 * gateway, DNS, and three further addresses (其他网段设置) on the same port,
 * entry 0 always on; checked with a message per field, and written as BusyBox
 * ifupdown's `/etc/network/interfaces` and `/etc/resolv.conf`.
 */
import { z } from 'zod';
import { inSubnet, ipv4Value, notAHostAddress, overlap, prefixOf, subnetOf, type Subnet } from './ipv4.ts';

export const EXTRA_ADDRESSES = 3;
export const MAX_DNS = 2;
export const NETWORK_IFACE = 'eth0';

const text = z.string().trim().max(15);

export const extraAddressSchema = z.object({ enabled: z.boolean(), address: text, netmask: text }).strict();
export type ExtraAddress = z.infer<typeof extraAddressSchema>;

export const networkSettingsSchema = z
  .object({
    /** IP获取类型: 静态分配 (static) or DHCP. */
    mode: z.enum(['static', 'dhcp']),
    address: text,
    netmask: text,
    /** 网关地址; empty for none. */
    gateway: text,
    /** DNS servers (static only; with DHCP the server's). */
    dns: z.array(text).max(MAX_DNS),
    /** 其他网段设置: entries 0, 1, 2; entry 0 is always on. */
    extra: z.array(extraAddressSchema).length(EXTRA_ADDRESSES),
  })
  .strict();
export type NetworkSettings = z.infer<typeof networkSettingsSchema>;

/** The factory address (manual 2.5; the image's interfaces file). */
export const FACTORY_NETWORK: Readonly<NetworkSettings> = Object.freeze({
  mode: 'static',
  address: '192.168.123.100',
  netmask: '255.255.255.0',
  gateway: '192.168.123.254',
  dns: ['192.168.123.254'],
  extra: [
    { enabled: true, address: '192.168.100.100', netmask: '255.255.255.0' },
    { enabled: false, address: '', netmask: '' },
    { enabled: false, address: '', netmask: '' },
  ],
});

/** Every problem of a network configuration, each naming its field; empty when it is valid. */
export function networkProblems(s: NetworkSettings): string[] {
  const problems: string[] = [];
  const used: Array<{ field: string; address: string; subnet: Subnet }> = [];
  const host = (field: string, address: string, netmask: string): Subnet | null => {
    const bad = notAHostAddress(address);
    if (bad) return problems.push(`${field}: ${address || '(empty)'}: ${bad}`), null;
    const prefix = prefixOf(netmask);
    if (prefix === null) return problems.push(`${field} netmask (子网掩码): ${netmask || '(empty)'} is not a netmask (such as 255.255.255.0)`), null;
    if (prefix < 8 || prefix > 30) return problems.push(`${field} netmask (子网掩码): ${netmask} leaves no room for hosts or is wider than /8`), null;
    const subnet = subnetOf(address, netmask)!;
    const a = ipv4Value(address);
    if (a === subnet.network || a === subnet.broadcast) {
      return problems.push(`${field}: ${address} is the ${a === subnet.network ? 'network' : 'broadcast'} address of its subnet`), null;
    }
    for (const u of used) {
      if (u.address === address) problems.push(`${field}: ${address} is already ${u.field}`);
      else if (overlap(u.subnet, subnet)) problems.push(`${field}: ${address}/${prefix} overlaps ${u.field} (${u.address}); each address needs its own subnet`);
    }
    used.push({ field, address, subnet });
    return subnet;
  };
  if (s.mode === 'static') {
    const subnet = host('address (IP地址)', s.address, s.netmask);
    if (s.gateway !== '') {
      const bad = notAHostAddress(s.gateway);
      if (bad) problems.push(`gateway (网关地址): ${s.gateway}: ${bad}`);
      else if (s.gateway === s.address) problems.push(`gateway (网关地址): ${s.gateway} is the box's own address`);
      else if (subnet && !inSubnet(s.gateway, subnet)) problems.push(`gateway (网关地址): ${s.gateway} is not in the box's subnet ${s.address}/${subnet.prefix}`);
    }
  }
  s.dns.forEach((d, i) => {
    const bad = notAHostAddress(d);
    if (bad) problems.push(`dns (DNS ${i + 1}): ${d || '(empty)'}: ${bad}`);
  });
  s.extra.forEach((e, i) => {
    const field = `extra ${i} (其他网段 序号 ${i})`;
    if (i === 0 && !e.enabled) problems.push(`${field}: entry 0 cannot be turned off or deleted; change its address instead`);
    if (e.enabled || i === 0) host(field, e.address, e.netmask);
  });
  return problems;
}

/** `/etc/network/interfaces` for BusyBox ifupdown: the port and its enabled further addresses as aliases (eth0:0 ...). */
export function renderInterfaces(s: NetworkSettings, iface = NETWORK_IFACE): string {
  const lines = [
    '# Written by the recorder (IP设置). Changes made here are replaced at the next change in the web UI or console.',
    'auto lo',
    'iface lo inet loopback',
    '',
    `auto ${iface}`,
  ];
  if (s.mode === 'dhcp') lines.push(`iface ${iface} inet dhcp`);
  else {
    lines.push(`iface ${iface} inet static`, `\taddress ${s.address}`, `\tnetmask ${s.netmask}`);
    if (s.gateway) lines.push(`\tgateway ${s.gateway}`);
  }
  s.extra.forEach((e, i) => {
    if (!e.enabled) return;
    lines.push('', `auto ${iface}:${i}`, `iface ${iface}:${i} inet static`, `\taddress ${e.address}`, `\tnetmask ${e.netmask}`);
  });
  return `${lines.join('\n')}\n`;
}

/** `/etc/resolv.conf` of a static configuration; null with DHCP (the DHCP client writes it). */
export function renderResolv(s: NetworkSettings): string | null {
  if (s.mode === 'dhcp') return null;
  return `# Written by the recorder (IP设置).\n${s.dns.map((d) => `nameserver ${d}\n`).join('')}`;
}
