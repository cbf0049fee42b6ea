/**
 * Disk usage of the filesystem holding a path, as `df` reports it: free space
 * is what an unprivileged process may still write (blocks reserved for root are
 * not counted as free), used space is everything not free including reserved.
 */
import { statfs } from 'node:fs/promises';
import type { Disk, DiskUsage } from '../host.ts';

export class LinuxDisk implements Disk {
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
