/**
 * Entry point of the daemon on the simulated board (`make run`): the real
 * Linux host (serial link to the simulator's pseudo-terminal, disk, shell,
 * clock) with simulated GPIO and sensors.
 */
import path from 'node:path';
import { loadBoard } from '../board/load-board.ts';
import type { Host } from '../host/host.ts';
import { createLinecardTransport } from '../host/linux/linux-host.ts';
import { systemClock } from '../host/linux/clock.ts';
import { LinuxDisk } from '../host/linux/disk.ts';
import { LinuxShell } from '../host/linux/shell.ts';
import { createConsoleLine } from '../host/linux/console-line.ts';
import { parseDaemonArgs } from '../cli-args.ts';
import { createLogger } from '../log.ts';
import { runUntilSignalled } from '../run-daemon.ts';
import { SimGpio } from './sim-gpio.ts';
import { simSensors } from './sim-sensors.ts';
import { simSystem } from './sim-system.ts';
import { SimPower } from './sim-power.ts';

async function main(): Promise<void> {
  const args = parseDaemonArgs(process.argv.slice(2), { board: 'sim' });
  const board = await loadBoard(args.board);
  const root = path.resolve(args.rootDir ?? 'var/root');
  const host: Host = {
    ...simSystem(root, systemClock),
    linecard: createLinecardTransport(board.linecard),
    gpio: new SimGpio(),
    clock: systemClock,
    disk: new LinuxDisk(),
    shell: new LinuxShell(),
    sensors: simSensors(),
    paths: {
      data: path.resolve(args.dataDir ?? board.storage.mount),
      config: path.resolve(args.configDir ?? 'var/config'),
      log: path.resolve(args.logDir ?? 'var/log'),
      root,
    },
    console: createConsoleLine(board.console),
  };
  const log = createLogger(host.paths.log);
  host.power = new SimPower((r) => log.warn({ request: r.kind, reason: r.reason }, 'simulated board: restart requested (not performed)'));
  await runUntilSignalled({ host, board, log, port: args.port }, log);
}

main().catch((e: unknown) => {
  process.stderr.write(`recorder: ${(e as Error).message}\n`);
  process.exit(1);
});
