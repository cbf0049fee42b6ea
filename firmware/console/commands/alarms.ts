/** `alarms [history [n]]`: the active alarms, or the latest of the alarm history. */
import { UsageError, type ConsoleCommand } from '../console-command.ts';
import { localTime, table } from '../format.ts';
import { countArg } from './args.ts';

export const alarms: ConsoleCommand = {
  name: 'alarms',
  summary: 'active alarms, or the alarm history',
  usage: ['alarms', 'alarms history [count]      e.g. alarms history 50'],
  subcommands: ['history'],
  async run(ctx, args) {
    if (args.length === 0) {
      const active = ctx.services.alarms.active();
      if (!active.length) return ctx.out.line('No active alarms.');
      ctx.out.print(table(['since', 'severity', 'area', 'count', 'alarm'], active.map((a) => [localTime(a.raisedAt), a.severity, a.area, String(a.count), a.message])));
      return;
    }
    if (args[0] !== 'history' || args.length > 2) throw new UsageError();
    const page = await ctx.services.alarms.history({ limit: countArg(args[1], 20, 200) });
    if (!page.items.length) return ctx.out.line('The alarm history is empty.');
    const rows = page.items.map((a) => [localTime(a.raisedAt), a.clearedAt ? localTime(a.clearedAt) : 'active', a.severity, a.area, a.message]);
    ctx.out.print(table(['raised', 'cleared', 'severity', 'area', 'alarm'], rows));
  },
};
