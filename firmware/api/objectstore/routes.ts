/**
 * The object-store archive (对象存储): settings (the secret is write-only),
 * live status, a connection check and local retention on demand.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { ifRevisionOf, sendRevised, withRevision } from '../settings/revision.ts';
import { objectStorePatch } from './schema.ts';
import { presentStatus } from './presenter.ts';

export function objectStoreRoutes(router: Router, services: Services): void {
  const { objectStore } = services;

  router.get('/objectstore/settings', (ctx) => {
    sendRevised(ctx, objectStore.settings(), objectStore.revision());
  });

  const change = { body: withRevision(objectStorePatch) };
  router.patch('/objectstore/settings', validate(change), async (ctx) => {
    const { patch, revision } = inputOf(ctx, change).body;
    const value = await objectStore.update(principalOf(ctx), patch, ifRevisionOf(ctx, revision));
    sendRevised(ctx, value, objectStore.revision());
  });

  router.get('/objectstore/status', (ctx) => {
    ctx.body = presentStatus(objectStore.status());
  });

  router.post('/objectstore/check', async (ctx) => {
    ctx.body = await objectStore.check(principalOf(ctx));
  });

  router.post('/objectstore/retention', async (ctx) => {
    ctx.body = await objectStore.retention(principalOf(ctx));
  });
}
