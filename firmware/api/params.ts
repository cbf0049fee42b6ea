/** Schemas shared by the API's resources: channel references in paths, moments, flags, dates. */
import { parseRefKey, dayStart, parseDayLabel, type ChannelRef } from '../app/vocabulary.ts';
import { z } from 'zod';

/** A channel in a path or query: `7` (analog line 7), `e1-1-16`, `voip-0-8001`. */
export const channelRefParam = z.string().transform((s, ctx): ChannelRef => {
  const ref = parseRefKey(s);
  if (!ref) {
    ctx.addIssue({ code: 'custom', message: 'not a channel: a line number like 7, or e1-<port>-<timeslot>, voip-<port>-<channel>' });
    return z.NEVER;
  }
  return ref;
});

/** A moment: ISO 8601 time, or a `YYYY-MM-DD` date (its start, or its end for an upper bound). */
export const moment = (end: boolean) =>
  z.string().transform((s, ctx) => {
    const day = parseDayLabel(s);
    if (day !== null) return end ? dayStart(day + 1) - 1 : dayStart(day);
    const t = Date.parse(s);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 time or YYYY-MM-DD date' });
      return z.NEVER;
    }
    return t;
  });

/** A `YYYY-MM-DD` date as a day number. */
export const dateParam = z.string().transform((s, ctx) => {
  const day = parseDayLabel(s);
  if (day === null) {
    ctx.addIssue({ code: 'custom', message: 'not a YYYY-MM-DD date' });
    return z.NEVER;
  }
  return day;
});

export const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());
