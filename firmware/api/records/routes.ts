/**
 * Recordings (manual 3.9 / 3.10): search with every condition of the
 * manual's page, details, audio with Range support, level, delete / restore,
 * purge of the deleted, and signature checks (录音验证).
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { presentCopies } from '../objectstore/presenter.ts';
import { presentRecord } from './presenter.ts';
import { sendAudio } from './send-audio.ts';
import { audioQuery, recordChange, recordPath, recordQuery, searchOf } from './schema.ts';

export function recordRoutes(router: Router, services: Services): void {
  const { records } = services;

  const search = { query: recordQuery };
  router.get('/records', validate(search), async (ctx) => {
    const q = inputOf(ctx, search).query;
    const offset = q.offset ?? ((q.page ?? 1) - 1) * q.limit;
    const result = await records.search(principalOf(ctx), { ...searchOf(q), limit: q.limit, offset });
    ctx.body = {
      total: result.total,
      page: Math.floor(offset / q.limit) + 1,
      pages: Math.ceil(result.total / q.limit),
      limit: q.limit,
      items: result.items.map(presentRecord),
    };
  });

  router.post('/records/purge-deleted', async (ctx) => {
    ctx.body = await records.purgeDeleted(principalOf(ctx));
  });

  const one = { params: recordPath };
  router.get('/records/:id', validate(one), async (ctx) => {
    const entry = await records.get(principalOf(ctx), inputOf(ctx, one).params.id);
    ctx.body = { ...presentRecord(entry), copies: presentCopies(await services.objectStore.copies(entry)) };
  });

  const audio = { params: recordPath, query: audioQuery };
  router.get('/records/:id/audio', validate(audio), async (ctx) => {
    const { params, query } = inputOf(ctx, audio);
    await sendAudio(ctx, (range) => records.openAudio(principalOf(ctx), params.id, range), query.download ? 'attachment' : 'inline');
  });

  const change = { params: recordPath, body: recordChange };
  router.patch('/records/:id', validate(change), async (ctx) => {
    const { params, body } = inputOf(ctx, change);
    ctx.body = presentRecord(await records.setLevel(principalOf(ctx), params.id, body.level));
  });

  router.delete('/records/:id', validate(one), async (ctx) => {
    ctx.body = presentRecord(await records.remove(principalOf(ctx), inputOf(ctx, one).params.id));
  });

  router.post('/records/:id/restore', validate(one), async (ctx) => {
    ctx.body = presentRecord(await records.restore(principalOf(ctx), inputOf(ctx, one).params.id));
  });

  router.get('/records/:id/verify', validate(one), async (ctx) => {
    ctx.body = await records.verify(inputOf(ctx, one).params.id);
  });

  router.post('/records/:id/verify', validate(one), async (ctx) => {
    ctx.body = await records.verifyUpload(inputOf(ctx, one).params.id, ctx.req);
  });
}
