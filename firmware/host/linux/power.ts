/**
 * Reboot and recorder restart on the box: BusyBox `reboot` (init ends the
 * recorder cleanly through S60recorder first), and SIGTERM to the daemon
 * itself, after which recorder-supervise starts the version `current` points at.
 */
import type { Power, Shell } from '../host.ts';

export class LinuxPower implements Power {
  constructor(
    private readonly shell: Shell,
    private readonly delayMs = 1000,
  ) {}

  async reboot(): Promise<void> {
    // A moment for the API's answer to leave the box.
    setTimeout(() => {
      this.shell.run('reboot', []).catch(() => undefined);
    }, this.delayMs).unref();
  }

  async restartRecorder(): Promise<void> {
    setTimeout(() => process.kill(process.pid, 'SIGTERM'), this.delayMs).unref();
  }
}
