/**
 * What the boxes of a cascade send each other, checked on arrival: the
 * search a master asks of a slave, and a slave's answers (anything else is
 * a garbage answer: the slave is shown as such and left out).
 */
import { z } from 'zod';
import type { RecordQuery } from '../recording/record-query-types.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { StatsQuery } from '../recording/stats-query.ts';
import type { StatsResult } from './storage-service.ts';

const int = z.number().int();
const short = z.string().max(256);

/** The search sent to a slave (`q`, as JSON): the master's conditions with the window it needs. */
export const peerSearchSchema = z.strictObject({
  from: int.optional(),
  to: int.optional(),
  lineNumber: short.optional(),
  callId: short.optional(),
  remoteNumber: short.optional(),
  portType: z.enum(['analog', 'e1', 'voip']).optional(),
  port: int.min(0).optional(),
  channel: int.min(0).optional(),
  callType: short.optional(),
  level: short.optional(),
  minDurationMs: int.min(0).optional(),
  maxDurationMs: int.min(0).optional(),
  store: z.enum(['today', 'history']).optional(),
  deleted: z.boolean().optional(),
  limit: int.min(1).max(5000),
  offset: int.min(0).max(5000),
}) as unknown as z.ZodType<RecordQuery>;

export const peerStatsQuerySchema = z.strictObject({
  fromDay: int,
  toDay: int,
  portType: z.enum(['analog', 'e1', 'voip']).optional(),
  port: int.min(0).optional(),
  channel: int.min(0).optional(),
}) as unknown as z.ZodType<StatsQuery>;

/** A record as a slave sends it: the fields the master sorts, shows and plays by must be there and typed. */
const peerRecord = z.looseObject({
  id: z.string().min(1).max(80).regex(/^[A-Za-z0-9._-]+$/),
  startedAt: z.number().finite(),
  durationMs: z.number().finite().min(0),
  portType: z.enum(['analog', 'e1', 'voip']),
  port: int.min(0),
  channel: int.min(0),
  callId: z.string(),
  lineNumber: z.string(),
  remoteNumber: z.string(),
  callType: z.string(),
  startMode: z.string(),
  file: z.string().nullable(),
  deleted: z.boolean(),
});

export const peerSearchAnswer = z.object({ total: int.min(0), items: z.array(peerRecord).max(5000) }) as unknown as z.ZodType<{ total: number; items: RecordEntry[] }>;

const counts = { incoming: int.min(0), outgoing: int.min(0), missed: int.min(0), recordings: int.min(0), durationMs: z.number().min(0) };
export const peerStatsAnswer = z.object({
  items: z.array(z.looseObject({ portType: z.enum(['analog', 'e1', 'voip']), port: int, channel: int, ...counts })).max(10_000),
  total: z.object(counts),
}) as unknown as z.ZodType<StatsResult>;
