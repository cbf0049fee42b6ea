/** The box's IPv4 addresses now, by interface (loopback left out), for the console's banner. */
import os from 'node:os';

export interface InterfaceAddress {
  iface: string;
  address: string;
  prefix: number;
}

export function interfaceAddresses(): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  for (const [iface, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || a.internal) continue;
      const prefix = a.cidr ? Number(a.cidr.split('/')[1]) : 24;
      out.push({ iface, address: a.address, prefix });
    }
  }
  return out;
}
