/** Starts a daemon and its HTTP API from an entry point, and stops both cleanly on SIGTERM/SIGINT. */
import type { Logger } from 'pino';
import { startDaemon, type DaemonOptions } from './daemon.ts';
import { isRecorderError } from './errors.ts';
import { createApp } from './api/app.ts';
import { listenMovable, type MovableHttpServer } from './api/http-server.ts';
import { attachLiveSockets } from './api/ws/live-socket.ts';
import { WEB_ROOT } from './api/static/web-root.ts';
import { startConsole, type ConsoleServer } from './console/console-server.ts';
import { bannerText } from './console/banner.ts';
import { FACTORY_NETWORK } from './system/network-settings.ts';
import { prefixOf } from './system/ipv4.ts';
import { interfaceAddresses } from './host/linux/interface-addresses.ts';
import type { Services } from './app/services.ts';

export interface RunOptions extends DaemonOptions {
  /** HTTP port; 0 picks a free one. */
  port: number;
  /** Bind address of the HTTP API. */
  listenHost?: string;
}

export async function runUntilSignalled(options: RunOptions, log: Logger): Promise<void> {
  let daemon;
  let http: MovableHttpServer | undefined;
  let consoleServer: ConsoleServer | null = null;
  try {
    daemon = await startDaemon({ ...options, webPort: options.port });
    const services = daemon.services;
    const app = createApp(services, { log, webRoot: WEB_ROOT });
    // A web port saved in the system settings (系统设置) wins over the command line's.
    http = await listenMovable(app, services.system.savedWebPort ?? options.port, options.listenHost, (server) => attachLiveSockets(server, services));
    services.system.attachWebListener(http);
    consoleServer = await openConsole(options, services, () => http?.port ?? options.port, log);
    log.info({ board: options.board.model, port: http.port, data: options.host.paths.data }, 'recorder running');
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
    (consoleServer?.stop() ?? Promise.resolve())
      .then(() => http!.close())
      .then(() => daemon.stop())
      .then(
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

/** The RS232 maintenance console on the host's console line, with the banner that says where the box is. */
export async function openConsole(options: RunOptions, services: Services, webPort: () => number, log: Logger): Promise<ConsoleServer | null> {
  const line = options.host.console;
  if (!line) return null;
  const info = await services.device.info();
  return startConsole({
    line,
    services,
    timers: options.host.clock,
    log: log.child({ part: 'console' }),
    banner: () => bannerText({
      name: info.name, model: info.model, version: info.version, serial: info.serial, addresses: interfaceAddresses(), factoryAddress: `${FACTORY_NETWORK.address}/${prefixOf(FACTORY_NETWORK.netmask) ?? 24}`, webPort: webPort(),
    }),
  });
}
