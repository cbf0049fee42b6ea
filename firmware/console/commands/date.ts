/**
 * `date [set "YYYY-MM-DD HH:MM[:SS]" | zone GMT±HH:MM]`: the box's date and
 * time, set by hand while NTP is off, and its time zone, through the time
 * service (the clock and the RTC; recordings keep correct times across the step).
 */
import { UsageError, type CommandContext, type ConsoleCommand } from '../console-command.ts';
import { fields } from '../format.ts';

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

export const date: ConsoleCommand = {
  name: 'date',
  summary: "the box's date and time; set it (NTP off) or its time zone",
  usage: ['date', 'date set "2026-12-02 18:30:00"      (in the box\'s time zone; NTP must be off)', 'date zone GMT+08:00'],
  subcommands: ['set', 'zone'],
  async run(ctx, args) {
    const [sub, ...rest] = args;
    if (sub === undefined) return show(ctx);
    const view = await ctx.services.time.view();
    if (sub === 'set' && rest.length >= 1 && rest.length <= 2) {
      const m = DATE_TIME.exec(rest.join(' '));
      if (!m) throw new UsageError('Write the date and time as "YYYY-MM-DD HH:MM:SS".');
      const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
      const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
      const back = new Date(asUtc);
      if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new UsageError(`${rest.join(' ')} is not a date and time.`);
      await ctx.services.time.setClock(ctx.principal, asUtc - view.utcOffsetMinutes * 60_000);
      return show(ctx);
    }
    if (sub === 'zone' && rest.length === 1) {
      await ctx.services.time.set(ctx.principal, { ...view.settings, zone: rest[0]!.toUpperCase() });
      return show(ctx);
    }
    throw new UsageError();
  },
};

async function show(ctx: CommandContext): Promise<void> {
  const v = await ctx.services.time.view();
  const local = new Date(v.now + v.utcOffsetMinutes * 60_000).toISOString().replace('T', ' ').slice(0, 19);
  ctx.out.print(
    fields([
      ['Date and time', `${local} (${v.settings.zone})`],
      ['UTC', new Date(v.now).toISOString().replace('T', ' ').slice(0, 19)],
      ['NTP', v.settings.ntp ? 'on' : 'off'],
    ]),
  );
}
