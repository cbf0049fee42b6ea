/** Channels (通道状态) and forced recording (强制录音). */
import type { Router } from '@koa/router';
import type { Context, Next } from 'koa';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { presentChannel } from './presenter.ts';
import { channelPath, forcedBody } from './schema.ts';

export function channelRoutes(router: Router, services: Services): void {
  router.get('/channels', (ctx) => {
    ctx.body = { items: services.channels.list().map(presentChannel) };
  });

  const one = { params: channelPath };
  router.get('/channels/:ref', validate(one), (ctx) => {
    ctx.body = presentChannel(services.channels.get(inputOf(ctx, one).params.ref));
  });

  const forced = { params: channelPath, body: forcedBody };
  // An unknown channel is a 404 whatever the body.
  const exists = async (ctx: Context, next: Next) => {
    services.channels.get(inputOf(ctx, one).params.ref);
    await next();
  };
  router.put('/channels/:ref/forced-recording', validate(one), exists, validate({ body: forcedBody }), async (ctx) => {
    const { params, body } = inputOf(ctx, forced);
    const v = await services.channels.setForced(principalOf(ctx), params.ref, body.on);
    ctx.body = presentChannel(v);
  });
}
