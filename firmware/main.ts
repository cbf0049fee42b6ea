/**
 * Production entry point of the recorder daemon on the box:
 * `node main.js [--board rds|rdt|<file>] [--port 8080] [--data /data] [--config /etc/recorder] [--logs /var/log/recorder]`.
 *
 * With `RECORDER_READY_FILE` set, the file is written (holding the pid) once the
 * daemon serves its API, so a supervisor can tell a start-up failure from a
 * later crash; with `RECORDER_PROGRESS_FILE` set, a long start-up step (an
 * index conversion) rewrites that file as it goes (startup-progress.ts).
 */
import { writeFileSync } from 'node:fs';
import { loadBoard } from './board/load-board.ts';
import { createLinuxHost } from './host/linux/linux-host.ts';
import { parseDaemonArgs } from './cli-args.ts';
import { createLogger } from './log.ts';
import { runUntilSignalled } from './run-daemon.ts';
import { progressFileReporter } from './startup-progress.ts';

async function main(): Promise<void> {
  const args = parseDaemonArgs(process.argv.slice(2), { board: 'rds' });
  const board = await loadBoard(args.board);
  const host = createLinuxHost(board, { dataDir: args.dataDir, configDir: args.configDir, logDir: args.logDir, rootDir: args.rootDir });
  const log = createLogger(host.paths.log);
  const startupProgress = progressFileReporter(process.env.RECORDER_PROGRESS_FILE);
  await runUntilSignalled({ host, board, log, port: args.port, startupProgress }, log);
  const readyFile = process.env.RECORDER_READY_FILE;
  if (readyFile && process.exitCode === undefined) writeFileSync(readyFile, `${process.pid}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`recorder: ${(e as Error).message}\n`);
  process.exit(1);
});
