/** Health, status (LEDs, link, counters) and device information (设备信息). */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { iso } from '../params.ts';

export function deviceRoutes(router: Router, services: Services): void {
  const { device } = services;
  router.get('/health', (ctx) => {
    ctx.body = device.health();
  });

  router.get('/status', (ctx) => {
    ctx.body = device.status();
  });

  router.get('/device', async (ctx) => {
    const info = await device.info();
    ctx.body = { ...info, startedAt: iso(info.startedAt) };
  });
}
