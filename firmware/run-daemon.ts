/** Starts a daemon from an entry point and stops it cleanly on SIGTERM/SIGINT. */
import type { Logger } from 'pino';
import { startDaemon, type DaemonOptions } from './daemon.ts';
import { isRecorderError } from './errors.ts';

export async function runUntilSignalled(options: DaemonOptions, log: Logger): Promise<void> {
  let daemon;
  try {
    daemon = await startDaemon(options);
  } catch (e) {
    log.fatal({ err: isRecorderError(e) ? e.message : e }, 'recorder failed to start');
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 200).unref();
    return;
  }
  // A bug must not take recording down silently: log it; an exception ends the process so
  // the supervisor restarts it and start-up recovery closes the open recordings.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception; exiting for a supervised restart');
    process.exit(70);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    daemon.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
