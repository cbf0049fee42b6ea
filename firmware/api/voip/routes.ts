/**
 * VoIP: its settings (VoIP平台参数), the calls being recorded (VoIP录音状态)
 * and the import of a phone's local recording file (raw body, streamed).
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { presentRecord } from '../records/presenter.ts';
import { importQuery, timeOf, voipPatch } from './schema.ts';
import { presentStatus } from './presenter.ts';

export function voipRoutes(router: Router, services: Services): void {
  const { voip } = services;

  router.get('/voip/settings', (ctx) => {
    ctx.body = voip.settings();
  });

  const patch = { body: voipPatch };
  router.patch('/voip/settings', validate(patch), async (ctx) => {
    ctx.body = await voip.updateSettings(principalOf(ctx), inputOf(ctx, patch).body);
  });

  router.get('/voip/sessions', (ctx) => {
    ctx.body = presentStatus(voip.sessions());
  });

  const imp = { query: importQuery };
  router.post('/voip/import', validate(imp), async (ctx) => {
    const q = inputOf(ctx, imp).query;
    const entry = await voip.importRecording(principalOf(ctx), ctx.req, { ...q, startedAt: timeOf(q.startedAt, services.now()) });
    ctx.status = 201;
    ctx.body = presentRecord(entry);
  });
}
