/**
 * Cloud seats (云座席): the seat API for seat clients (sign in, who am I,
 * channel state, incremental sync of recording metadata) and the seat
 * settings page (座席设置) for administrators. Recordings, audio, zips,
 * exports and statistics are read through the usual routes, which the
 * services narrow to what the seat's rights reach; screen pops, channel
 * events and live audio come over the WebSocket (ws/live-socket.ts).
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../../app/services.ts';
import { RecorderError } from '../../errors.ts';
import { CSRF_COOKIE, SESSION_COOKIE } from '../auth/credentials.ts';
import { seatOf } from '../auth/session-gate.ts';
import { presentChannel } from '../channels/presenter.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { presentRecord } from '../records/presenter.ts';
import { seatLoginBody, seatPatchBody, seatPath, seatsBody, syncQuery } from './schema.ts';

function setCookies(ctx: Context, token: string | null, csrfToken: string | null): void {
  const common = { path: '/', sameSite: 'strict' as const, secure: ctx.secure, overwrite: true };
  ctx.cookies.set(SESSION_COOKIE, token, { ...common, httpOnly: true });
  ctx.cookies.set(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

function mySeat(ctx: Context) {
  const s = seatOf(ctx);
  if (!s) throw new RecorderError('forbidden', 'this route is for seats; sign in with a seat account');
  return s;
}

export function seatRoutes(router: Router, services: Services): void {
  const { seats } = services;

  const login = { body: seatLoginBody };
  router.post('/seat/login', validate(login), async (ctx) => {
    const { account, password, bearer } = inputOf(ctx, login).body;
    const r = await seats.login({ account, password, ip: ctx.ip, bearer: bearer ?? false });
    if (!bearer) setCookies(ctx, r.token, r.csrfToken);
    ctx.body = { seat: seats.self(r.principal), csrfToken: r.csrfToken, ...(bearer ? { token: r.token } : {}) };
  });

  router.post('/seat/logout', (ctx) => {
    mySeat(ctx);
    seats.logout(ctx.state.token as string);
    setCookies(ctx, null, null);
    ctx.status = 204;
  });

  router.get('/seat/me', (ctx) => {
    ctx.body = { seat: seats.self(mySeat(ctx).principal) };
  });

  router.get('/seat/channels', (ctx) => {
    const me = mySeat(ctx).principal;
    const listening = services.listen.listening();
    ctx.body = {
      items: services.channels.list().filter((v) => seats.seesChannel(me, v.ref)).map((v) => {
        const c = presentChannel(v);
        return { ...c, listeners: listening.filter((l) => l.ref === c.ref).length, mayListen: seats.access.reaches(me, 'monitor', v.ref) };
      }),
    };
  });

  const sync = { query: syncQuery };
  router.get('/seat/sync', validate(sync), async (ctx) => {
    const q = inputOf(ctx, sync).query;
    const r = await services.records.changes(mySeat(ctx).principal, q.cursor, q.limit);
    ctx.body = {
      cursor: r.cursor,
      more: r.more,
      items: r.items.map((i) => ({ seq: i.seq, id: i.id, removed: i.entry === null, record: i.entry ? presentRecord(i.entry) : null })),
    };
  });

  // ------------------------------------------------------------------ 座席设置 (accounts)

  router.get('/seats', (ctx) => {
    ctx.body = { items: seats.list(principalOf(ctx)), listening: services.listen.listening() };
  });

  const one = { params: seatPath, body: seatPatchBody };
  router.patch('/seats/:ref', validate(one), async (ctx) => {
    const { params, body } = inputOf(ctx, one);
    const [seat] = await seats.update(principalOf(ctx), [{ ref: params.ref, patch: body }]);
    ctx.body = seat;
  });

  const many = { body: seatsBody };
  router.post('/seats', validate(many), async (ctx) => {
    const { seats: list } = inputOf(ctx, many).body;
    ctx.body = { items: await seats.update(principalOf(ctx), list.map(({ ref, ...patch }) => ({ ref, patch }))) };
  });
}
