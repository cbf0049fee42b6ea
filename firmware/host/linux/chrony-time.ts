/**
 * Time on the box: chrony configured by `etc/chrony.conf` under the system
 * root and its init script, its state read with `chronyc -c`, the clock
 * stepped with `date` and written to the RTC with `hwclock`, the zone in
 * `etc/TZ` (POSIX form, read by the C library) and this process's `TZ`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { NtpStatus, Shell, TimeControl } from '../host.ts';
import { writeFileAtomic } from '../../settings/settings-file.ts';
import { parseChronycSources, parseChronycTracking } from './chronyc-output.ts';

export class ChronyTime implements TimeControl {
  constructor(
    private readonly root: string,
    private readonly shell: Shell,
    /** Options before each chronyc command (`-h SOCKET` for a chronyd of its own). */
    private readonly chronycOptions: readonly string[] = [],
  ) {}

  private script(): string {
    return path.join(this.root, 'etc/init.d/S49chronyd');
  }

  async applyNtp(config: string | null): Promise<void> {
    if (config !== null) {
      await fs.mkdir(path.join(this.root, 'etc'), { recursive: true });
      await writeFileAtomic(path.join(this.root, 'etc/chrony.conf'), config);
    }
    const r = await this.shell.run(this.script(), [config === null ? 'stop' : 'restart'], { timeoutMs: 20_000 });
    if (r.code !== 0) throw new Error(`chrony ${config === null ? 'stop' : 'restart'}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }

  async ntpStatus(): Promise<NtpStatus | null> {
    const tracking = await this.shell.run('chronyc', [...this.chronycOptions, '-c', 'tracking'], { timeoutMs: 5000 });
    if (tracking.code !== 0) return null;
    const sources = await this.shell.run('chronyc', [...this.chronycOptions, '-c', '-n', 'sources'], { timeoutMs: 5000 });
    return { ...parseChronycTracking(tracking.stdout), sources: sources.code === 0 ? parseChronycSources(sources.stdout) : [] };
  }

  async setClock(ms: number): Promise<void> {
    const set = await this.shell.run('date', ['-u', '-s', `@${Math.floor(ms / 1000)}`], { timeoutMs: 5000 });
    if (set.code !== 0) throw new Error(`date: ${set.stderr.trim() || `exit ${set.code}`}`);
    const rtc = await this.shell.run('hwclock', ['-w', '-u'], { timeoutMs: 10_000 });
    if (rtc.code !== 0) throw new Error(`hwclock: ${rtc.stderr.trim() || `exit ${rtc.code}`}`);
  }

  async setZone(posixTz: string, processTz: string): Promise<void> {
    await writeFileAtomic(path.join(this.root, 'etc/TZ'), `${posixTz}\n`);
    process.env.TZ = processTz;
  }
}
