/** Alarms (告警信息). */
import { type Alarm } from '../../app/vocabulary.ts';
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';

export function presentAlarm(a: Alarm) {
  return { id: a.id, severity: a.severity, area: a.area, message: a.message, raisedAt: new Date(a.raisedAt).toISOString(), count: a.count };
}

export function alarmRoutes(router: Router, services: Services): void {
  router.get('/alarms', (ctx) => {
    ctx.body = { items: services.alarms.active().map(presentAlarm) };
  });
}
