/** IPv4 addresses and netmasks as the IP settings page (IP设置) checks them. */

export const IPV4_PATTERN = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function ipv4Value(text: string): number | null {
  if (!IPV4_PATTERN.test(text)) return null;
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** The prefix length of a contiguous netmask (255.255.255.0 → 24), null for an invalid one. */
export function prefixOf(mask: string): number | null {
  const v = ipv4Value(mask);
  if (v === null) return null;
  const bits = v.toString(2).padStart(32, '0');
  if (!/^1*0*$/.test(bits)) return null;
  const zero = bits.indexOf('0');
  return zero === -1 ? 32 : zero;
}

export interface Subnet {
  network: number;
  broadcast: number;
  prefix: number;
}

export function subnetOf(address: string, mask: string): Subnet | null {
  const a = ipv4Value(address);
  const prefix = prefixOf(mask);
  if (a === null || prefix === null) return null;
  const size = 2 ** (32 - prefix);
  const network = a - (a % size);
  return { network, broadcast: network + size - 1, prefix };
}

export const inSubnet = (address: string, s: Subnet) => {
  const a = ipv4Value(address);
  return a !== null && a >= s.network && a <= s.broadcast;
};

export const overlap = (a: Subnet, b: Subnet) => a.network <= b.broadcast && b.network <= a.broadcast;

/** Why an address cannot be a host address of the box, or null: 0/8, loopback, link-local, multicast and reserved. */
export function notAHostAddress(address: string): string | null {
  const v = ipv4Value(address);
  if (v === null) return 'not an IPv4 address (four numbers 0-255, such as 192.168.123.100)';
  const first = Math.floor(v / 2 ** 24);
  if (first === 0) return 'addresses 0.x.x.x cannot be used';
  if (first === 127) return 'loopback addresses 127.x.x.x cannot be used';
  if (first >= 224) return 'multicast and reserved addresses (224 and above) cannot be used';
  if (first === 169 && Math.floor(v / 2 ** 16) % 256 === 254) return 'link-local addresses 169.254.x.x cannot be used';
  return null;
}
