import type { Router } from '@koa/router';
import { z } from 'zod';
import type { Daemon } from '../daemon.ts';
import { CHANNEL_STATE_LABEL, START_MODE_LABEL } from '../calls/call-types.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { readJsonBody } from './json-body.ts';

const forcedSchema = z.object({ on: z.boolean() }).strict();

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
          recordingMode: v.recordingMode,
          recordingModeLabel: v.recordingMode ? START_MODE_LABEL[v.recordingMode] : null,
          controlMode: v.controlMode,
          forcedRecording: v.forcedRecording,
          lineNumber: v.lineNumber,
          remoteNumber: v.remoteNumber,
          callerName: v.callerName,
          level: v.level,
        };
      }),
    };
  });

  /** 强制录音: start or stop recording a channel now, whatever its control mode. */
  router.put('/channels/:channel/forced-recording', async (ctx) => {
    const channel = Number(ctx.params.channel);
    const pipeline = Number.isInteger(channel) ? daemon.channels[channel] : undefined;
    if (!pipeline) throw new RecorderError('NOT_FOUND', `no channel ${ctx.params.channel}`);
    const parsed = forcedSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    pipeline.setForced(parsed.data.on, daemon.now());
    ctx.body = { channel, forcedRecording: parsed.data.on, recording: pipeline.view().recording };
  });
}
