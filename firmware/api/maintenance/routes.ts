/**
 * Device operations (设备管理, manual 3.17): reboot, factory reset, format
 * the data disk, purge the deleted recordings, archive now; each confirmed
 * in the body.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { confirmBody, formatDiskBody } from './schema.ts';

export function maintenanceRoutes(router: Router, services: Services): void {
  const { maintenance } = services;
  const confirmed = { body: confirmBody };

  router.post('/device/reboot', validate(confirmed), async (ctx) => {
    ctx.body = await maintenance.reboot(principalOf(ctx), inputOf(ctx, confirmed).body.confirm);
  });

  router.post('/device/factory-reset', validate(confirmed), async (ctx) => {
    ctx.body = await maintenance.factoryReset(principalOf(ctx), inputOf(ctx, confirmed).body.confirm);
  });

  const format = { body: formatDiskBody };
  router.post('/device/format', validate(format), async (ctx) => {
    ctx.body = await maintenance.formatDisk(principalOf(ctx), inputOf(ctx, format).body.password);
  });

  router.post('/device/purge-deleted', validate(confirmed), async (ctx) => {
    ctx.body = await maintenance.purgeDeleted(principalOf(ctx), inputOf(ctx, confirmed).body.confirm);
  });

  router.post('/device/archive', validate(confirmed), async (ctx) => {
    ctx.body = await maintenance.archiveNow(principalOf(ctx), inputOf(ctx, confirmed).body.confirm);
  });
}
