/**
 * Live events over HTTP (Server-Sent Events): `GET /api/v1/events` streams
 * what the box publishes — channel state and level, recordings, alarms, the
 * line-card link, the disk level — filtered by type and channel. A client
 * that reads too slowly loses its oldest events (its next event says how
 * many); the box never waits for it.
 */
import { PassThrough } from 'node:stream';
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { presentEvent } from './presenter.ts';
import { eventsQuery } from './schema.ts';

const HEARTBEAT_MS = 15_000;
const QUEUE = 512;

export function eventRoutes(router: Router, services: Services): void {
  const live = { query: eventsQuery };
  router.get('/events', validate(live), (ctx) => {
    const q = inputOf(ctx, live).query;
    const sub = services.events.subscribe({ types: q.types, ref: q.channel }, QUEUE);
    const out = new PassThrough();
    let reported = 0;
    let open = true;
    const close = () => {
      if (!open) return;
      open = false;
      clearInterval(heartbeat);
      sub.close();
      out.end();
    };
    const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), HEARTBEAT_MS);
    ctx.req.on('close', close);
    out.on('error', close);
    void (async () => {
      for (;;) {
        const e = await sub.next();
        if (e === null || !open) return;
        const dropped = sub.dropped - reported;
        reported = sub.dropped;
        const data = dropped ? { ...presentEvent(e), dropped } : presentEvent(e);
        // Back-pressure from a slow client: wait for the socket, while the subscription's queue bounds what waits.
        if (!out.write(`event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`)) await new Promise((r) => out.once('drain', r));
      }
    })();
    ctx.req.socket.setTimeout(0);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.type = 'text/event-stream';
    ctx.status = 200;
    out.write(': events\n\n');
    ctx.body = out;
  });
}
