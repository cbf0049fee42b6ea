/**
 * Signing in and out, the signed-in account and its password, and who is
 * signed in (administrators). A browser's session is the `rdx_session`
 * cookie (HttpOnly) with `rdx_csrf` for the double submit; an API client
 * asks for a bearer token instead.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from './credentials.ts';
import { signedInOf } from './session-gate.ts';
import { presentAccount, presentSession } from './presenter.ts';
import { loginBody, passwordBody } from './schema.ts';

function setCookies(ctx: Context, token: string | null, csrfToken: string | null): void {
  const common = { path: '/', sameSite: 'strict' as const, secure: ctx.secure, overwrite: true };
  ctx.cookies.set(SESSION_COOKIE, token, { ...common, httpOnly: true });
  ctx.cookies.set(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function authRoutes(router: Router, services: Services): void {
  const { auth } = services;

  const login = { body: loginBody };
  router.post('/login', validate(login), async (ctx) => {
    const { username, password, bearer } = inputOf(ctx, login).body;
    const r = await auth.login({ username, password, ip: ctx.ip, bearer: bearer ?? false });
    if (!bearer) setCookies(ctx, r.token, r.csrfToken);
    ctx.body = { account: presentAccount(r), csrfToken: r.csrfToken, ...(bearer ? { token: r.token } : {}) };
  });

  router.post('/logout', async (ctx) => {
    await auth.logout(ctx.state.token as string);
    setCookies(ctx, null, null);
    ctx.status = 204;
  });

  router.get('/me', (ctx) => {
    const me = signedInOf(ctx);
    ctx.body = { account: presentAccount(me), session: { idleLogoutMinutes: me.idleLogoutMinutes } };
  });

  const password = { body: passwordBody };
  router.post('/me/password', validate(password), async (ctx) => {
    const { oldPassword, newPassword } = inputOf(ctx, password).body;
    await auth.changePassword(ctx.state.token as string, ctx.ip, oldPassword, newPassword);
    ctx.status = 204;
  });

  router.get('/sessions', (ctx) => {
    const me = signedInOf(ctx);
    ctx.body = { items: auth.list(me.principal).map((s) => presentSession(s, me.session.id)) };
  });
}
