/**
 * The production host: real line-card link, sysfs GPIO, I2C sensors, disk,
 * tools and clock of a Linux box, chosen from the board file.
 */
import path from 'node:path';
import type { Board, LinecardLink } from '../../board/board-schema.ts';
import type { Host, LineCardTransport, Sensors } from '../host.ts';
import { systemClock } from './clock.ts';
import { LinuxDisk } from './disk.ts';
import { I2cSensors } from './i2c-sensors.ts';
import { LinuxShell } from './shell.ts';
import { LinuxPower } from './power.ts';
import { SpiTransport } from './spi-transport.ts';
import { SysfsGpio } from './sysfs-gpio.ts';
import { TcpTransport } from './tcp-transport.ts';
import { UartTransport } from './uart-transport.ts';
import { createConsoleLine } from './console-line.ts';
import { linuxSystemHost } from './system-host.ts';

export interface LinuxHostOptions {
  /** Recordings and index; defaults to the board's storage mount. */
  dataDir?: string;
  /** Defaults to `/etc/recorder`. */
  configDir?: string;
  /** Defaults to `/var/log/recorder`. */
  logDir?: string;
  /** Root of the managed system files; defaults to `/`. */
  rootDir?: string;
}

export const DEFAULT_CONFIG_DIR = '/etc/recorder';
export const DEFAULT_LOG_DIR = '/var/log/recorder';

export function createLinecardTransport(link: LinecardLink): LineCardTransport {
  switch (link.transport) {
    case 'uart':
      // A relative device (a simulator's pseudo-terminal link) is relative to the working directory.
      return new UartTransport({ device: path.resolve(link.device), baudRate: link.baudRate });
    case 'spi':
      return new SpiTransport(link);
    case 'tcp':
      return new TcpTransport({ host: link.host, port: link.port });
  }
}

/** Sensors of a board without an I2C bus: every reading is null. */
export const noSensors: Sensors = {
  boardId: async () => null,
  temperatureC: async () => null,
  rtcTime: async () => null,
  close: async () => undefined,
};

export function createLinuxHost(board: Board, options: LinuxHostOptions = {}): Host {
  if (board.gpio.driver === 'sim') {
    throw new Error(
      `board ${board.model}: GPIO driver 'sim' is only available in the simulation entry point; ` +
        `use a board file with driver 'sysfs' on real hardware`,
    );
  }
  const root = path.resolve(options.rootDir ?? '/');
  return {
    ...linuxSystemHost(root, new LinuxShell()),
    linecard: createLinecardTransport(board.linecard),
    gpio: new SysfsGpio(board.gpio),
    clock: systemClock,
    disk: new LinuxDisk(board.storage.device, new LinuxShell()),
    shell: new LinuxShell(),
    sensors: board.i2c ? new I2cSensors(board.i2c) : noSensors,
    power: new LinuxPower(new LinuxShell()),
    paths: {
      data: path.resolve(options.dataDir ?? board.storage.mount),
      config: path.resolve(options.configDir ?? DEFAULT_CONFIG_DIR),
      log: path.resolve(options.logDir ?? DEFAULT_LOG_DIR),
      root,
    },
    console: createConsoleLine(board.console),
  };
}
