/** Health, status (LEDs, link, counters) and device information (设备信息). */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { presentDevice, presentHealth, presentStatus } from './presenter.ts';

export function deviceRoutes(router: Router, services: Services): void {
  const { device } = services;
  router.get('/health', (ctx) => {
    ctx.body = presentHealth(device.health());
  });

  router.get('/status', (ctx) => {
    ctx.body = presentStatus(device.status());
  });

  router.get('/device', async (ctx) => {
    ctx.body = presentDevice(await device.info());
  });
}
