/** Power of the simulated board: requests are recorded (and logged), nothing restarts. */
import type { Power } from '../host/host.ts';

export interface PowerRequest {
  kind: 'reboot' | 'restart-recorder';
  reason: string;
}

export class SimPower implements Power {
  readonly requests: PowerRequest[] = [];

  constructor(private readonly onRequest: (r: PowerRequest) => void = () => undefined) {}

  async reboot(reason: string): Promise<void> {
    this.record({ kind: 'reboot', reason });
  }

  async restartRecorder(reason: string): Promise<void> {
    this.record({ kind: 'restart-recorder', reason });
  }

  private record(r: PowerRequest): void {
    this.requests.push(r);
    this.onRequest(r);
  }
}
