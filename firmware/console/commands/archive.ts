/** `archive`: archives now (录音归档) through the device operations service, with the typed confirmation the web asks for. */
import type { ConsoleCommand } from '../console-command.ts';
import { bytes } from '../format.ts';

export const archive: ConsoleCommand = {
  name: 'archive',
  summary: "archive now (today's recordings to the history, transcoded)",
  usage: ['archive      (asks for the typed confirmation)'],
  async run(ctx) {
    const answer = await ctx.ask("Archive today's recordings now? Type 确认 (or confirm) to go ahead: ");
    if (answer === null) return;
    ctx.out.line('Archiving...');
    const r = await ctx.services.maintenance.archiveNow(ctx.principal, answer);
    ctx.out.line(`Archived ${r.archived} recordings (${r.failed} failed), ${bytes(r.bytesBefore)} -> ${bytes(r.bytesAfter)}.`);
  },
};
