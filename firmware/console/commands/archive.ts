/** `archive`: archives now (录音归档), as the web's button does. */
import type { ConsoleCommand } from '../console-command.ts';
import { bytes } from '../format.ts';

export const archive: ConsoleCommand = {
  name: 'archive',
  summary: "archive now (today's recordings to the history, transcoded)",
  usage: ['archive'],
  async run(ctx) {
    ctx.out.line('Archiving...');
    const r = await ctx.services.storage.archiveNow(ctx.principal);
    ctx.out.line(`Archived ${r.archived} recordings (${r.failed} failed), ${bytes(r.bytesBefore)} -> ${bytes(r.bytesAfter)}.`);
  },
};
