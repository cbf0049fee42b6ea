/** `channels`: every channel's state, numbers and whether it records now. */
import type { ConsoleCommand } from '../console-command.ts';
import { CHANNEL_STATE_LABEL, refKey } from '../../app/vocabulary.ts';
import { duration, table } from '../format.ts';

export const channels: ConsoleCommand = {
  name: 'channels',
  summary: 'channel states, numbers and recordings in progress',
  usage: ['channels'],
  async run(ctx) {
    const rows = ctx.services.channels.list().map((c) => [
      refKey(c.ref),
      c.name,
      `${c.state} ${CHANNEL_STATE_LABEL[c.state]}`,
      c.recordingEnabled ? (c.recording ? `recording ${duration(c.recordingMs / 1000)}` : '-') : 'off',
      c.remoteNumber || '-',
      `${c.voltage.toFixed(1)} V`,
    ]);
    ctx.out.print(table(['channel', 'name', 'state', 'recording', 'remote number', 'line'], rows));
  },
};
