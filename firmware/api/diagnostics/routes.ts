/**
 * Processing info (处理信息) and ping (系统调试). The ping's output is
 * streamed as Server-Sent Events while ping runs: `start` (the command),
 * one `line` per line of output, `end` (exit code, packets sent and
 * received). A client that goes away stops the ping.
 */
import { PassThrough } from 'node:stream';
import type { Router } from '@koa/router';
import type { Services } from '../../app/services.ts';
import { pingRequestSchema } from '../../app/diagnostics-service.ts';
import { validate, inputOf } from '../middleware/validate.ts';
import { principalOf } from '../middleware/principal.ts';

export function diagnosticsRoutes(router: Router, services: Services): void {
  const { diagnostics } = services;

  router.get('/processing', (ctx) => {
    const p = diagnostics.processing();
    ctx.body = { ...p, at: new Date(p.at).toISOString() };
  });

  const ping = { body: pingRequestSchema.strict() };
  router.post('/diagnostics/ping', validate(ping), async (ctx) => {
    const run = await diagnostics.ping(principalOf(ctx), inputOf(ctx, ping).body);
    const out = new PassThrough();
    const send = (event: string, data: object) => out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    let open = true;
    // The request's body is read already: the response closing is the client going away.
    ctx.res.on('close', () => {
      if (!open) return;
      open = false;
      run.stop();
    });
    void (async () => {
      try {
        send('start', { command: run.command });
        for await (const line of run.lines) if (open) send('line', { line });
        const end = await run.done;
        send('end', end);
      } finally {
        open = false;
        out.end();
      }
    })();
    ctx.req.socket.setTimeout(0);
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.type = 'text/event-stream';
    ctx.status = 200;
    ctx.body = out;
  });
}
