/** The console's commands, in the order `help` lists them. */
import type { ConsoleCommand } from '../console-command.ts';
import { alarms } from './alarms.ts';
import { archive } from './archive.ts';
import { channels } from './channels.ts';
import { disk } from './disk.ts';
import { help } from './help.ts';
import { log } from './log.ts';
import { exit, logout } from './logout.ts';
import { passwd } from './passwd.ts';
import { status } from './status.ts';
import { ip } from './ip.ts';
import { ntp } from './ntp.ts';
import { date } from './date.ts';
import { ping } from './ping.ts';
import { factoryReset, reboot } from './device-ops.ts';
import { upgrade } from './upgrade.ts';

export const CONSOLE_COMMANDS: readonly ConsoleCommand[] = [
  status, channels, alarms, disk, log, archive, ip, ntp, date, ping, reboot, factoryReset, upgrade, passwd, help, logout, exit,
];
