/**
 * One console session on a line: keys from the terminal through the line
 * editor into the session machine, and its effects performed on the
 * services: signing in and out with the web's accounts (the principal's
 * address is `console`), running commands, asking their questions, and the
 * idle sign-out. All output leaves with CRLF line ends.
 */
import type { Services } from '../app/services.ts';
import type { SignedIn } from '../app/auth-service.ts';
import { CONSOLE_ADDRESS } from '../app/principal.ts';
import { RecorderError } from '../errors.ts';
import type { CommandContext, ConsoleCommand } from './console-command.ts';
import { UsageError } from './console-command.ts';
import { CommandRegistry } from './command-registry.ts';
import { parseCommandLine } from './command-line.ts';
import { errorText, signInRefusal } from './console-errors.ts';
import { KeyDecoder, type Key } from './key-decoder.ts';
import { LineEditor, type EditorAction } from './line-editor.ts';
import { nextSession, type SessionEffect, type SessionEvent, type SessionState } from './session-machine.ts';

export interface ConsoleTimers {
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

export interface ConsoleLog {
  error(obj: object, msg: string): void;
}

export interface ConsoleSessionDeps {
  services: Services;
  commands: readonly ConsoleCommand[];
  timers: ConsoleTimers;
  log: ConsoleLog;
  /** The banner, written at the start and on Enter at an empty login prompt. */
  banner?: () => string;
}

/** Keys kept while the console cannot take them (a command works, a password is checked). */
const TYPE_AHEAD = 256;

interface Question {
  resolve(answer: string | null): void;
}

/** Text as the line carries it: every line end CRLF. */
export const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

export class ConsoleSession {
  private readonly keys = new KeyDecoder();
  private readonly registry: CommandRegistry;
  private readonly editor: LineEditor;
  private state: SessionState = { kind: 'username' };
  private token: string | null = null;
  private question: Question | null = null;
  private abort: AbortController | null = null;
  private idleTimer: { cancel(): void } | null = null;
  private closed = false;
  private typedAhead: Key[] = [];
  private replaying = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly deps: ConsoleSessionDeps,
  ) {
    this.registry = new CommandRegistry(deps.commands);
    this.editor = new LineEditor((words, partial) => this.registry.complete(words, partial));
  }

  /** Writes the banner and the login prompt. */
  start(): void {
    this.perform({ kind: 'banner' });
    this.fire({ kind: 'start' });
  }

  receive(chunk: Uint8Array): void {
    for (const key of this.keys.push(chunk)) this.onKey(key);
    this.replayTypedAhead();
  }

  private onKey(key: Key): void {
    if (this.closed) return;
    if (!this.editing()) {
      // Keys typed while the password is checked or a command works wait for the next prompt,
      // as a terminal's line would keep them; Ctrl-C stops the command and drops them.
      if (key.kind === 'interrupt' && this.state.kind === 'busy') {
        this.typedAhead = [];
        this.fire({ kind: 'interrupt' });
      } else if (this.typedAhead.length < TYPE_AHEAD) this.typedAhead.push(key);
      return;
    }
    this.armIdle();
    const { output, action } = this.editor.handle(key);
    if (output) this.write(output);
    if (action) this.onAction(action);
  }

  /** The editor has a line open: a prompt or a command's question. */
  private editing(): boolean {
    return this.state.kind !== 'checking' && (this.state.kind !== 'busy' || this.question !== null);
  }

  private replayTypedAhead(): void {
    if (this.replaying) return;
    this.replaying = true;
    try {
      while (this.typedAhead.length && this.editing() && !this.closed) this.onKey(this.typedAhead.shift()!);
    } finally {
      this.replaying = false;
    }
  }

  /** The line went away: the session is signed out. */
  close(): void {
    this.closed = true;
    this.idleTimer?.cancel();
    this.abort?.abort();
    this.question?.resolve(null);
    if (this.token) this.signOut();
  }

  private onAction(action: EditorAction): void {
    if (action.kind === 'submit') this.fire({ kind: 'line', text: action.line });
    else this.fire({ kind: action.kind });
  }

  private fire(event: SessionEvent): void {
    const { state, effects } = nextSession(this.state, event);
    this.state = state;
    for (const e of effects) this.perform(e);
    this.replayTypedAhead();
  }

  private perform(e: SessionEffect): void {
    switch (e.kind) {
      case 'write':
        return this.write(crlf(e.text));
      case 'banner':
        return this.write(crlf(this.deps.banner?.() ?? ''));
      case 'prompt':
        return this.write(this.editor.start(e.text, e.mode));
      case 'authenticate':
        return void this.authenticate(e.username, e.password);
      case 'run':
        return void this.run(e.line);
      case 'answer': {
        const q = this.question;
        this.question = null;
        return q?.resolve(e.line);
      }
      case 'cancel': {
        this.abort?.abort();
        const q = this.question;
        this.question = null;
        return q?.resolve(null);
      }
      case 'logout':
        return this.signOut();
    }
  }

