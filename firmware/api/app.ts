/**
 * The HTTP API (Koa). One router per resource; errors become
 * `{ error: { code, message } }` with the status of their code.
 */
import Koa from 'koa';
import { Router } from '@koa/router';
import type { Logger } from 'pino';
import { RecorderError, isRecorderError } from '../errors.ts';
import type { Daemon } from '../daemon.ts';
import { healthRoutes } from './health-routes.ts';
import { channelRoutes } from './channel-routes.ts';
import { recordRoutes } from './record-routes.ts';
import { recordAdminRoutes } from './record-admin-routes.ts';
import { storageRoutes } from './storage-routes.ts';

export function createApp(daemon: Daemon, version: string, log: Logger): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new RecorderError('NOT_FOUND', `no route ${ctx.method} ${ctx.path}`);
    } catch (e) {
      const err = isRecorderError(e) ? e : new RecorderError('INTERNAL');
      if (!isRecorderError(e)) log.error({ err: e, path: ctx.path }, 'request failed');
      ctx.status = err.httpStatus;
      ctx.body = { error: { code: err.code, message: err.message } };
    }
  });
  const router = new Router({ prefix: '/api/v1' });
  healthRoutes(router, daemon, version);
  channelRoutes(router, daemon);
  recordAdminRoutes(router, daemon);
  recordRoutes(router, daemon);
  storageRoutes(router, daemon);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
