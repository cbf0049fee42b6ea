/** Alarms (告警信息). */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { presentAlarm } from './presenter.ts';

export function alarmRoutes(router: Router, services: Services): void {
  router.get('/alarms', (ctx) => {
    ctx.body = { items: services.alarms.active().map(presentAlarm) };
  });
}
