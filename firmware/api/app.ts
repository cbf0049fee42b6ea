/**
 * The HTTP API (Koa), created from the application services alone. One
 * folder per resource (routes, zod schema, presenter); errors become
 * `{error: {code, message}}` with the status of their stable code.
 */
import Koa from 'koa';
import { Router } from '@koa/router';
import type { Services } from '../app/services.ts';
import { errorResponses, type ErrorLogger } from './middleware/errors.ts';
import { deviceRoutes } from './device/routes.ts';
import { channelRoutes } from './channels/routes.ts';
import { recordRoutes } from './records/routes.ts';
import { recordMediaRoutes } from './records/media-routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { storageRoutes } from './storage/routes.ts';
import { alarmRoutes } from './alarms/routes.ts';
import { settingsRoutes } from './settings/routes.ts';
import { journalRoutes } from './journal/routes.ts';
import { eventRoutes } from './events/routes.ts';
import { custodyRoutes } from './custody/routes.ts';
import { voipRoutes } from './voip/routes.ts';
import { serveStatic } from './static/serve-static.ts';
import { authRoutes } from './auth/routes.ts';
import { accountRoutes } from './accounts/routes.ts';
import { sessionGate } from './auth/session-gate.ts';
import { e1Routes } from './e1/routes.ts';
import { systemRoutes } from './system/routes.ts';
import { mailRoutes } from './mail/routes.ts';
import { systemLogRoutes } from './system-log/routes.ts';
import { diagnosticsRoutes } from './diagnostics/routes.ts';
import { maintenanceRoutes } from './maintenance/routes.ts';
import { licenseRoutes } from './license/routes.ts';
import { upgradeRoutes } from './upgrades/routes.ts';
import { seatRoutes } from './seats/routes.ts';
import { nasRoutes } from './nas/routes.ts';
import { cascadeRoutes } from './cascade/routes.ts';
import { cascadePeerRoutes } from './cascade/peer-routes.ts';
import { objectStoreRoutes } from './objectstore/routes.ts';

export interface AppOptions {
  log: ErrorLogger;
  /** Trust X-Forwarded-For (behind a reverse proxy). */
  proxy?: boolean;
  /** Folder of the built web UI (web-static/); the UI is not served when absent. */
  webRoot?: string;
}

export function createApp(services: Services, options: AppOptions): Koa {
  const app = new Koa({ proxy: options.proxy ?? false });
  app.silent = true;
  app.use(errorResponses(options.log));
  app.use(sessionGate(services));
  if (options.webRoot) app.use(serveStatic({ root: options.webRoot }));
  const router = apiRouter(services);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/** The API's router with every route registered (tests enumerate its routes). */
export function apiRouter(services: Services): Router {
  const router = new Router({ prefix: '/api/v1' });
  deviceRoutes(router, services);
  settingsRoutes(router, services);
  channelRoutes(router, services);
  recordMediaRoutes(router, services);
  recordRoutes(router, services);
  statsRoutes(router, services);
  storageRoutes(router, services);
  journalRoutes(router, services);
  eventRoutes(router, services);
  alarmRoutes(router, services);
  custodyRoutes(router, services);
  voipRoutes(router, services);
  authRoutes(router, services);
  accountRoutes(router, services);
  e1Routes(router, services);
  systemRoutes(router, services);
  mailRoutes(router, services);
  systemLogRoutes(router, services);
  diagnosticsRoutes(router, services);
  maintenanceRoutes(router, services);
  licenseRoutes(router, services);
  upgradeRoutes(router, services);
  seatRoutes(router, services);
  nasRoutes(router, services);
  cascadePeerRoutes(router, services);
  cascadeRoutes(router, services);
  objectStoreRoutes(router, services);
  return router;
}
