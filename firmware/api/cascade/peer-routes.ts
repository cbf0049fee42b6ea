/**
 * What a box answers the other boxes of its cascade, with no session but a
 * signature made with the cascade's secret (checked first, 401
 * cascade_signature otherwise): a slave's registration (master), and the
 * search, statistics and audio the master asks of a slave.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Services } from '../../app/services.ts';
import { RecorderError } from '../../errors.ts';
import { SYSTEM } from '../../app/principal.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { sendAudio } from '../records/send-audio.ts';
import { recordPath } from '../records/schema.ts';
import { peerSearchQuery, peerStatsQuery, registerQuery } from './schema.ts';

export const PEER_PREFIX = '/cascade/peer/';

export function cascadePeerRoutes(router: Router, services: Services): void {
  const { cascade, records, storage } = services;
  const peer = (ctx: Context) => cascade.verifyPeer({ method: ctx.method, path: ctx.originalUrl, header: (n) => ctx.get(n) });
  const signed = async (ctx: Context, next: () => Promise<unknown>) => {
    peer(ctx);
    await next();
  };

  const reg = { query: registerQuery };
  router.post('/cascade/peer/register', signed, validate(reg), (ctx) => {
    const q = inputOf(ctx, reg).query;
    if (q.box !== peer(ctx)) throw new RecorderError('BAD_REQUEST', 'box names another box than the one signing');
    ctx.body = cascade.register(q.box, q.url);
  });

  const search = { query: peerSearchQuery };
  router.get('/cascade/peer/records', signed, validate(search), async (ctx) => {
    const r = await records.search(SYSTEM, inputOf(ctx, search).query.q);
    ctx.body = { total: r.total, items: r.items };
  });

  const stats = { query: peerStatsQuery };
  router.get('/cascade/peer/stats', signed, validate(stats), async (ctx) => {
    ctx.body = await storage.stats(SYSTEM, inputOf(ctx, stats).query.q);
  });

  const audio = { params: recordPath };
  router.get('/cascade/peer/records/:id/audio', signed, validate(audio), async (ctx) => {
    const id = inputOf(ctx, audio).params.id;
    await sendAudio(ctx, (range) => records.openAudio(SYSTEM, id, range), 'inline');
  });
}
