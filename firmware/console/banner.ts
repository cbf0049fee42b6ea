/**
 * The console's banner: what the box is, its version, and where to find it
 * on the network: its addresses now and the factory address it has after a
 * factory reset, so a technician with a laptop on the RS232 line can always
 * reach the web interface.
 */
export interface BannerFacts {
  name: string;
  model: string;
  version: string;
  serial: string | null;
  /** Addresses of the box's network interfaces now (`eth0 192.168.1.20/24`). */
  addresses: ReadonlyArray<{ iface: string; address: string; prefix: number }>;
  /** The address of a new box (manual 2.5), as `192.168.123.100/24`. */
  factoryAddress: string;
  webPort: number;
}

export function bannerText(f: BannerFacts): string {
  const now = f.addresses.length ? f.addresses.map((a) => `${a.address}/${a.prefix} (${a.iface})`).join(', ') : 'none configured';
  const web = f.addresses.length ? `http://${f.addresses[0]!.address}${f.webPort === 80 ? '' : `:${f.webPort}`}/` : '-';
  return [
    '',
    `${f.name} (${f.model}), version ${f.version}${f.serial ? `, serial ${f.serial}` : ''}`,
    `IP address: ${now}`,
    `Factory IP address: ${f.factoryAddress}`,
    `Web interface: ${web}`,
    "Maintenance console: sign in with a web account; type 'help' for the commands.",
    '',
    '',
  ].join('\n');
}
