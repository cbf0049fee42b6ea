import { z } from 'zod';
import { ALARM_AREAS, ALARM_SEVERITIES, OPERATIONS, OPERATION_ITEMS, OPERATION_RESULTS } from '../../app/vocabulary.ts';
import { channelRefParam, flag, moment } from '../params.ts';

const page = {
  from: moment(false).optional(),
  to: moment(true).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  page: z.coerce.number().int().min(1).optional(),
  cursor: z.string().max(32).optional(),
};

/** 操作日志 search. */
export const operationsQuery = z
  .object({
    ...page,
    account: z.string().min(1).max(64).optional(),
    kind: z.enum(['user', 'system']).optional(),
    item: z.enum(OPERATION_ITEMS).optional(),
    channel: channelRefParam.optional(),
    operation: z.enum(OPERATIONS).optional(),
    result: z.enum(OPERATION_RESULTS).optional(),
  })
  .strict();

/** 历史告警 search. */
export const alarmHistoryQuery = z
  .object({
    ...page,
    severity: z.enum(ALARM_SEVERITIES).optional(),
    area: z.enum(ALARM_AREAS).optional(),
    active: flag.optional(),
  })
  .strict();
