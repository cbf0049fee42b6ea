/**
 * Statistics (录音统计), the data disk (usage, 约可录…小时), archive on demand
 * (录音归档), a maintenance round and formatting the disk.
 */
import { dayLabel, refKey } from '../../app/vocabulary.ts';
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { statsQuery } from './schema.ts';

export function storageRoutes(router: Router, services: Services): void {
  const { storage } = services;

  const stats = { query: statsQuery };
  router.get('/stats', validate(stats), async (ctx) => {
    const q = inputOf(ctx, stats).query;
    const r = await storage.stats(principalOf(ctx), { fromDay: q.from, toDay: q.to, portType: q.portType, port: q.port, channel: q.channel });
    ctx.body = {
      from: dayLabel(q.from),
      to: dayLabel(q.to),
      items: r.items.map((x) => ({ ref: refKey(x), ...x, durationS: Math.round(x.durationMs / 1000) })),
      total: { ...r.total, durationS: Math.round(r.total.durationMs / 1000) },
    };
  });

  router.get('/storage', (ctx) => {
    const u = storage.usage();
    ctx.body = { ...u, archive: { ...u.archive, nextAt: new Date(u.archive.nextAt).toISOString() } };
  });

  router.post('/storage/archive', async (ctx) => {
    ctx.body = await storage.archiveNow(principalOf(ctx));
  });

  router.post('/storage/maintenance', async (ctx) => {
    ctx.body = await storage.maintenanceNow(principalOf(ctx));
  });
}
