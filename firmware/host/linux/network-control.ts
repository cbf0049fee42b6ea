/**
 * The box's network through BusyBox ifupdown: the interfaces file and
 * resolv.conf under the system root, `ifdown -a` on the file in force,
 * the new files written atomically, `ifup -a` on them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { NetworkControl, NetworkFiles, Shell } from '../host.ts';
import { writeFileAtomic } from '../../settings/settings-file.ts';

export class IfupdownNetwork implements NetworkControl {
  private readonly interfacesFile: string;
  private readonly resolvFile: string;

  constructor(
    root: string,
    private readonly shell: Shell,
    private readonly iface = 'eth0',
  ) {
    this.interfacesFile = path.join(root, 'etc/network/interfaces');
    this.resolvFile = path.join(root, 'etc/resolv.conf');
  }

  async read(): Promise<NetworkFiles> {
    return { interfaces: await readOrNull(this.interfacesFile), resolv: await readOrNull(this.resolvFile) };
  }

  async apply(files: NetworkFiles): Promise<void> {
    // Down on the file in force (it names the aliases to remove); a failure here leaves nothing changed yet.
    const down = await this.shell.run('ifdown', ['-a', '-f', '-i', this.interfacesFile], { timeoutMs: 20_000 });
    if (down.code !== 0) throw new Error(`ifdown: ${down.stderr.trim() || `exit ${down.code}`}`);
    if (files.interfaces !== null) {
      await fs.mkdir(path.dirname(this.interfacesFile), { recursive: true });
      await writeFileAtomic(this.interfacesFile, files.interfaces);
    }
    if (files.resolv !== null) await writeFileAtomic(this.resolvFile, files.resolv);
    const up = await this.shell.run('ifup', ['-a', '-f', '-i', this.interfacesFile], { timeoutMs: 60_000 });
    if (up.code !== 0) throw new Error(`ifup: ${up.stderr.trim() || `exit ${up.code}`}`);
  }

  async macAddress(): Promise<string | null> {
    return (await readOrNull(`/sys/class/net/${this.iface}/address`))?.trim() || null;
  }
}

async function readOrNull(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}
