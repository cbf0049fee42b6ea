/**
 * System management: IP settings (with the confirmation of a change), time
 * settings, system settings (系统设置).
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { ifRevisionOf, sendRevised } from '../settings/revision.ts';
import { confirmTokenBody, networkBody, systemBody, timeBody } from './schema.ts';
import { presentNetwork, presentTime } from './presenter.ts';

export function systemRoutes(router: Router, services: Services): void {
  const { network, time, system } = services;

  router.get('/system/network', async (ctx) => {
    const v = await network.view();
    sendRevised(ctx, presentNetwork(v), v.revision);
  });

  const net = { body: networkBody };
  router.put('/system/network', validate(net), async (ctx) => {
    const { revision, ...settings } = inputOf(ctx, net).body;
    const r = await network.set(principalOf(ctx), settings, ifRevisionOf(ctx, revision));
    ctx.status = 202;
    sendRevised(ctx, { ...presentNetwork(r.view), confirmToken: r.confirmToken, confirmWindowS: Math.round(r.confirmWindowMs / 1000) }, r.view.revision);
  });

  router.post('/system/network/confirm', async (ctx) => {
    const v = await network.confirm(principalOf(ctx));
    sendRevised(ctx, presentNetwork(v), v.revision);
  });

  const tok = { body: confirmTokenBody };
  router.post('/system/network/confirm-token', validate(tok), async (ctx) => {
    const v = await network.confirm(null, inputOf(ctx, tok).body.token);
    sendRevised(ctx, presentNetwork(v), v.revision);
  });

  router.get('/system/time', async (ctx) => {
    const v = await time.view();
    sendRevised(ctx, presentTime(v), v.revision);
  });

  const tb = { body: timeBody };
  router.put('/system/time', validate(tb), async (ctx) => {
    const { revision, dateTime, ...settings } = inputOf(ctx, tb).body;
    const v = await time.set(principalOf(ctx), settings, { ifRevision: ifRevisionOf(ctx, revision), dateTime });
    sendRevised(ctx, presentTime(v), v.revision);
  });

  router.get('/system/settings', (ctx) => {
    const v = system.view();
    sendRevised(ctx, { ...v.settings, watchdogStatus: v.watchdog, cpuPercent: v.cpuPercent }, v.revision);
  });

  const sb = { body: systemBody };
  router.put('/system/settings', validate(sb), async (ctx) => {
    const { revision, ...settings } = inputOf(ctx, sb).body;
    const v = await system.set(principalOf(ctx), settings, ifRevisionOf(ctx, revision));
    sendRevised(ctx, { ...v.settings, watchdogStatus: v.watchdog, cpuPercent: v.cpuPercent }, v.revision);
  });
}