  private async authenticate(username: string, password: string): Promise<void> {
    try {
      const r = await this.deps.services.auth.login({ username, password, ip: CONSOLE_ADDRESS, client: 'console' });
      if (this.closed) return void (await this.deps.services.auth.logout(r.token));
      this.token = r.token;
      this.armIdle();
      this.fire({ kind: 'signed-in', username: r.username, mustChangePassword: r.mustChangePassword });
    } catch (err) {
      if (!(err instanceof RecorderError)) this.deps.log.error({ err }, 'console sign-in failed');
      this.fire({ kind: 'sign-in-refused', message: signInRefusal(err) });
    }
  }

  private signOut(): void {
    const token = this.token;
    this.token = null;
    this.idleTimer?.cancel();
    if (token) this.deps.services.auth.logout(token).catch((err: unknown) => this.deps.log.error({ err }, 'console sign-out failed'));
  }

  /** The live sign-in, or null when it has ended (idle, account disabled, replaced). */
  private signedIn(): SignedIn | null {
    return this.token ? (this.deps.services.auth.resolveSession(this.token, CONSOLE_ADDRESS) ?? null) : null;
  }

  private async run(line: string): Promise<void> {
    let logout = false;
    try {
      logout = await this.execute(line);
    } catch (err) {
      this.report(err);
    }
    this.question = null;
    this.abort = null;
    if (this.closed) return;
    const ended = !logout && !this.signedIn();
    if (ended) this.token = null;
    this.fire({ kind: 'command-done', then: ended ? 'ended' : logout ? 'logout' : 'shell' });
    this.armIdle();
  }

  /** Runs a command line; true when the session should end. */
  private async execute(line: string): Promise<boolean> {
    const me = this.signedIn();
    if (!me || !this.token) throw new RecorderError('unauthenticated', 'the session has ended');
    const parsed = parseCommandLine(line);
    if (!parsed.ok) throw new UsageError(parsed.error);
    const found = this.registry.lookup(parsed.words);
    if (found.kind === 'unknown') {
      const hint = found.suggestions.length ? ` Did you mean: ${found.suggestions.join(', ')}?` : '';
      this.write(crlf(`Unknown command '${found.name}'.${hint} Type 'help' for the commands.\n`));
      return false;
    }
    const { command, args } = found;
    if (me.mustChangePassword && !command.beforePasswordChange) throw new RecorderError('password_change_required');
    let endSession = false;
    this.abort = new AbortController();
    const ctx = this.context(me, this.token, this.abort.signal, () => (endSession = true));
    try {
      await command.run(ctx, args);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      this.write(crlf(`${err.message ? `${err.message}\n` : ''}Usage:\n${command.usage.map((u) => `  ${u}`).join('\n')}\n`));
    }
    return endSession;
  }

  private report(err: unknown): void {
    if (err instanceof UsageError) return this.write(crlf(`${err.message}\n`));
    if (!(err instanceof RecorderError)) this.deps.log.error({ err }, 'console command failed');
    this.write(crlf(`${errorText(err)}\n`));
  }

  private context(me: SignedIn, token: string, signal: AbortSignal, endSession: () => void): CommandContext {
    const ask = (question: string, options: { hidden?: boolean } = {}) =>
      new Promise<string | null>((resolve) => {
        if (signal.aborted || this.closed) return resolve(null);
        this.question = { resolve };
        this.write(this.editor.start(question, options.hidden ? 'hidden' : 'visible', false));
        this.replayTypedAhead();
      });
    return {
      services: this.deps.services,
      principal: me.principal,
      username: me.username,
      token,
      out: { print: (t) => this.write(crlf(t)), line: (t = '') => this.write(crlf(`${t}\n`)) },
      ask,
      confirm: async (what, word) => {
        const answer = await ask(`${what} Type '${word}' to go ahead: `);
        if (answer?.trim() === word) return true;
        this.write(crlf('Not done.\n'));
        return false;
      },
      signal,
      commands: this.deps.commands,
      endSession,
    };
  }

  private armIdle(): void {
    this.idleTimer?.cancel();
    this.idleTimer = null;
    if (!this.token) return;
    const minutes = this.deps.services.auth.access().idleLogoutMinutes;
    this.idleTimer = this.deps.timers.setTimeout(() => {
      this.idleTimer = null;
      if (this.state.kind === 'shell' || this.question) this.fire({ kind: 'idle', minutes });
      else this.armIdle(); // a command is working: the idle time counts from its end
    }, minutes * 60_000);
  }
}
