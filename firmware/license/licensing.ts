/**
 * The box's license in force: the installed license file
 * (`<config>/license/license.json`), or the trial with its meter. Answers
 * the recorder whether a new recording may start, raises the alarm
 * `trial-expired` when the trial runs out without a license, and installs a
 * new license file after checking it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../host/host.ts';
import type { ChannelRef } from '../ports/channel-ref.ts';
import { writeFileAtomic } from '../settings/settings-file.ts';
import { verifyLicense, type License, type LicenseFeature, type VerifiedLicense } from './license-file.ts';
import { admits, entitlementOf, hasFeature, TRIAL_HOURS, type BoardLimits, type Entitlement } from './entitlement.ts';
import { LICENSE_DIR, TrialMeter, type TrialMeterLog } from './trial-meter.ts';
import type { TrustedKey } from './signing-keys.ts';

const LICENSE_FILE = 'license.json';

export interface LicensingAlarms {
  raise(id: string, severity: 'critical' | 'major' | 'minor', area: 'device', message: string, at: number): void;
  clear(id: string): void;
}

export interface LicensingOptions {
  configDir: string;
  board: BoardLimits;
  serial: string | null;
  keys: readonly TrustedKey[];
  clock: Clock;
  alarms: LicensingAlarms;
  log: TrialMeterLog & { warn(obj: object, msg: string): void };
  /** Trial length in hours (the manual's 32). */
  trialHours?: number;
}

export class Licensing {
  private installed: VerifiedLicense | null = null;
  private entitlement_: Entitlement;
  private readonly limitS: number;

  private constructor(
    private readonly opts: LicensingOptions,
    private readonly meter: TrialMeter,
  ) {
    this.limitS = (opts.trialHours ?? TRIAL_HOURS) * 3600;
    this.entitlement_ = this.compute();
  }

  static async open(opts: LicensingOptions): Promise<Licensing> {
    const meter = await TrialMeter.open(opts.configDir, opts.log);
    const l = new Licensing(opts, meter);
    await l.loadInstalled();
    return l;
  }

  get serial(): string | null {
    return this.opts.serial;
  }

  get license(): (License & { signedBy: string }) | null {
    return this.installed ? { ...this.installed.license, signedBy: this.installed.signedBy } : null;
  }

  get entitlement(): Entitlement {
    return this.entitlement_;
  }

  /** Starts the trial meter (counting while `capable()`, e.g. the line card up). */
  async start(capable: () => boolean): Promise<void> {
    if (!this.installed) await this.meter.start(this.opts.clock, capable, this.limitS, () => this.refresh());
    this.refresh();
  }

  stop(): Promise<void> {
    return this.meter.stop();
  }

  admits(ref: ChannelRef, openVoip: number): boolean {
    return admits(this.entitlement_, ref, openVoip);
  }

  has(feature: LicenseFeature): boolean {
    return hasFeature(this.entitlement_, feature);
  }

  /** Checks a license file for this box and installs it; throws license_* codes and leaves the license in force otherwise. */
  async install(text: string): Promise<VerifiedLicense> {
    const verified = verifyLicense(text, this.opts.serial, this.opts.keys);
    await fs.mkdir(path.join(this.opts.configDir, LICENSE_DIR), { recursive: true });
    await writeFileAtomic(this.file(), text);
    this.installed = verified;
    await this.meter.stop();
    this.refresh();
    return verified;
  }

  private file(): string {
    return path.join(this.opts.configDir, LICENSE_DIR, LICENSE_FILE);
  }

  private async loadInstalled(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file(), 'utf8');
    } catch {
      return;
    }
    try {
      this.installed = verifyLicense(text, this.opts.serial, this.opts.keys);
    } catch (e) {
      this.opts.log.warn({ err: (e as Error).message }, 'installed license not valid for this box; on trial');
      this.opts.alarms.raise('license-invalid', 'major', 'device', `installed license refused: ${(e as Error).message}`, this.opts.clock.now());
    }
    this.refresh();
  }

  private compute(): Entitlement {
    return entitlementOf(this.opts.board, this.installed?.license ?? null, this.meter.usedS, this.limitS);
  }

  private refresh(): void {
    this.entitlement_ = this.compute();
    const { alarms, clock } = this.opts;
    if (this.entitlement_.state === 'trial-expired') {
      alarms.raise('trial-expired', 'critical', 'device', `the ${this.limitS / 3600}-hour trial has ended: no new recordings until the box is activated with a license file`, clock.now());
    } else {
      alarms.clear('trial-expired');
    }
    if (this.installed) alarms.clear('license-invalid');
  }
}
