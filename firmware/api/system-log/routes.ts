/** System logs (系统日志): saved bundles listed, saved now, downloaded, deleted; the running log's last lines. */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import type { SavedLog } from '../../app/system-log-service.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { logPath, tailQuery } from './schema.ts';

const present = (s: SavedLog) => ({ ...s, createdAt: new Date(s.createdAt).toISOString(), downloadUrl: `/api/v1/system-logs/${encodeURIComponent(s.name)}` });

export function systemLogRoutes(router: Router, services: Services): void {
  const { systemLog } = services;

  router.get('/system-logs', async (ctx) => {
    const r = await systemLog.list();
    ctx.body = { ...r, items: r.items.map(present) };
  });

  router.post('/system-logs', async (ctx) => {
    ctx.status = 201;
    ctx.body = present(await systemLog.save(principalOf(ctx)));
  });

  const tail = { query: tailQuery };
  router.get('/system-logs/tail', validate(tail), async (ctx) => {
    const lines = await systemLog.tail(inputOf(ctx, tail).query.lines);
    ctx.body = { items: lines.map((l) => ({ ...l, time: l.time === null ? null : new Date(l.time).toISOString() })) };
  });

  const one = { params: logPath };
  router.get('/system-logs/:name', validate(one), async (ctx) => {
    const f = await systemLog.open(inputOf(ctx, one).params.name);
    ctx.attachment(f.name);
    ctx.type = 'application/zip';
    ctx.length = f.sizeBytes;
    ctx.body = f.stream;
  });

  router.delete('/system-logs/:name', validate(one), async (ctx) => {
    await systemLog.remove(principalOf(ctx), inputOf(ctx, one).params.name);
    ctx.status = 204;
  });
}
