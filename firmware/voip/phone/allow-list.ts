/**
 * Which phones may record (allowed senders): MAC addresses (any notation)
 * and IPv4 addresses or subnets (`192.168.1.0/24`). An empty list allows
 * every phone. Pure.
 */
export function normaliseMac(text: string): string | null {
  const hex = text.replace(/[-:.\s]/g, '').toLowerCase();
  return /^[0-9a-f]{12}$/.test(hex) ? hex : null;
}

function ipv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.replace(/^::ffff:/i, ''));
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** Whether an allow-list entry is well formed (settings validation). */
export function isAllowEntry(text: string): boolean {
  if (normaliseMac(text)) return true;
  const [addr, bits, extra] = text.split('/');
  if (extra !== undefined || ipv4(addr ?? '') === null) return false;
  return bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32);
}

export class AllowList {
  private readonly macs = new Set<string>();
  private readonly nets: Array<{ net: number; mask: number }> = [];

  constructor(entries: readonly string[]) {
    for (const e of entries) {
      const mac = normaliseMac(e);
      if (mac) {
        this.macs.add(mac);
        continue;
      }
      const [addr, bits] = e.split('/');
      const ip = ipv4(addr ?? '');
      if (ip === null) continue;
      const n = bits === undefined ? 32 : Number(bits);
      const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      this.nets.push({ net: (ip & mask) >>> 0, mask });
    }
  }

  get empty(): boolean {
    return this.macs.size === 0 && this.nets.length === 0;
  }

  /** Whether a phone with this MAC (as it says) connecting from this address may record. */
  allows(mac: string, address: string): boolean {
    if (this.empty) return true;
    const m = normaliseMac(mac);
    if (m && this.macs.has(m)) return true;
    const ip = ipv4(address);
    return ip !== null && this.nets.some((n) => ((ip & n.mask) >>> 0) === n.net);
  }
}
