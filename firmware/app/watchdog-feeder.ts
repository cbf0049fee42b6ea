/**
 * Feeds the hardware watchdog once a second while the recording path is
 * healthy (system/recording-health.ts). Once it has been unhealthy for the
 * watchdog time (看门狗时间) the feeding stops and the hardware restarts the
 * box; a blocked event loop stops it at once. Turning the watchdog off
 * disarms the device (magic close).
 */
import type { Clock, TimerHandle, WatchdogDevice, WatchdogHandle } from '../host/host.ts';
import type { HealthVerdict } from '../system/recording-health.ts';

export const FEED_PERIOD_MS = 1000;

export interface WatchdogStatus {
  active: boolean;
  healthy: boolean;
  reasons: string[];
  /** Feeds since it was opened. */
  feeds: number;
  lastFedAt: number | null;
  /** Since when the recording path has been unhealthy, null while healthy. */
  unhealthySince: number | null;
}

export interface FeederLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class WatchdogFeeder {
  private handle: WatchdogHandle | null = null;
  private timer: TimerHandle | null = null;
  private timeoutMs = 200_000;
  private feeding = false;
  private verdict: HealthVerdict = { healthy: true, reasons: [] };
  private state = { feeds: 0, lastFedAt: null as number | null, unhealthySince: null as number | null };

  constructor(
    private readonly device: WatchdogDevice,
    private readonly clock: Clock,
    private readonly health: () => HealthVerdict,
    private readonly log: FeederLog,
  ) {}

  get status(): WatchdogStatus {
    return { active: this.handle !== null, healthy: this.verdict.healthy, reasons: this.verdict.reasons, ...this.state };
  }

  /** Opens the device (once) and feeds it from now on; `timeoutS` is how long the recording path may be unhealthy. */
  async enable(timeoutS: number): Promise<void> {
    this.timeoutMs = timeoutS * 1000;
    if (this.handle) return;
    this.handle = await this.device.open();
    this.state = { feeds: 0, lastFedAt: null, unhealthySince: null };
    await this.feed();
    this.timer = this.clock.setInterval(() => void this.tick(), FEED_PERIOD_MS);
  }

  async disable(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }

  private async tick(): Promise<void> {
    if (this.feeding || !this.handle) return;
    const now = this.clock.now();
    this.verdict = this.health();
    if (this.verdict.healthy) this.state.unhealthySince = null;
    else if (this.state.unhealthySince === null) {
      this.state.unhealthySince = now;
      this.log.warn({ reasons: this.verdict.reasons }, 'recording path unhealthy; the watchdog stops being fed after the watchdog time');
    }
    const since = this.state.unhealthySince;
    if (since !== null && now - since >= this.timeoutMs) {
      if (this.state.lastFedAt !== null && this.state.lastFedAt > since) this.log.error({ reasons: this.verdict.reasons }, 'watchdog no longer fed: the box restarts');
      return;
    }
    await this.feed();
  }

  private async feed(): Promise<void> {
    const h = this.handle;
    if (!h) return;
    this.feeding = true;
    try {
      await h.feed();
      this.state.feeds++;
      this.state.lastFedAt = this.clock.now();
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'watchdog feed failed');
    } finally {
      this.feeding = false;
    }
  }
}
