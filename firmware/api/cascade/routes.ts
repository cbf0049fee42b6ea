/**
 * Work mode (工作模式) and the master's view of its cascade: the setting
 * (secret write-only), the boxes and their state, one search and one
 * statistics table over every box, playback of any box's recording.
 */
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';
import { ifRevisionOf, sendRevised, withRevision } from '../settings/revision.ts';
import { presentRecord } from '../records/presenter.ts';
import { recordQuery, searchOf } from '../records/schema.ts';
import { sendAudio } from '../records/send-audio.ts';
import { statsQuery } from '../storage/schema.ts';
import { boxPath, boxRecordPath, cascadePatch } from './schema.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function cascadeRoutes(router: Router, services: Services): void {
  const { cascade, records } = services;

  router.get('/settings/cascade', (ctx) => {
    sendRevised(ctx, cascade.view(), cascade.revision());
  });

  const patch = { body: withRevision(cascadePatch) };
  router.patch('/settings/cascade', validate(patch), async (ctx) => {
    const { patch: p, revision } = inputOf(ctx, patch).body;
    sendRevised(ctx, await cascade.update(principalOf(ctx), p, ifRevisionOf(ctx, revision)), cascade.revision());
  });

  router.get('/cascade', (ctx) => {
    const s = cascade.status();
    ctx.body = {
      ...s,
      master: s.master ? { ...s.master, lastRegisteredAt: iso(s.master.lastRegisteredAt) } : null,
      slaves: s.slaves.map((x) => ({ ...x, registeredAt: iso(x.registeredAt), lastSeenAt: iso(x.lastSeenAt) })),
    };
  });

  const search = { query: recordQuery };
  router.get('/cascade/records', validate(search), async (ctx) => {
    const q = inputOf(ctx, search).query;
    const offset = q.offset ?? ((q.page ?? 1) - 1) * q.limit;
    const r = await cascade.search(principalOf(ctx), { ...searchOf(q), limit: q.limit, offset });
    ctx.body = {
      total: r.total,
      page: Math.floor(offset / q.limit) + 1,
      pages: Math.ceil(r.total / q.limit),
      limit: q.limit,
      boxes: r.boxes,
      items: r.items.map((e) => ({
        ...presentRecord(e),
        box: e.box,
        audioUrl: e.file ? `/api/v1/cascade/boxes/${encodeURIComponent(e.box)}/records/${encodeURIComponent(e.id)}/audio` : null,
      })),
    };
  });

  const stats = { query: statsQuery };
  router.get('/cascade/stats', validate(stats), async (ctx) => {
    const q = inputOf(ctx, stats).query;
    const r = await cascade.stats(principalOf(ctx), { fromDay: q.from, toDay: q.to, portType: q.portType, port: q.port, channel: q.channel });
    ctx.body = { boxes: r.boxes, total: r.total, items: r.items.map((a) => ({ box: a.box, total: a.total })) };
  });

  const audio = { params: boxRecordPath };
  router.get('/cascade/boxes/:box/records/:id/audio', validate(audio), async (ctx) => {
    const { box, id } = inputOf(ctx, audio).params;
    if (box === cascade.boxId) {
      await sendAudio(ctx, (range) => records.openAudio(principalOf(ctx), id, range), 'inline');
      return;
    }
    const r = await cascade.slaveAudio(box, id, ctx.get('range') || undefined);
    ctx.status = r.status;
    for (const [k, v] of Object.entries(r.headers)) ctx.set(k, v);
    ctx.body = r.body;
  });

  const slave = { params: boxPath };
  router.delete('/cascade/slaves/:box', validate(slave), async (ctx) => {
    await cascade.forget(principalOf(ctx), inputOf(ctx, slave).params.box);
    ctx.status = 204;
  });
}
