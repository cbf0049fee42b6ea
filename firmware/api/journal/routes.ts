/** The operation log (操作日志) and the alarm history (历史告警): newest first, filtered, paged. */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { principalText, refKey, type AlarmRecord, type OperationRecord } from '../../app/vocabulary.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { iso } from '../params.ts';
import { alarmHistoryQuery, operationsQuery } from './schema.ts';

export function presentOperation(o: OperationRecord) {
  return {
    id: o.id,
    time: new Date(o.time).toISOString(),
    account: o.principal.kind !== 'system' ? o.principal.account : null,
    ip: o.principal.kind !== 'system' ? o.principal.ip : null,
    role: o.principal.kind === 'user' ? (o.principal.role ?? null) : null,
    by: principalText(o.principal),
    item: o.item,
    channel: o.channel ? refKey(o.channel) : null,
    parameter: o.parameter,
    operation: o.operation,
    result: o.result.ok ? 'ok' : 'failed',
    error: o.result.ok ? null : o.result.code,
    detail: o.detail,
  };
}

export function presentAlarmRecord(a: AlarmRecord) {
  return { ...a, raisedAt: iso(a.raisedAt), clearedAt: iso(a.clearedAt) };
}

/** Time bounds from inclusive [from, to] (API) to the journal's [from, to). */
const window = (q: { from?: number; to?: number; limit: number; page?: number; cursor?: string }) => ({
  from: q.from,
  to: q.to === undefined ? undefined : q.to + 1,
  limit: q.limit,
  offset: ((q.page ?? 1) - 1) * q.limit,
  cursor: q.cursor,
});

export function journalRoutes(router: Router, services: Services): void {
  const ops = { query: operationsQuery };
  router.get('/operations', validate(ops), async (ctx) => {
    const q = inputOf(ctx, ops).query;
    const r = await services.journal.operations({
      ...window(q), account: q.account, kind: q.kind, item: q.item, channel: q.channel, operation: q.operation, result: q.result,
    });
    ctx.body = { total: r.total, next: r.next, items: r.items.map(presentOperation) };
  });

  const hist = { query: alarmHistoryQuery };
  router.get('/alarms/history', validate(hist), async (ctx) => {
    const q = inputOf(ctx, hist).query;
    const r = await services.alarms.history({ ...window(q), severity: q.severity, area: q.area, active: q.active ?? false });
    ctx.body = { total: r.total, next: r.next, items: r.items.map(presentAlarmRecord) };
  });
}
