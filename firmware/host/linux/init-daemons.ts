/**
 * SSH (dropbear) and FTP (BusyBox ftpd, read-only, on the recordings) started
 * and stopped by their init scripts under the system root.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Shell, SystemDaemon, SystemDaemons } from '../host.ts';

export const INIT_SCRIPTS: Record<SystemDaemon, string> = {
  ssh: 'etc/init.d/S50dropbear',
  ftp: 'etc/init.d/S51ftpd',
};

export class InitScriptDaemons implements SystemDaemons {
  constructor(
    private readonly root: string,
    private readonly shell: Shell,
  ) {}

  async set(daemon: SystemDaemon, on: boolean): Promise<void> {
    const script = path.join(this.root, INIT_SCRIPTS[daemon]);
    if (!existsSync(script)) throw new Error(`${daemon}: ${script} is not installed`);
    const r = await this.shell.run(script, [on ? 'start' : 'stop'], { timeoutMs: 20_000 });
    if (r.code !== 0) throw new Error(`${daemon} ${on ? 'start' : 'stop'}: ${r.stderr.trim() || r.stdout.trim() || `exit ${r.code}`}`);
  }
}
