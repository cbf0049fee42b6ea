import type { Router } from '@koa/router';
import type { Daemon } from '../daemon.ts';

export function healthRoutes(router: Router, daemon: Daemon, version: string): void {
  router.get('/health', (ctx) => {
    const linkUp = daemon.link.up;
    ctx.body = {
      status: linkUp ? 'ok' : 'degraded',
      version,
      board: daemon.board.model,
      uptimeS: Math.round((daemon.now() - daemon.startedAt) / 1000),
      linecard: linkUp ? { up: true, model: daemon.link.cardInfo?.model, firmware: daemon.link.cardInfo?.firmwareVersion } : { up: false },
    };
  });

  router.get('/status', (ctx) => {
    ctx.body = {
      board: daemon.board.model,
      leds: daemon.panel.state(),
      linecard: { up: daemon.link.up, card: daemon.link.cardInfo, stats: daemon.link.stats },
      recorder: daemon.recorder.stats,
      alarms: daemon.alarms.list(),
    };
  });

  router.get('/alarms', (ctx) => {
    ctx.body = { items: daemon.alarms.list() };
  });
}
