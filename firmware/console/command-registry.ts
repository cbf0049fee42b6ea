/**
 * The console's commands by name: finding the one a line names, and Tab
 * completion of command names and of their second words. Pure.
 */
import type { ConsoleCommand } from './console-command.ts';

export type Lookup = { kind: 'found'; command: ConsoleCommand; args: string[] } | { kind: 'unknown'; name: string; suggestions: string[] };

export class CommandRegistry {
  private readonly byName = new Map<string, ConsoleCommand>();

  constructor(readonly commands: readonly ConsoleCommand[]) {
    for (const c of commands) {
      if (this.byName.has(c.name)) throw new Error(`console command ${c.name} defined twice`);
      this.byName.set(c.name, c);
    }
  }

  lookup(words: readonly string[]): Lookup {
    const [name = '', ...args] = words;
    const command = this.byName.get(name.toLowerCase());
    if (command) return { kind: 'found', command, args };
    return { kind: 'unknown', name, suggestions: this.names().filter((n) => near(n, name.toLowerCase())) };
  }

  /** Tab completion: command names for the first word, a command's subcommands for the second. */
  complete(words: readonly string[], partial: string): string[] {
    if (words.length === 0) return this.names().filter((n) => n.startsWith(partial));
    const command = this.byName.get(words[0]!.toLowerCase());
    if (words.length === 1 && command?.subcommands) return command.subcommands.filter((s) => s.startsWith(partial));
    return [];
  }

  private names(): string[] {
    return [...this.byName.keys()];
  }
}

/** A likely typo: same first letter and at most two edits apart, or one is a prefix of the other. */
function near(name: string, typed: string): boolean {
  if (!typed) return false;
  if (name.startsWith(typed) || typed.startsWith(name)) return true;
  return name[0] === typed[0] && editDistance(name, typed) <= 2;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
