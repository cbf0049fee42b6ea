/**
 * The maintenance console on its line (the board's RS232 UART, or a
 * pseudo-terminal off the box): opens it, writes the banner and the login
 * prompt, runs one session at a time on it, and opens it again after the
 * line fails or hangs up. Nothing here is an operation of its own: the
 * commands call the application services.
 */
import type { ByteLink, SerialLine } from '../host/host.ts';
import type { Services } from '../app/services.ts';
import type { ConsoleCommand } from './console-command.ts';
import { ConsoleSession, type ConsoleLog, type ConsoleTimers } from './console-session.ts';
import { CONSOLE_COMMANDS } from './commands/index.ts';

export interface ConsoleOptions {
  line: SerialLine;
  services: Services;
  timers: ConsoleTimers;
  log: ConsoleLog & { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Text written when the line opens and when Enter is pressed at an empty login prompt. */
  banner: () => string;
  commands?: readonly ConsoleCommand[];
  /** Wait before opening the line again after it closed or could not be opened. */
  retryMs?: number;
}

export interface ConsoleServer {
  stop(): Promise<void>;
}

export function startConsole(options: ConsoleOptions): ConsoleServer {
  const { line, log, timers } = options;
  const retryMs = options.retryMs ?? 2000;
  let stopped = false;
  let link: ByteLink | null = null;
  let session: ConsoleSession | null = null;
  let retry: { cancel(): void } | null = null;
  let failures = 0;

  const schedule = () => {
    if (!stopped) retry = timers.setTimeout(() => void open(), retryMs);
  };

  async function open(): Promise<void> {
    retry = null;
    let opened: ByteLink;
    try {
      opened = await line.open();
    } catch (e) {
      if (failures++ === 0) log.warn({ line: line.description, err: (e as Error).message }, 'console line not available; retrying');
      return schedule();
    }
    if (stopped) return void (await opened.close());
    failures = 0;
    link = opened;
    const s = new ConsoleSession((text) => opened.write(Buffer.from(text, 'utf8')), {
      services: options.services,
      commands: options.commands ?? CONSOLE_COMMANDS,
      timers,
      log,
      banner: options.banner,
    });
    session = s;
    opened.onData((chunk) => s.receive(chunk));
    opened.onClose((err) => {
      s.close();
      if (session === s) session = null;
      if (link === opened) link = null;
      if (!stopped) log.info({ line: line.description, err: err?.message }, 'console line closed; opening it again');
      schedule();
    });
    log.info({ line: line.description }, 'console ready');
    s.start();
  }

  void open();
  return {
    async stop() {
      stopped = true;
      retry?.cancel();
      session?.close();
      await link?.close();
    },
  };
}
