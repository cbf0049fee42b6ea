/**
 * One entry of the operation log (操作日志, manual 3.4): when, who (account
 * and IP, or the system), what was acted on (item, channel, parameter), the
 * operation, its result and a bounded free-text detail. Schemas validate an
 * entry at `append` and a query at the edge; the API derives its enums from
 * the lists here.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors.ts';
import { parseRefKey, refKey } from '../ports/channel-ref.ts';
import { principalSchema, type Principal } from './principal.ts';
import { bounded, channelRefSchema, pageFields } from './paging.ts';
import type { Facet } from './journal-keys.ts';

/** What an operation acted on: 通道参数, 录音参数, 免录名单, 录音, 存储, 账户, 系统. */
export const OPERATION_ITEMS = ['channel-settings', 'recording-settings', 'do-not-record', 'recording', 'storage', 'account', 'system', 'voip-settings', 'e1-settings', 'seat-settings', 'listen', 'nas', 'cascade', 'object-store'] as const;
export type OperationItem = (typeof OPERATION_ITEMS)[number];

export const OPERATIONS = [
  'set', 'add', 'delete', 'restore', 'purge', 'login', 'logout', 'start', 'stop', 'format', 'archive', 'maintain', 'recover', 'upgrade', 'reboot', 'test', 'save',
  'factory-reset', 'activate', 'rollback', 'upload', 'backup',
] as const;
export type OperationKind = (typeof OPERATIONS)[number];

export const OPERATION_RESULTS = ['ok', 'failed'] as const;
export type OperationOutcome = (typeof OPERATION_RESULTS)[number];

export const MAX_PARAMETER = 120;
export const MAX_DETAIL = 1000;

const errorCode = z.custom<ErrorCode>((v) => typeof v === 'string' && Object.hasOwn(ERROR_CODES, v), 'unknown error code');

export const operationResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), code: errorCode }),
]);
export type OperationResult = z.infer<typeof operationResultSchema>;

export const operationInputSchema = z.object({
  time: z.number().int().nonnegative(),
  principal: principalSchema,
  item: z.enum(OPERATION_ITEMS),
  /** The channel acted on, or null (device-wide). */
  channel: channelRefSchema.nullable().default(null),
  /** The parameter changed (e.g. `recordingEnabled`, `all`), or null. */
  parameter: z.string().transform(bounded(MAX_PARAMETER)).nullable().default(null),
  operation: z.enum(OPERATIONS),
  result: operationResultSchema,
  /** Free text: old and new values, counts, file names; cut at MAX_DETAIL characters. */
  detail: z.string().transform(bounded(MAX_DETAIL)).default(''),
});

/** What a service passes to `append` (channel, parameter and detail may be left out). */
export type OperationInput = z.input<typeof operationInputSchema>;

/** A logged operation as queries return it; `id` is stable and unique. */
export type OperationRecord = z.output<typeof operationInputSchema> & { id: string };

export const FACET_KIND = 1;
export const FACET_ACCOUNT = 2;
export const FACET_ITEM = 3;
export const FACET_CHANNEL = 4;
export const FACET_OPERATION = 5;
export const FACET_RESULT = 6;

export const operationQuerySchema = z.object({
  ...pageFields,
  /** Entries of this signed-in account. */
  account: z.string().min(1).max(64).optional(),
  /** Entries of users, or of the system. */
  kind: z.enum(['user', 'system']).optional(),
  item: z.enum(OPERATION_ITEMS).optional(),
  channel: channelRefSchema.optional(),
  operation: z.enum(OPERATIONS).optional(),
  result: z.enum(OPERATION_RESULTS).optional(),
});
export type OperationQuery = z.input<typeof operationQuerySchema>;

/** The indexed properties of an entry: each has its own time-ordered key stream. */
export function operationFacets(e: Omit<OperationRecord, 'id'>): Facet[] {
  const f: Facet[] = [{ code: FACET_KIND, value: e.principal.kind }];
  if (e.principal.kind !== 'system') f.push({ code: FACET_ACCOUNT, value: e.principal.account });
  f.push({ code: FACET_ITEM, value: e.item });
  if (e.channel) f.push({ code: FACET_CHANNEL, value: refKey(e.channel) });
  f.push({ code: FACET_OPERATION, value: e.operation });
  f.push({ code: FACET_RESULT, value: e.result.ok ? 'ok' : 'failed' });
  return f;
}

/** The facets a query requires. */
export function queryFacets(q: z.output<typeof operationQuerySchema>): Facet[] {
  const f: Facet[] = [];
  if (q.kind) f.push({ code: FACET_KIND, value: q.kind });
  if (q.account !== undefined) f.push({ code: FACET_ACCOUNT, value: q.account });
  if (q.item) f.push({ code: FACET_ITEM, value: q.item });
  if (q.channel) f.push({ code: FACET_CHANNEL, value: refKey(q.channel) });
  if (q.operation) f.push({ code: FACET_OPERATION, value: q.operation });
  if (q.result) f.push({ code: FACET_RESULT, value: q.result });
  return f;
}

/** Stored form: compact JSON; the time is in the key. */
interface StoredOperation {
  p: Principal;
  i: string;
  c: string | null;
  pa: string | null;
  o: string;
  r: string | null;
  d: string;
}

export function encodeOperation(e: Omit<OperationRecord, 'id' | 'time'>): Buffer {
  const s: StoredOperation = {
    p: e.principal, i: e.item, c: e.channel ? refKey(e.channel) : null, pa: e.parameter, o: e.operation, r: e.result.ok ? null : e.result.code, d: e.detail,
  };
  return Buffer.from(JSON.stringify(s));
}

/** Decodes a stored entry; values written by a later release pass through as they are. */
export function decodeOperation(value: Buffer, time: number, id: string): OperationRecord {
  const s = JSON.parse(value.toString()) as StoredOperation;
  return {
    id,
    time,
    principal: s.p,
    item: s.i as OperationItem,
    channel: s.c === null ? null : parseRefKey(s.c),
    parameter: s.pa,
    operation: s.o as OperationKind,
    result: s.r === null ? { ok: true } : { ok: false, code: s.r as ErrorCode },
    detail: s.d,
  };
}
