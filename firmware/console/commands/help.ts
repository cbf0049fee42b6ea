/** `help [command]`: the commands, or one command's forms and examples. */
import { UsageError, type ConsoleCommand } from '../console-command.ts';
import { table } from '../format.ts';

export const help: ConsoleCommand = {
  name: 'help',
  summary: 'list the commands, or show how to use one',
  usage: ['help', 'help <command>'],
  beforePasswordChange: true,
  async run(ctx, args) {
    if (args.length > 1) throw new UsageError();
    const wanted = args[0]?.toLowerCase();
    if (!wanted) {
      ctx.out.print(table(['command', 'what it does'], ctx.commands.map((c) => [c.name, c.summary])));
      ctx.out.line("Type 'help <command>' for its forms and examples; Tab completes, up and down recall earlier lines.");
      return;
    }
    const command = ctx.commands.find((c) => c.name === wanted);
    if (!command) throw new UsageError(`No command '${wanted}'.`);
    ctx.out.line(`${command.name}: ${command.summary}`);
    for (const u of command.usage) ctx.out.line(`  ${u}`);
  },
};
