/** Statistics (录音统计) as chart series per day or month, and the statistics table as CSV or XLSX. */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { sendTable } from '../records/media-routes.ts';
import { dailyQuery, monthlyQuery, statsExportQuery } from './schema.ts';

export function statsRoutes(router: Router, services: Services): void {
  const { statistics, exports } = services;

  const daily = { query: dailyQuery };
  router.get('/stats/daily', validate(daily), async (ctx) => {
    const q = inputOf(ctx, daily).query;
    ctx.body = await statistics.daily(principalOf(ctx), q.from, q.to, q.portType);
  });

  const monthly = { query: monthlyQuery };
  router.get('/stats/monthly', validate(monthly), async (ctx) => {
    const q = inputOf(ctx, monthly).query;
    ctx.body = await statistics.monthly(principalOf(ctx), q.from, q.to, q.portType);
  });

  const table = { query: statsExportQuery };
  for (const format of ['csv', 'xlsx'] as const) {
    router.get(`/stats/export.${format}`, validate(table), async (ctx) => {
      const q = inputOf(ctx, table).query;
      const range = { fromDay: q.from, toDay: q.to, portType: q.portType, port: q.port, channel: q.channel };
      sendTable(ctx, await exports.stats(principalOf(ctx), range, { format, lang: q.lang }));
    });
  }
}
