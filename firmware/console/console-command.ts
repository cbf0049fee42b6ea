/**
 * What a console command is and what it gets: the services, the signed-in
 * principal, output, and questions to the person at the terminal. Each
 * command is a thin adapter over the application services (one file per
 * command under commands/); the services check rights and log changes.
 */
import type { Services } from '../app/services.ts';
import type { Principal } from '../app/principal.ts';

export interface ConsoleOutput {
  /** Writes text; `\n` becomes CRLF on the line. */
  print(text: string): void;
  /** Writes a line. */
  line(text?: string): void;
}

export interface CommandContext {
  readonly services: Services;
  readonly principal: Principal & { kind: 'user' };
  readonly username: string;
  /** The console's session token (for the services that take one, such as a password change). */
  readonly token: string;
  readonly out: ConsoleOutput;
  /** Asks a question; the answer, or null when the person pressed Ctrl-C. */
  ask(question: string, options?: { hidden?: boolean }): Promise<string | null>;
  /** Asks to type `word` to go ahead (the manual's typed confirmation); true when typed exactly. */
  confirm(what: string, word: string): Promise<boolean>;
  /** Aborted when the person presses Ctrl-C (long commands such as ping stop). */
  readonly signal: AbortSignal;
  /** The command list, for `help`. */
  readonly commands: readonly ConsoleCommand[];
  /** Ends the session after the command (logout). */
  endSession(): void;
}

export interface ConsoleCommand {
  readonly name: string;
  /** One line for `help`. */
  readonly summary: string;
  /** Forms and examples for `help <name>` and wrong usage, one per line. */
  readonly usage: readonly string[];
  /** Second words Tab completes (`ip show`, `ip set`). */
  readonly subcommands?: readonly string[];
  /** May run while the account must still change its password. */
  readonly beforePasswordChange?: boolean;
  run(ctx: CommandContext, args: readonly string[]): Promise<void>;
}

/** Wrong arguments: the command's usage is shown. */
export class UsageError extends Error {
  constructor(message = '') {
    super(message);
    this.name = 'UsageError';
  }
}
