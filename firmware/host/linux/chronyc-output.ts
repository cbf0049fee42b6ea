/**
 * `chronyc -c tracking` and `chronyc -c -n sources` (comma-separated output)
 * as the time page shows them.
 */
import type { NtpStatus } from '../host.ts';

/** Fields: ref id, name, stratum, ref time, system time, last offset, rms, freq, residual, skew, root delay, root dispersion, update interval, leap status. */
export function parseChronycTracking(text: string): Omit<NtpStatus, 'sources'> {
  const f = text.trim().split('\n')[0]?.split(',') ?? [];
  const num = (i: number) => (f[i] !== undefined && f[i] !== '' && Number.isFinite(Number(f[i])) ? Number(f[i]) : null);
  const refId = f[0] ?? '';
  const leap = f[13] ?? '';
  const stratum = num(2);
  const synchronised = leap !== 'Not synchronised' && refId !== '00000000' && refId !== '' && stratum !== null && stratum > 0 && stratum < 16;
  return {
    synchronised,
    server: synchronised ? f[1] || null : null,
    stratum: synchronised ? stratum : null,
    offsetS: num(4),
    updateIntervalS: synchronised ? num(12) : null,
  };
}

/** Fields: mode, state, address, stratum, poll, reach (octal), last rx, ... */
export function parseChronycSources(text: string): NtpStatus['sources'] {
  return text
    .trim()
    .split('\n')
    .filter((l) => l.includes(','))
    .map((l) => {
      const f = l.split(',');
      return { address: f[2] ?? '', state: f[1] ?? '?', reachable: (f[5] ?? '0') !== '0' };
    });
}
