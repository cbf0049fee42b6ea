/**
 * License and trial (License升级 3.19, 设备激活 2.11): the state (trial with
 * its hours left, trial ended, activated), the licensed channels and
 * features, installing a license file, and the feature check other services
 * call before a licensed feature (cloud platform, cloud seats, screen pop,
 * monitoring, transcription).
 */
import { RecorderError } from '../errors.ts';
import type { Licensing } from '../license/licensing.ts';
import type { LicenseFeature } from '../license/license-file.ts';
import type { Entitlement } from '../license/entitlement.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';

export type { LicenseFeature };

export interface LicenseStatus {
  state: Entitlement['state'];
  serial: string | null;
  recording: boolean;
  channels: Entitlement['channels'];
  features: Entitlement['features'];
  trial: Entitlement['trial'];
  license: { id: string; customer: string; issuedAt: string; signedBy: string } | null;
}

export class LicenseService {
  constructor(
    private readonly licensing: Licensing,
    private readonly audit: Auditor,
  ) {}

  status(): LicenseStatus {
    const e = this.licensing.entitlement;
    const l = this.licensing.license;
    return {
      state: e.state, serial: this.licensing.serial, recording: e.recording, channels: e.channels, features: e.features, trial: e.trial,
      license: l ? { id: l.id, customer: l.customer, issuedAt: l.issuedAt, signedBy: l.signedBy } : null,
    };
  }

  /** Checks and installs a license file (activates the box). */
  install(principal: Principal, text: string): Promise<LicenseStatus> {
    return this.audit.run(principal, { item: 'system', operation: 'activate', parameter: 'license' }, async () => {
      await this.licensing.install(text);
      return this.status();
    }, (s) => `license ${s.license?.id ?? ''}: analog ${s.channels.analog}, E1 ${s.channels.e1}, VoIP ${s.channels.voip}`);
  }

  has(feature: LicenseFeature): boolean {
    return this.licensing.has(feature);
  }

  /** Throws `not_licensed` unless the license includes the feature. */
  require(feature: LicenseFeature): void {
    if (!this.has(feature)) throw new RecorderError('not_licensed', `the license of this box does not include ${feature}`);
  }
}
