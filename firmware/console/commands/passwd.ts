/** `passwd`: changes the signed-in account's password (the same rules and log as the web). */
import type { ConsoleCommand } from '../console-command.ts';
import { CONSOLE_ADDRESS } from '../../app/principal.ts';

export const passwd: ConsoleCommand = {
  name: 'passwd',
  summary: "change this account's password",
  usage: ['passwd   (asks for the current password and the new one twice; nothing is shown as you type)'],
  beforePasswordChange: true,
  async run(ctx) {
    const current = await ctx.ask('Current password: ', { hidden: true });
    if (current === null) return;
    const next = await ctx.ask('New password: ', { hidden: true });
    if (next === null) return;
    const again = await ctx.ask('New password again: ', { hidden: true });
    if (again === null) return;
    if (again !== next) return ctx.out.line('The two new passwords differ; the password is unchanged.');
    await ctx.services.auth.changePassword(ctx.token, CONSOLE_ADDRESS, current, next);
    ctx.out.line('Password changed.');
  },
};
