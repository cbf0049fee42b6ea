/** IPv4 netmasks and prefix lengths, as the console writes them (`/24` ↔ `255.255.255.0`). Pure. */

/** The netmask of a prefix length from 8 to 30, else null. */
export function maskOfPrefix(prefix: number): string | null {
  if (!Number.isInteger(prefix) || prefix < 8 || prefix > 30) return null;
  const bits = (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 0xff).join('.');
}

/** The prefix length of a contiguous netmask, else null. */
export function prefixOfMask(mask: string): number | null {
  const parts = mask.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  const value = parts.reduce((v, p) => ((v << 8) | Number(p)) >>> 0, 0);
  const ones = value.toString(2).replace(/0+$/, '');
  if (value !== 0 && ones.includes('0')) return null;
  return value === 0 ? 0 : ones.length;
}
