/**
 * Paging and time-range fields shared by the operation log and the alarm
 * history queries: newest first, `limit` per page, and either `offset`
 * (numbered pages, as the manual's lists show them) or `cursor` (the
 * `next` of the previous page). Times are ms since the epoch; `from` is
 * inclusive and `to` exclusive.
 */
import { z } from 'zod';
import type { ChannelRef, PortType } from '../ports/channel-ref.ts';
import { PORT_TYPES, isValidRef } from '../ports/channel-ref.ts';
import { RecorderError } from '../errors.ts';
import { END_OF_TIME, parseCursor } from './journal-keys.ts';
import type { PageRequest } from './streams.ts';

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;

export const pageFields = {
  from: z.number().int().nonnegative().optional(),
  to: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
  offset: z.number().int().nonnegative().default(0),
  cursor: z.string().max(32).optional(),
};

export const channelRefSchema: z.ZodType<ChannelRef, ChannelRef> = z
  .object({
    portType: z.custom<PortType>((v) => PORT_TYPES.includes(v as PortType), 'unknown port type'),
    port: z.number().int(),
    channel: z.number().int(),
  })
  .refine(isValidRef, 'no such channel');

export interface Page<T> {
  /** Entries matching the filters, on every page. */
  total: number;
  /** This page, newest first. */
  items: T[];
  /** Cursor of the next page; null on the last one. */
  next: string | null;
}

export function pageRequest(q: { from?: number; to?: number; limit: number; offset: number; cursor?: string }): PageRequest {
  let cursor: Buffer | null = null;
  if (q.cursor !== undefined) {
    cursor = parseCursor(q.cursor);
    if (!cursor) throw new RecorderError('BAD_REQUEST', 'invalid paging cursor');
  }
  return { from: q.from ?? 0, to: q.to ?? END_OF_TIME, limit: q.limit, offset: q.offset, cursor };
}

/** Cuts free text to a bound, marking the cut. */
export function bounded(max: number): (s: string) => string {
  return (s) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
}
