/**
 * `reboot` and `factory-reset` (设备管理): the device operations service with
 * the manual's typed confirmation (确认, or confirm), asked at the console
 * and checked by the service, as on the web.
 */
import type { ConsoleCommand } from '../console-command.ts';

const CONFIRM = "Type 确认 (or confirm) to go ahead, anything else to stop: ";

export const reboot: ConsoleCommand = {
  name: 'reboot',
  summary: 'restart the box (recordings in progress are closed)',
  usage: ['reboot      (asks for the typed confirmation)'],
  async run(ctx) {
    const answer = await ctx.ask(`Reboot the box now? ${CONFIRM}`);
    if (answer === null) return;
    await ctx.services.maintenance.reboot(ctx.principal, answer);
    ctx.out.line('The box is rebooting; the console comes back with its banner.');
  },
};

export const factoryReset: ConsoleCommand = {
  name: 'factory-reset',
  summary: 'configuration back to the factory values (recordings, license and device key kept); reboots',
  usage: ['factory-reset      (asks for the typed confirmation)'],
  async run(ctx) {
    ctx.out.line('The configuration returns to its factory values, the accounts too (admin/admin), and the box reboots.');
    ctx.out.line('Recordings, the license, the device key and the operation log are kept.');
    const answer = await ctx.ask(`Reset to the factory settings? ${CONFIRM}`);
    if (answer === null) return;
    await ctx.services.maintenance.factoryReset(ctx.principal, answer);
    ctx.out.line('Reset requested; the box is rebooting with its factory settings.');
  },
};
