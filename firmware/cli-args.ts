/** Command-line options shared by the daemon's entry points (flags override environment). */
import { parseArgs } from 'node:util';

export interface DaemonArgs {
  board: string;
  port: number;
  dataDir: string | undefined;
  configDir: string | undefined;
  logDir: string | undefined;
  rootDir: string | undefined;
}

export function parseDaemonArgs(argv: string[], defaults: { board: string }): DaemonArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      board: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      config: { type: 'string' },
      logs: { type: 'string' },
      root: { type: 'string' },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${values.port ?? process.env.PORT}`);
  return {
    board: values.board ?? process.env.BOARD ?? defaults.board,
    port,
    dataDir: values.data ?? process.env.DATA_DIR,
    configDir: values.config ?? process.env.CONFIG_DIR,
    logDir: values.logs ?? process.env.LOG_DIR,
    rootDir: values.root ?? process.env.ROOT_DIR,
  };
}
