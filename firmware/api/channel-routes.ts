import type { Router } from '@koa/router';
import type { Daemon } from '../daemon.ts';
import { CHANNEL_STATE_LABEL } from '../calls/call-types.ts';

export function channelRoutes(router: Router, daemon: Daemon): void {
  router.get('/channels', (ctx) => {
    ctx.body = {
      items: daemon.channels.map((ch) => {
        const v = ch.view();
        return {
          channel: v.channel,
          name: v.name,
          state: v.state,
          stateLabel: CHANNEL_STATE_LABEL[v.state],
          voltage: v.voltage,
          ringing: v.ringing,
          polarityReversed: v.polarityReversed,
          recordingEnabled: v.recordingEnabled,
          recording: v.recording,
          recordingSince: v.recordingSince === null ? null : new Date(v.recordingSince).toISOString(),
          recordingS: Math.round(v.recordingMs / 1000),
          lineNumber: v.lineNumber,
          remoteNumber: v.remoteNumber,
          callerName: v.callerName,
          level: v.level,
        };
      }),
    };
  });
}
