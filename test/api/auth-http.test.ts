/**
 * Signing in over HTTP as a browser and as an API client: the cookies and
 * their attributes, the CSRF double submit, the first password change,
 * lock-out answers with Retry-After, sign-out, idle sign-out on the box's
 * clock, the web access ranges on every request, the sessions list, and
 * edit conflicts on settings pages (revision, ETag, If-Match → 409 stale).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pino from 'pino';
import { createApp } from '../../firmware/api/app.ts';
import { listenHttp } from '../../firmware/api/http-server.ts';
import { startSimBox, type SimBox } from '../support/sim-box.ts';
import { ADMIN_PASSWORD, signIn, type ApiClient } from '../support/api-client.ts';

let box: SimBox;
let origin: string;

/** A browser: keeps the cookies the box sets and sends the CSRF header from its cookie when asked to. */
function browser() {
  const jar = new Map<string, string>();
  return {
    jar,
    async send(path: string, init: { method?: string; body?: unknown; csrf?: string | false; ip?: string } = {}) {
      const headers: Record<string, string> = {};
      if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const csrf = init.csrf === undefined ? jar.get('rdx_csrf') : init.csrf;
      if (csrf) headers['x-csrf-token'] = csrf;
      const res = await fetch(`${origin}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const setCookies = res.headers.getSetCookie();
      for (const c of setCookies) {
        const [pair] = c.split(';');
        const [name, value] = pair!.split('=') as [string, string];
        if (value) jar.set(name, value);
        else jar.delete(name);
      }
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers, setCookies };
    },
  };
}

test.before(async () => {
  box = await startSimBox({ sources: [] });
  origin = `http://127.0.0.1:${box.port}`;
});

test.after(async () => {
  await box.stop();
});

test('without a session only the health check and signing in answer', async () => {
  assert.is((await fetch(`${origin}/api/v1/health`)).status, 200);
  const r = await fetch(`${origin}/api/v1/channels`);
  assert.is(r.status, 401);
  assert.is(((await r.json()) as any).error.code, 'unauthenticated');
  const bad = await fetch(`${origin}/api/v1/me`, { headers: { authorization: 'Bearer forged' } });
  assert.is(bad.status, 401);
});

test('a browser signs in with cookies, must change the default password, and needs the CSRF header for changes', async () => {
  const b = browser();
  const login = await b.send('/api/v1/login', { method: 'POST', body: { username: 'admin', password: 'admin' } });
  assert.is(login.status, 200);
  assert.equal(login.body.account, { username: 'admin', role: 'admin', mustChangePassword: true, expiresAt: null });
  assert.type(login.body.csrfToken, 'string');
  assert.is(login.body.token, undefined, 'a browser never sees its session token');
  const session = login.setCookies.find((c) => c.startsWith('rdx_session='))!;
  const csrf = login.setCookies.find((c) => c.startsWith('rdx_csrf='))!;
  assert.match(session.toLowerCase(), /httponly/);
  assert.match(session.toLowerCase(), /samesite=strict/);
  assert.match(session, /path=\//);
  assert.not.match(csrf.toLowerCase(), /httponly/);
  assert.match(csrf.toLowerCase(), /samesite=strict/);
  assert.is(b.jar.get('rdx_csrf'), login.body.csrfToken);

  const blocked = await b.send('/api/v1/channels');
  assert.is(blocked.status, 403);
  assert.is(blocked.body.error.code, 'password_change_required');
  assert.is((await b.send('/api/v1/me')).body.account.mustChangePassword, true);
  assert.is((await b.send('/api/v1/me')).body.session.idleLogoutMinutes, 30);

  const noCsrf = await b.send('/api/v1/me/password', { method: 'POST', body: { oldPassword: 'admin', newPassword: ADMIN_PASSWORD }, csrf: false });
  assert.is(noCsrf.status, 403);
  assert.is(noCsrf.body.error.code, 'csrf');
  const wrongCsrf = await b.send('/api/v1/me/password', { method: 'POST', body: { oldPassword: 'admin', newPassword: ADMIN_PASSWORD }, csrf: 'x'.repeat(43) });
  assert.is(wrongCsrf.body.error.code, 'csrf');
  const weak = await b.send('/api/v1/me/password', { method: 'POST', body: { oldPassword: 'admin', newPassword: 'password' } });
  assert.is(weak.status, 400);
  assert.is(weak.body.error.code, 'weak_password');
  assert.match(weak.body.error.message, /at least 8 characters/);
  assert.is((await b.send('/api/v1/me/password', { method: 'POST', body: { oldPassword: 'admin', newPassword: ADMIN_PASSWORD } })).status, 204);

  assert.is((await b.send('/api/v1/channels')).status, 200);
  const patch = await b.send('/api/v1/settings/recording', { method: 'PATCH', body: {}, csrf: false });
  assert.is(patch.body.error.code, 'csrf');
  assert.is((await b.send('/api/v1/settings/recording', { method: 'PATCH', body: {} })).status, 200);

  const sessions = await b.send('/api/v1/sessions');
  const mine = sessions.body.items.find((s: any) => s.current);
  assert.is(mine.username, 'admin');
  assert.is(mine.role, 'admin');
  assert.is(mine.ip, '127.0.0.1');
  assert.type(mine.since, 'number');

  const out = await b.send('/api/v1/logout', { method: 'POST' });
  assert.is(out.status, 204);
  assert.ok(out.setCookies.some((c) => c.startsWith('rdx_session=;')));
  assert.is(b.jar.size, 0);
  assert.is((await b.send('/api/v1/me')).status, 401);
});

test('an API client signs in for a bearer token and needs no CSRF header', async () => {
  const api = await signIn(origin);
  assert.is((await api.json('/api/v1/settings/recording', { method: 'PATCH', body: {} })).status, 200);
  assert.is((await api.json('/api/v1/me')).body.account.username, 'admin');
  assert.is((await api.json('/api/v1/logout', { method: 'POST' })).status, 204);
  assert.is((await api.json('/api/v1/me')).status, 401);
});

test('repeated failures answer 429 locked with Retry-After until the wait is over', async () => {
  const admin = await signIn(origin);
  await admin.json('/api/v1/accounts', { method: 'POST', body: { username: 'clerk', password: 'Clerk-pass-1', role: 'user' } });
  await admin.json('/api/v1/settings/access', { method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 30, loginConflict: 'replace', allowList: { enabled: false, ranges: [] } } });
  const attempt = (password: string) => fetch(`${origin}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'clerk', password }) });
  for (let i = 0; i < 4; i++) assert.is((await attempt('nope')).status, 401);
  const locked = await attempt('nope');
  assert.is(locked.status, 429);
  assert.is(locked.headers.get('retry-after'), '30');
  const body = (await locked.json()) as any;
  assert.is(body.error.code, 'locked');
  assert.is(body.error.retryAfterSeconds, 30);
  assert.is((await attempt('Clerk-pass-1')).status, 429);
  box.clock.advance(30_000);
  assert.is((await attempt('Clerk-pass-1')).status, 200);
  const log = await admin.json('/api/v1/operations?item=account&operation=login&account=clerk&limit=50');
  const outcomes = log.body.items.map((e: any) => [e.result, e.error, e.ip].filter(Boolean).join(' ')).reverse();
  assert.equal(outcomes, [
    ...Array(4).fill('failed bad_credentials 127.0.0.1'), 'failed locked 127.0.0.1', 'failed locked 127.0.0.1', 'ok 127.0.0.1',
  ]);
});

test('a session idle for longer than the automatic sign-out time ends', async () => {
  const admin = await signIn(origin);
  await admin.json('/api/v1/settings/access', { method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 1, loginConflict: 'replace', allowList: { enabled: false, ranges: [] } } });
  const clerk = await signIn(origin, 'clerk', 'Clerk-pass-1');
  box.clock.advance(50_000);
  assert.is((await clerk.json('/api/v1/me')).status, 200);
  box.clock.advance(61_000);
  assert.is((await clerk.json('/api/v1/me')).status, 401);
  const again = await signIn(origin);
  await again.json('/api/v1/settings/access', { method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 30, loginConflict: 'replace', allowList: { enabled: false, ranges: [] } } });
});

test('the web access ranges apply to every request, loopback excepted', async () => {
  const admin = await signIn(origin);
  const put = await admin.json('/api/v1/settings/access', {
    method: 'PUT', body: { multiUser: true, idleLogoutMinutes: 30, loginConflict: 'replace', allowList: { enabled: true, ranges: [{ from: '10.9.0.1', to: '10.9.0.99' }] } },
  });
  assert.is(put.status, 200, JSON.stringify(put.body));
  assert.is((await admin.json('/api/v1/channels')).status, 200, 'loopback is never shut out');
  // Behind a proxy the client's address is the forwarded one.
  const proxied = await listenHttp(createApp(box.services, { log: pino({ level: 'silent' }), proxy: true }), 0, '127.0.0.1');
  try {
    const from = (ip: string, path: string) => fetch(`http://127.0.0.1:${proxied.port}${path}`, { headers: { 'x-forwarded-for': ip } });
    const outside = await from('10.8.0.5', '/api/v1/health');
    assert.is(outside.status, 403);
    assert.is(((await outside.json()) as any).error.code, 'address_not_allowed');
    assert.is((await from('10.8.0.5', '/index.html')).status, 403);
    assert.is((await from('10.9.0.5', '/api/v1/health')).status, 200);
    assert.is((await from('10.9.0.5', '/api/v1/channels')).status, 401);
  } finally {
    await proxied.close();
  }
  const get = await admin.json('/api/v1/settings/access');
  assert.equal(get.body.allowList.ranges, [{ from: '10.9.0.1', to: '10.9.0.99' }]);
  await admin.json('/api/v1/settings/access', { method: 'PUT', body: { ...get.body, allowList: { enabled: false, ranges: [] } } });
});

test('a settings page changed since it was loaded is not overwritten: 409 stale', async () => {
  const a: ApiClient = await signIn(origin);
  const page = await a.json('/api/v1/settings/recording');
  const rev = page.body.revision;
  assert.type(rev, 'string');
  assert.is(page.headers.get('etag'), `"${rev}"`);
  const first = await a.json('/api/v1/settings/recording', { method: 'PATCH', body: { minFileS: 5 }, headers: { 'if-match': `"${rev}"` } });
  assert.is(first.status, 200, JSON.stringify(first.body));
  assert.is.not(first.body.revision, rev);
  const second = await a.json('/api/v1/settings/recording', { method: 'PATCH', body: { minFileS: 6, revision: rev } });
  assert.is(second.status, 409);
  assert.is(second.body.error.code, 'stale');
  assert.is(second.body.error.revision, first.body.revision);
  assert.is((await a.json('/api/v1/settings/recording')).body.minFileS, 5);

  const ch = await a.json('/api/v1/channels/2/settings');
  assert.is(ch.headers.get('etag'), `"${ch.body.revision}"`);
  assert.is((await a.json('/api/v1/channels/2/settings', { method: 'PATCH', body: { name: 'front desk' }, headers: { 'if-match': ch.body.revision } })).status, 200);
  assert.is((await a.json('/api/v1/channels/2/settings', { method: 'PATCH', body: { name: 'back office' }, headers: { 'if-match': ch.body.revision } })).status, 409);
  assert.is((await a.json('/api/v1/channels/3/settings', { method: 'PATCH', body: { name: 'another' }, headers: { 'if-match': ch.body.revision } })).status, 409);

  const list = await a.json('/api/v1/settings/do-not-record');
  assert.is((await a.json('/api/v1/settings/do-not-record', { method: 'POST', body: { entries: [{ number: '110' }], revision: list.body.revision } })).status, 200);
  assert.is((await a.json('/api/v1/settings/do-not-record', { method: 'PUT', body: { entries: [] }, headers: { 'if-match': list.body.revision } })).status, 409);
  assert.is((await a.json('/api/v1/settings/do-not-record/110', { method: 'DELETE', headers: { 'if-match': list.body.revision } })).status, 409);
  assert.is((await a.json('/api/v1/settings/do-not-record/110', { method: 'DELETE' })).status, 200, 'without a revision the change is made');
});

test.run();
