/**
 * E1 trunk ports (E1通道参数, E1录音状态): every port with its line alarms,
 * slips and signalling, one port with each voice timeslot's call and
 * recording, and a port's settings changed (applied at once, logged). A box
 * whose board licenses no E1 port answers every request with E1_NOT_AVAILABLE.
 */
import { RecorderError } from '../errors.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { E1PortPatch } from '../settings/e1-port-settings.ts';
import type { TrunkPort, TrunkPortStatus } from '../trunks/trunk-port.ts';
import type { TimeslotStatus } from '../trunks/trunk-timeslot.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';

export interface TrunkPortDetail extends TrunkPortStatus {
  timeslots: TimeslotStatus[];
}

export class TrunkService {
  constructor(
    private readonly ports: readonly TrunkPort[],
    private readonly store: SettingsStore,
    private readonly audit: Auditor,
  ) {}

  list(): TrunkPortStatus[] {
    this.licensed();
    return this.ports.map((p) => p.status());
  }

  get(port: number): TrunkPortDetail {
    const p = this.port(port);
    return { ...p.status(), timeslots: p.timeslots.map((t) => t.status()) };
  }

  async update(principal: Principal, port: number, patch: E1PortPatch): Promise<TrunkPortDetail> {
    const fields = Object.keys(patch).join(',') || 'none';
    await this.audit.run(principal, { item: 'e1-settings', operation: 'set', parameter: fields, detail: `port ${port}: ${JSON.stringify(patch)}` }, () => {
      this.port(port);
      return this.store.updateE1Port(port, patch);
    });
    return this.get(port);
  }

  private licensed(): void {
    if (this.ports.length === 0) throw new RecorderError('E1_NOT_AVAILABLE');
  }

  private port(port: number): TrunkPort {
    this.licensed();
    const p = this.ports[port];
    if (!Number.isInteger(port) || !p) throw new RecorderError('E1_PORT_NOT_FOUND', `no E1 port ${port}; this box has ports 0-${this.ports.length - 1}`);
    return p;
  }
}
