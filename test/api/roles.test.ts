/**
 * Every route of the API (read from the router, so a new route is covered
 * the day it is added) for every kind of caller: administrator, super user,
 * ordinary user, temporary user, a temporary user past its hours, and no
 * session. Reading is for every account; changing the box for all but
 * ordinary users; accounts and web access for administrators. A refused
 * change is 403 forbidden; without a live session, 401.
 *
 * A new unsafe route must be classified in ROUTES below (with a request
 * that reaches its service); a new GET route counts as viewing.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pino from 'pino';
import { FACTORY_NETWORK } from '../../firmware/system/network-settings.ts';
import { FACTORY_TIME } from '../../firmware/system/time-settings.ts';
import { apiRouter, createApp } from '../../firmware/api/app.ts';
import { listenHttp, type HttpServer } from '../../firmware/api/http-server.ts';
import type { Services } from '../../firmware/app/services.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { authFixture, type AuthFixture } from '../accounts/helpers.ts';
import { ADMIN_PASSWORD, bearerClient, signIn, type ApiClient } from '../support/api-client.ts';

/** `seat`: the seat API, refused to every account (tested with seats in test/api/seat-permissions.test.ts). */
type Need = 'public' | 'self' | 'view' | 'configure' | 'accounts' | 'seat';
interface RouteCase {
  need: Need;
  body?: unknown;
  /** A raw (non-JSON) body. */
  raw?: string;
}

