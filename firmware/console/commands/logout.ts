/** `logout` (or `exit`): signs out and returns to the login prompt. */
import type { ConsoleCommand } from '../console-command.ts';

const signOut: ConsoleCommand['run'] = async (ctx) => ctx.endSession();

export const logout: ConsoleCommand = { name: 'logout', summary: 'sign out', usage: ['logout'], beforePasswordChange: true, run: signOut };
export const exit: ConsoleCommand = { name: 'exit', summary: 'sign out (as logout)', usage: ['exit'], beforePasswordChange: true, run: signOut };
