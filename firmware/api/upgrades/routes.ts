/**
 * Field upgrades (系统升级, manual 3.22): the stored versions, uploading a
 * package (the file as the body, streamed to disk), activating, rolling back
 * (回退) and deleting a version.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { switchBody, versionParams } from './schema.ts';

export function upgradeRoutes(router: Router, services: Services): void {
  const { upgrades } = services;

  router.get('/upgrades', async (ctx) => {
    ctx.body = await upgrades.list();
  });

  router.post('/upgrades', async (ctx) => {
    const declared = ctx.request.length;
    ctx.status = 201;
    ctx.body = await upgrades.upload(principalOf(ctx), ctx.req, Number.isFinite(declared) ? declared : undefined);
  });

  const activate = { params: versionParams, body: switchBody };
  router.post('/upgrades/:version/activate', validate(activate), async (ctx) => {
    const { params, body } = inputOf(ctx, activate);
    ctx.body = await upgrades.activate(principalOf(ctx), params.version, body);
  });

  const rollback = { body: switchBody };
  router.post('/upgrades/rollback', validate(rollback), async (ctx) => {
    ctx.body = await upgrades.rollback(principalOf(ctx), inputOf(ctx, rollback).body);
  });

  const one = { params: versionParams };
  router.delete('/upgrades/:version', validate(one), async (ctx) => {
    await upgrades.remove(principalOf(ctx), inputOf(ctx, one).params.version);
    ctx.status = 204;
  });
}
