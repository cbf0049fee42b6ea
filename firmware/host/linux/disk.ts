/**
 * Disk usage of the filesystem holding a path, as `df` reports it: free space
 * is what an unprivileged process may still write (blocks reserved for root are
 * not counted as free), used space is everything not free including reserved.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { statfs } from 'node:fs/promises';
import type { Disk, DiskUsage, Shell } from '../host.ts';

export class LinuxDisk implements Disk {
  /** With a block device, formatting makes a new ext4 filesystem on it; without, it empties the folder. */
  constructor(
    private readonly device?: string,
    private readonly shell?: Shell,
  ) {}

  async format(mount: string): Promise<void> {
    if (this.device && this.shell) {
      const run = async (cmd: string, args: string[]) => {
        const r = await this.shell!.run(cmd, args, { timeoutMs: 600_000 });
        if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.trim()}`);
      };
      await run('umount', [mount]).catch(() => undefined);
      await run('mkfs.ext4', ['-F', '-q', '-L', 'recorder-data', this.device]);
      await run('mount', [this.device, mount]);
      return;
    }
    for (const name of await fs.readdir(mount)) await fs.rm(path.join(mount, name), { recursive: true, force: true });
  }

  async usage(path: string): Promise<DiskUsage | null> {
    try {
      const s = await statfs(path);
      const totalBytes = s.blocks * s.bsize;
      const freeBytes = s.bavail * s.bsize;
      const usedBytes = (s.blocks - s.bfree) * s.bsize;
      return { totalBytes, freeBytes, usedBytes };
    } catch {
      return null;
    }
  }
}
