/**
 * NAS backup (私人网盘): the targets with their state, their settings
 * (password write-only), manual backup of a time range, the runs.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { ifRevisionOf, sendRevised, withRevision } from '../settings/revision.ts';
import { presentNas, presentRun, presentStatus } from './presenter.ts';
import { backupBody, nasPatch, nasTargetPatch, runsQuery, slotPath } from './schema.ts';

export function nasRoutes(router: Router, services: Services): void {
  const { nas } = services;

  router.get('/nas', (ctx) => {
    sendRevised(ctx, presentNas(nas.view()), nas.revision());
  });

  const all = { body: withRevision(nasPatch) };
  router.patch('/nas', validate(all), async (ctx) => {
    const { patch, revision } = inputOf(ctx, all).body;
    sendRevised(ctx, presentNas(await nas.update(principalOf(ctx), patch, ifRevisionOf(ctx, revision))), nas.revision());
  });

  const one = { params: slotPath, body: withRevision(nasTargetPatch) };
  router.patch('/nas/targets/:slot', validate(one), async (ctx) => {
    const { params, body } = inputOf(ctx, one);
    sendRevised(ctx, presentNas(await nas.updateTarget(principalOf(ctx), params.slot, body.patch, ifRevisionOf(ctx, body.revision))), nas.revision());
  });

  router.get('/nas/status', (ctx) => {
    ctx.body = { items: nas.status().map(presentStatus) };
  });

  const backup = { params: slotPath, body: backupBody };
  router.post('/nas/targets/:slot/backup', validate(backup), async (ctx) => {
    const { params, body } = inputOf(ctx, backup);
    ctx.status = 202;
    ctx.body = presentRun(await nas.backupRange(principalOf(ctx), params.slot, body.from, body.to));
  });

  const runs = { query: runsQuery };
  router.get('/nas/runs', validate(runs), async (ctx) => {
    const q = inputOf(ctx, runs).query;
    ctx.body = { items: (await nas.runs(q.limit, q.slot)).map(presentRun) };
  });
}
