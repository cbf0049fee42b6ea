/**
 * The system controls of a simulated box: the network, chrony and time-zone
 * files are written under the sandbox root as on the box, but no interface,
 * clock or daemon of this machine is touched. The watchdog is the real device
 * code on a plain file (`<root>/dev/watchdog`) a test reads. Failures can be
 * injected to test that nothing is left half applied.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock, CpuMeter, Host, NetworkControl, NetworkFiles, NtpStatus, SystemDaemon, SystemDaemons, TimeControl } from '../host/host.ts';
import { writeFileAtomic } from '../settings/settings-file.ts';
import { LinuxWatchdog } from '../host/linux/watchdog-device.ts';
import { LinuxShell } from '../host/linux/shell.ts';

export const SIM_MAC = '8c:1f:64:08:b0:16';

export class SimNetwork implements NetworkControl {
  /** Every set of files brought up, in order. */
  readonly applied: NetworkFiles[] = [];
  /** The next `apply` fails after writing (as `ifup` refusing an address would), with this message. */
  failNext: string | null = null;

  constructor(private readonly root: string) {}

  private file(name: string): string {
    return path.join(this.root, name);
  }

  async read(): Promise<NetworkFiles> {
    const read = (f: string) => (fs.existsSync(this.file(f)) ? fs.readFileSync(this.file(f), 'utf8') : null);
    return { interfaces: read('etc/network/interfaces'), resolv: read('etc/resolv.conf') };
  }

  async apply(files: NetworkFiles): Promise<void> {
    fs.mkdirSync(this.file('etc/network'), { recursive: true });
    if (files.interfaces !== null) await writeFileAtomic(this.file('etc/network/interfaces'), files.interfaces);
    if (files.resolv !== null) await writeFileAtomic(this.file('etc/resolv.conf'), files.resolv);
    const failure = this.failNext;
    this.failNext = null;
    if (failure) throw new Error(`ifup: ${failure}`);
    this.applied.push(files);
  }

  async macAddress(): Promise<string | null> {
    return SIM_MAC;
  }
}

export class SimTime implements TimeControl {
  ntpRunning = false;
  /** Clock steps asked for (epoch ms). */
  readonly steps: number[] = [];
  zone: string | null = null;

  constructor(
    private readonly root: string,
    /** Steps the simulated wall clock (VirtualClock.stepTo); nothing by default. */
    private readonly step: (ms: number) => void = () => undefined,
  ) {}

  async applyNtp(config: string | null): Promise<void> {
    if (config !== null) {
      fs.mkdirSync(path.join(this.root, 'etc'), { recursive: true });
      await writeFileAtomic(path.join(this.root, 'etc/chrony.conf'), config);
    }
    this.ntpRunning = config !== null;
  }

  async ntpStatus(): Promise<NtpStatus | null> {
    if (!this.ntpRunning) return null;
    const conf = fs.readFileSync(path.join(this.root, 'etc/chrony.conf'), 'utf8');
    const servers = [...conf.matchAll(/^server (\S+)/gm)].map((m) => m[1]!);
    return {
      synchronised: false, server: null, stratum: null, offsetS: null, updateIntervalS: null,
      sources: servers.map((address) => ({ address, state: '?', reachable: false })),
    };
  }

  async setClock(ms: number): Promise<void> {
    this.steps.push(ms);
    this.step(ms);
  }

  async setZone(posixTz: string, _processTz: string): Promise<void> {
    fs.mkdirSync(path.join(this.root, 'etc'), { recursive: true });
    await writeFileAtomic(path.join(this.root, 'etc/TZ'), `${posixTz}\n`);
    this.zone = posixTz;
  }
}

export class SimDaemons implements SystemDaemons {
  readonly running: Record<SystemDaemon, boolean> = { ssh: true, ftp: true };
  failNext: string | null = null;

  async set(daemon: SystemDaemon, on: boolean): Promise<void> {
    const failure = this.failNext;
    this.failNext = null;
    if (failure) throw new Error(`${daemon}: ${failure}`);
    this.running[daemon] = on;
  }
}

/** CPU use set by the test (percent), accumulated over the clock's time. */
export class SimCpu implements CpuMeter {
  percent = 5;
  private busy = 0;
  private total = 0;
  private last: number;

  constructor(private readonly clock: Pick<Clock, 'now'>) {
    this.last = clock.now();
  }

  times(): { busyMs: number; totalMs: number } {
    const t = this.clock.now();
    const dt = Math.max(0, t - this.last);
    this.last = t;
    this.total += dt;
    this.busy += (dt * this.percent) / 100;
    return { busyMs: this.busy, totalMs: this.total };
  }
}

export interface SimSystem extends Pick<Host, 'network' | 'time' | 'watchdog' | 'daemons' | 'cpu'> {
  network: SimNetwork;
  time: SimTime;
  daemons: SimDaemons;
  cpu: SimCpu;
}

/** The system controls of a simulated box on `root`; `stepClock` moves the simulated wall clock. */
export function simSystem(root: string, clock: Pick<Clock, 'now'>, stepClock?: (ms: number) => void): SimSystem {
  fs.mkdirSync(path.join(root, 'dev'), { recursive: true });
  return {
    network: new SimNetwork(root),
    time: new SimTime(root, stepClock),
    watchdog: new LinuxWatchdog(root, new LinuxShell()),
    daemons: new SimDaemons(),
    cpu: new SimCpu(clock),
  };
}
