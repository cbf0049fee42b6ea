/** `log tail [count]`: the latest entries of the operation log (操作日志), who did what and how it ended. */
import { UsageError, type ConsoleCommand } from '../console-command.ts';
import { principalText } from '../../app/vocabulary.ts';
import { localTime, table } from '../format.ts';
import { countArg } from './args.ts';

export const log: ConsoleCommand = {
  name: 'log',
  summary: 'the latest operation log entries',
  usage: ['log tail [count]            e.g. log tail 50 (default 20, newest last)'],
  subcommands: ['tail'],
  async run(ctx, args) {
    if (args[0] !== 'tail' || args.length > 2) throw new UsageError();
    const page = await ctx.services.journal.operations({ limit: countArg(args[1], 20, 500) });
    if (!page.items.length) return ctx.out.line('The operation log is empty.');
    const rows = [...page.items].reverse().map((e) => [
      localTime(e.time),
      principalText(e.principal),
      `${e.item} ${e.operation}${e.parameter ? ` ${e.parameter}` : ''}`,
      e.result.ok ? 'ok' : `failed (${e.result.code})`,
      e.detail.length > 60 ? `${e.detail.slice(0, 57)}...` : e.detail,
    ]);
    ctx.out.print(table(['time', 'who', 'what', 'result', 'detail'], rows));
  },
};