const PW = 'Passw0rd-x';
const ROUTES: Record<string, RouteCase> = {
  'GET /health': { need: 'public' },
  'POST /login': { need: 'public', body: { username: 'nobody', password: 'x' } },
  'POST /logout': { need: 'self' },
  'GET /me': { need: 'self' },
  'POST /me/password': { need: 'self', body: { oldPassword: PW, newPassword: PW } },
  'GET /sessions': { need: 'accounts' },
  'GET /accounts': { need: 'accounts' },
  'POST /accounts': { need: 'accounts', body: { username: 'created', password: PW, role: 'user' } },
  'PATCH /accounts/:username': { need: 'accounts', body: { enabled: true } },
  'DELETE /accounts/:username': { need: 'accounts' },
  'PUT /settings/access': { need: 'accounts', body: { multiUser: true, idleLogoutMinutes: 240, loginConflict: 'replace', allowList: { enabled: false, ranges: [] } } },
  'PATCH /settings/recording': { need: 'configure', body: {} },
  'PATCH /channels/:ref/settings': { need: 'configure', body: {} },
  'POST /channels/settings': { need: 'configure', body: { channels: ['1'], settings: {} } },
  'PUT /channels/:ref/forced-recording': { need: 'configure', body: { on: false } },
  'POST /settings/do-not-record': { need: 'configure', body: { entries: [{ number: '95588' }] } },
  'PUT /settings/do-not-record': { need: 'configure', body: { entries: [] } },
  'DELETE /settings/do-not-record/:number': { need: 'configure' },
  'PATCH /records/:id': { need: 'configure', body: { level: 'important' } },
  'DELETE /records/:id': { need: 'configure' },
  'POST /records/:id/restore': { need: 'configure' },
  'POST /records/purge-deleted': { need: 'configure' },
  'POST /records/:id/verify': { need: 'view', raw: 'not a recording' },
  'POST /records/zip': { need: 'view', body: { ids: ['1763706000123-01-1'] } },
  'POST /storage/archive': { need: 'configure' },
  'POST /storage/maintenance': { need: 'configure' },
  'POST /device/key/rotate': { need: 'accounts' },
  'PATCH /voip/settings': { need: 'configure', body: {} },
  'POST /voip/import': { need: 'configure', raw: 'not a phone recording' },
  'PATCH /e1/ports/:port': { need: 'configure', body: {} },
  'PUT /system/network': { need: 'configure', body: FACTORY_NETWORK },
  'POST /system/network/confirm': { need: 'configure' },
  'POST /system/network/confirm-token': { need: 'public', body: { token: 'not-a-pending-token' } },
  'PUT /system/time': { need: 'configure', body: FACTORY_TIME },
  'PUT /system/settings': { need: 'configure', body: { webPort: 80, watchdog: true, watchdogTimeoutS: 200, ssh: true, ftp: true, cpuAlarmPercent: 0 } },
  'PATCH /settings/mail': { need: 'configure', body: {} },
  'POST /mail/test': { need: 'configure', body: {} },
  'POST /system-logs': { need: 'configure' },
  'DELETE /system-logs/:name': { need: 'configure' },
  'POST /diagnostics/ping': { need: 'configure', body: { target: '127.0.0.1', count: 1, size: 0 } },
  'POST /device/reboot': { need: 'configure', body: { confirm: 'no' } },
  'POST /device/factory-reset': { need: 'configure', body: { confirm: 'no' } },
  'POST /device/format': { need: 'configure', body: { password: 'not the password' } },
  'POST /device/purge-deleted': { need: 'configure', body: { confirm: 'no' } },
  'POST /device/archive': { need: 'configure', body: { confirm: 'no' } },
  'POST /license': { need: 'configure', raw: 'not a license' },
  'POST /upgrades': { need: 'configure', raw: 'not a package' },
  'POST /upgrades/:version/activate': { need: 'configure', body: {} },
  'POST /upgrades/rollback': { need: 'configure', body: {} },
  'DELETE /upgrades/:version': { need: 'configure' },
  'POST /seat/login': { need: 'public', body: { account: 'nobody', password: 'x' } },
  'POST /seat/logout': { need: 'seat' },
  'GET /seat/me': { need: 'seat' },
  'GET /seat/channels': { need: 'seat' },
  'GET /seat/sync': { need: 'seat' },
  'PATCH /seats/:ref': { need: 'configure', body: {} },
  'POST /seats': { need: 'configure', body: { seats: [{ ref: '1' }] } },
  'PATCH /nas': { need: 'configure', body: {} },
  'PATCH /nas/targets/:slot': { need: 'configure', body: {} },
  'POST /nas/targets/:slot/backup': { need: 'configure', body: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' } },
  'PATCH /settings/cascade': { need: 'configure', body: {} },
  'DELETE /cascade/slaves/:box': { need: 'configure' },
  // Between the boxes of a cascade: no session, a signature made with the cascade's secret instead.
  'POST /cascade/peer/register': { need: 'public' },
  'GET /cascade/peer/records': { need: 'public' },
  'GET /cascade/peer/stats': { need: 'public' },
  'GET /cascade/peer/records/:id/audio': { need: 'public' },
  'PATCH /objectstore/settings': { need: 'configure', body: {} },
  'POST /objectstore/check': { need: 'view' },
  'POST /objectstore/retention': { need: 'configure' },
};

/** Sample values of path parameters (an account that exists; ids that need not). */
const PARAMS: Record<string, string> = { port: '0', ref: '1', id: '1763706000123-01-1', number: '95588', username: 'victim', name: '20261120090000_manual.zip', version: '9.9.9', slot: '0', box: 'slave-x' };

/** The answers that mean the request was not let through (others — 400, 404, a wrong password — reached the service). */
const REFUSALS = ['unauthenticated', 'forbidden', 'csrf', 'password_change_required', 'address_not_allowed'];

type Caller = 'admin' | 'super' | 'user' | 'temporary' | 'expired' | 'none';
const CALLERS: Caller[] = ['none', 'expired', 'user', 'temporary', 'super', 'admin'];
const GRANTS: Record<Caller, Need[]> = {
  none: ['public'],
  expired: ['public'],
  user: ['public', 'self', 'view'],
  temporary: ['public', 'self', 'view', 'configure'],
  super: ['public', 'self', 'view', 'configure'],
  admin: ['public', 'self', 'view', 'configure', 'accounts'],
};

function registeredRoutes(): Array<{ method: string; path: string }> {
  const out: Array<{ method: string; path: string }> = [];
  for (const layer of apiRouter(services).stack) {
    const path = String(layer.path).replace(/^\/api\/v1/, '');
    for (const method of layer.methods) if (method !== 'HEAD') out.push({ method, path });
  }
  return out;
}

let box: SimBox;
let f: AuthFixture;
let services: Services;
let http: HttpServer;
const clients = new Map<Caller, ApiClient>();

test.before(async () => {
  box = await startSimBox({ sources: [] });
  // The box's services, with accounts on a clock of their own so a temporary account's hours pass at once.
  f = await authFixture(undefined, () => box.clock.now());
  services = { ...box.services, auth: f.auth, accounts: f.accounts };
  http = await listenHttp(createApp(services, { log: pino({ level: 'silent' }) }), 0, '127.0.0.1');
  const origin = `http://127.0.0.1:${http.port}`;
  const admin = await signIn(origin);
  const put = await admin.json('/api/v1/settings/access', { method: 'PUT', body: ROUTES['PUT /settings/access']!.body });
  assert.is(put.status, 200, JSON.stringify(put.body));
  for (const [username, role, validHours] of [['super', 'super'], ['user', 'user'], ['temporary', 'temporary', 4], ['expired', 'temporary', 1], ['victim', 'user']] as const) {
    const r = await admin.json('/api/v1/accounts', { method: 'POST', body: { username, password: PW, role, ...(validHours ? { validHours } : {}) } });
    assert.is(r.status, 201, JSON.stringify(r.body));
  }
  clients.set('expired', await signIn(origin, 'expired', PW));
  f.clock.now += 3600_000;
  clients.set('admin', await signIn(origin, 'admin', ADMIN_PASSWORD));
  for (const c of ['super', 'user', 'temporary'] as const) clients.set(c, await signIn(origin, c, PW));
  clients.set('none', bearerClient(origin, 'no-such-token'));
});

test.after(async () => {
  await http.close();
  await f.close();
  await box.stop();
});

test('every registered route is classified, and every classified route exists', () => {
  const routes = registeredRoutes().map((r) => `${r.method} ${r.path}`);
  for (const r of routes) {
    if (!r.startsWith('GET ')) assert.ok(ROUTES[r], `classify ${r} in ROUTES (what it needs, a request that reaches its service)`);
    for (const p of r.matchAll(/:(\w+)/g)) assert.ok(PARAMS[p[1]!], `give a sample value of :${p[1]} (${r})`);
  }
  for (const r of Object.keys(ROUTES)) assert.ok(routes.includes(r), `${r} is no longer a route`);
});

test('each caller may do what its level grants and nothing more', async () => {
  const routes = registeredRoutes().sort((a, b) => Number(a.path === '/logout') - Number(b.path === '/logout'));
  const failures: string[] = [];
  for (const caller of CALLERS) {
    const client = clients.get(caller)!;
    for (const { method, path } of routes) {
      const c = ROUTES[`${method} ${path}`] ?? { need: 'view' as const };
      const url = `/api/v1${path.replace(/:(\w+)/g, (_, p: string) => PARAMS[p]!)}`;
      const controller = new AbortController();
      const res = await client.fetch(url, {
        method,
        signal: controller.signal,
        headers: c.body !== undefined ? { 'content-type': 'application/json' } : {},
        body: c.body !== undefined ? JSON.stringify(c.body) : c.raw,
      });
      const body: any = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
      controller.abort(); // the event stream stays open otherwise
      const allowed = GRANTS[caller].includes(c.need);
      const code = body?.error?.code;
      const ok = allowed
        ? !REFUSALS.includes(code) && res.status < 500
        : caller === 'none' || caller === 'expired'
          ? res.status === 401 && code === 'unauthenticated'
          : res.status === 403 && code === 'forbidden';
      if (!ok) failures.push(`${caller} ${method} ${path} (${c.need}): ${allowed ? 'allowed' : 'refused'} expected, got ${res.status} ${code ?? ''} ${body?.error?.message ?? ''}`);
    }
  }
  assert.equal(failures, []);
});

test.run();
