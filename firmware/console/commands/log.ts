/**
 * `log tail [count]`: the latest entries of the operation log (操作日志), who
 * did what and how it ended; `log tail system [count]`: the running system
 * log's last lines (系统日志).
 */
import { UsageError, type CommandContext, type ConsoleCommand } from '../console-command.ts';
import { principalText } from '../../app/vocabulary.ts';
import { localTime, table } from '../format.ts';
import { countArg } from './args.ts';

export const log: ConsoleCommand = {
  name: 'log',
  summary: 'the latest operation log entries, or system log lines',
  usage: ['log tail [count]            the operation log, e.g. log tail 50 (default 20, newest last)', 'log tail system [count]     the system log, e.g. log tail system 100'],
  subcommands: ['tail'],
  async run(ctx, args) {
    if (args[0] !== 'tail' || args.length > 3) throw new UsageError();
    if (args[1] === 'system') return systemTail(ctx, countArg(args[2], 20, 1000));
    if (args.length > 2) throw new UsageError();
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

async function systemTail(ctx: CommandContext, count: number): Promise<void> {
  const lines = await ctx.services.systemLog.tail(count);
  if (!lines.length) return ctx.out.line('The system log is empty.');
  for (const l of lines) {
    if (l.raw !== undefined) ctx.out.line(l.raw);
    else ctx.out.line(`${l.time !== null ? localTime(l.time) : '-'} ${l.level.padEnd(5)} ${l.msg}${l.fields ? ` ${JSON.stringify(l.fields)}` : ''}`);
  }
}
