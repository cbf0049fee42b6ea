import { CALL_TYPES, RECORD_LEVELS, MAX_CHANNEL, MAX_PORT, PORT_TYPES } from '../../app/vocabulary.ts';
import { z } from 'zod';
import { flag, moment } from '../params.ts';

/** Every condition of the manual's search page (录音查询). */
export const recordQuery = z
  .object({
    from: moment(false).optional(),
    to: moment(true).optional(),
    lineNumber: z.string().regex(/^[0-9*#A-D]{1,32}$/).optional(),
    callId: z.string().min(1).max(256).optional(),
    remoteNumber: z.string().regex(/^[0-9*#A-D+%]{1,32}$/, 'digits, * # A-D + and % only').optional(),
    portType: z.enum(PORT_TYPES).optional(),
    port: z.coerce.number().int().min(0).max(MAX_PORT).optional(),
    channel: z.coerce.number().int().min(0).max(MAX_CHANNEL).optional(),
    callType: z.enum(CALL_TYPES).optional(),
    level: z.enum(RECORD_LEVELS).optional(),
    minDurationS: z.coerce.number().min(0).optional(),
    maxDurationS: z.coerce.number().min(0).optional(),
    store: z.enum(['today', 'history']).optional(),
    deleted: flag.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(16),
    page: z.coerce.number().int().min(1).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

type RecordQueryInput = z.output<typeof recordQuery>;

/** The search conditions of a query, durations in ms (0 as the upper bound means no bound, as on the manual's search page). */
export function searchOf(q: RecordQueryInput) {
  const { minDurationS, maxDurationS, page: _page, limit: _limit, offset: _offset, ...rest } = q;
  return { ...rest, minDurationMs: minDurationS ? minDurationS * 1000 : undefined, maxDurationMs: maxDurationS ? maxDurationS * 1000 : undefined };
}

export const recordPath = z.object({ id: z.string().min(1).max(64) });

export const recordChange = z.object({ level: z.enum(RECORD_LEVELS) }).strict();

export const audioQuery = z.object({ download: flag.optional() }).strict();
