/**
 * The hardware watchdog through its device file (`dev/watchdog` under the
 * system root): any write restarts the countdown, writing `V` before closing
 * disarms it (magic close). The image's own feeder (S15watchdog) holds the
 * device until the recorder takes it over, so it is stopped first. The
 * countdown is the kernel driver's (its `heartbeat`); the recorder decides
 * when to stop feeding.
 */
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Shell, WatchdogDevice, WatchdogHandle } from '../host.ts';

const KICK = Buffer.from('k');
const MAGIC = Buffer.from('V');

export class LinuxWatchdog implements WatchdogDevice {
  constructor(
    private readonly root: string,
    private readonly shell: Shell,
  ) {}

  get device(): string {
    return path.join(this.root, 'dev/watchdog');
  }

  async open(): Promise<WatchdogHandle> {
    const feeder = path.join(this.root, 'etc/init.d/S15watchdog');
    if (existsSync(feeder)) await this.shell.run(feeder, ['stop'], { timeoutMs: 10_000 });
    const handle = await fs.open(this.device, 'a');
    let closed = false;
    return {
      feed: async () => {
        if (!closed) await handle.write(KICK);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        try {
          await handle.write(MAGIC);
        } finally {
          await handle.close();
        }
      },
    };
  }
}
