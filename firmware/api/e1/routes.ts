/** E1 trunk ports (E1录音状态, E1通道参数): status of every port, one port with its timeslots, a port's settings. */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { presentPort, presentTimeslot } from './presenter.ts';
import { e1PortPatch, e1PortPath } from './schema.ts';

export function e1Routes(router: Router, services: Services): void {
  const { trunks } = services;

  router.get('/e1/ports', (ctx) => {
    ctx.body = { items: trunks.list().map(presentPort) };
  });

  const one = { params: e1PortPath };
  router.get('/e1/ports/:port', validate(one), (ctx) => {
    const p = trunks.get(inputOf(ctx, one).params.port);
    ctx.body = { ...presentPort(p), timeslots: p.timeslots.map(presentTimeslot) };
  });

  const patch = { params: e1PortPath, body: e1PortPatch };
  router.patch('/e1/ports/:port', validate(patch), async (ctx) => {
    const { params, body } = inputOf(ctx, patch);
    const p = await trunks.update(principalOf(ctx), params.port, body);
    ctx.body = { ...presentPort(p), timeslots: p.timeslots.map(presentTimeslot) };
  });
}
