/** The box's system controls (network, time, watchdog, SSH/FTP, CPU) on the system root. */
import type { Host, Shell } from '../host.ts';
import { ChronyTime } from './chrony-time.ts';
import { linuxCpu } from './cpu-meter.ts';
import { InitScriptDaemons } from './init-daemons.ts';
import { IfupdownNetwork } from './network-control.ts';
import { LinuxWatchdog } from './watchdog-device.ts';

export function linuxSystemHost(root: string, shell: Shell): Pick<Host, 'network' | 'time' | 'watchdog' | 'daemons' | 'cpu'> {
  return {
    network: new IfupdownNetwork(root, shell),
    time: new ChronyTime(root, shell),
    watchdog: new LinuxWatchdog(root, shell),
    daemons: new InitScriptDaemons(root, shell),
    cpu: linuxCpu,
  };
}
