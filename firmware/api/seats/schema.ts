import { z } from 'zod';
import { MAX_GROUP, POP_TRIGGERS, SEAT_LEVELS, SEAT_REACH } from '../../app/vocabulary.ts';
import { channelRefParam } from '../params.ts';

export const seatLoginBody = z
  .object({
    account: z.string().min(1).max(64),
    password: z.string().max(256),
    /** A seat client: the answer carries the token for `Authorization: Bearer`, and no cookies are set. */
    bearer: z.boolean().optional(),
  })
  .strict();

export const syncQuery = z
  .object({
    /** The `cursor` of the previous answer; 0 (or none) for everything. */
    cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();

/** A seat's settings as an administrator changes them: every field but the hash (checked again by the settings), and a new password. */
const seatFields = z
  .object({
    enabled: z.boolean().optional(),
    account: z.string().max(32).optional(),
    password: z.string().max(128).optional(),
    name: z.string().max(32).optional(),
    lineNumber: z.string().max(32).optional(),
    monitoredRef: z.string().max(32).optional(),
    group: z.number().int().min(0).max(MAX_GROUP).optional(),
    sync: z.enum(SEAT_REACH).optional(),
    fetch: z.enum(SEAT_REACH).optional(),
    monitor: z.enum(SEAT_REACH).optional(),
    level: z.enum(SEAT_LEVELS).optional(),
    popOn: z.enum(POP_TRIGGERS).optional(),
  })
  .strict();

export const seatPath = z.object({ ref: channelRefParam });
export const seatPatchBody = seatFields;
export const seatsBody = z.object({ seats: z.array(seatFields.extend({ ref: channelRefParam })).min(1).max(4096) }).strict();
