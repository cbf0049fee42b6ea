/** `ping <host> [count N] [size N]`: ping (系统调试) through the diagnostics service, its output as it comes; Ctrl-C stops it. */
import { UsageError, type ConsoleCommand } from '../console-command.ts';

export const ping: ConsoleCommand = {
  name: 'ping',
  summary: 'ping a host or address (Ctrl-C stops)',
  usage: ['ping <host> [count <n>] [size <bytes>]      e.g. ping 192.168.1.1 count 4', 'ping <host> [-c <n>] [-s <bytes>]'],
  async run(ctx, args) {
    const [target, ...rest] = args;
    if (!target) throw new UsageError();
    const input: { target: string; count?: number; size?: number } = { target };
    for (let i = 0; i < rest.length; i += 2) {
      const key = rest[i]!;
      const value = Number(rest[i + 1]);
      if (rest[i + 1] === undefined || !Number.isInteger(value)) throw new UsageError(`'${key}' needs a whole number.`);
      if (key === 'count' || key === '-c') input.count = value;
      else if (key === 'size' || key === '-s') input.size = value;
      else throw new UsageError(`'${key}' is not an option of ping.`);
    }
    const run = await ctx.services.diagnostics.ping(ctx.principal, input);
    const stop = () => run.stop();
    ctx.signal.addEventListener('abort', stop);
    try {
      ctx.out.line(run.command);
      for await (const line of run.lines) ctx.out.line(line);
      const done = await run.done;
      if (ctx.signal.aborted) ctx.out.line('Stopped.');
      else if (done.transmitted !== null) ctx.out.line(`${done.received ?? 0} of ${done.transmitted} answered.`);
    } finally {
      ctx.signal.removeEventListener('abort', stop);
    }
  },
};
