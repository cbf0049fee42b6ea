/**
 * A slave's registration with its master: at start, when the work mode
 * changes and every 30 s, a signed request names the slave and the URL the
 * master reaches it at. The slave records whatever the master does; this
 * only reports whether the master took the last registration.
 */
import type { Clock, TimerHandle } from '../host/host.ts';
import type { CascadeSettings } from '../settings/cascade-settings.ts';
import { HEARTBEAT_MS } from './slave-registry.ts';
import { peerFetch, PeerError } from './peer-client.ts';

export interface MasterLinkStatus {
  state: 'off' | 'registered' | 'down' | 'refused' | 'invalid';
  detail: string;
  lastRegisteredAt: number | null;
}

export class MasterLink {
  private timer: TimerHandle | null = null;
  private status: MasterLinkStatus = { state: 'off', detail: '', lastRegisteredAt: null };
  private busy = false;

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => Readonly<CascadeSettings>,
    private readonly boxId: () => string,
    private readonly changed: (s: MasterLinkStatus) => void,
  ) {}

  get current(): MasterLinkStatus {
    return this.status;
  }

  /** Starts or stops registering as the work mode says. */
  reconfigure(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.settings().mode !== 'slave') {
      this.set({ state: 'off', detail: '', lastRegisteredAt: null });
      return;
    }
    this.timer = this.clock.setInterval(() => void this.register(), HEARTBEAT_MS);
    void this.register();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private async register(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    const s = this.settings();
    const box = this.boxId();
    try {
      const query = new URLSearchParams({ box, url: s.advertisedUrl }).toString();
      await peerFetch({ base: s.masterUrl, path: `/api/v1/cascade/peer/register?${query}`, method: 'POST', secret: s.secret, box, now: this.clock.now() });
      this.set({ state: 'registered', detail: '', lastRegisteredAt: this.clock.now() });
    } catch (e) {
      const kind = e instanceof PeerError ? e.kind : 'down';
      this.set({ ...this.status, state: kind, detail: (e as Error).message });
    } finally {
      this.busy = false;
    }
  }

  private set(s: MasterLinkStatus): void {
    const changed = s.state !== this.status.state;
    this.status = s;
    if (changed) this.changed(s);
  }
}
