/**
 * Wiring of device management, license and upgrades into the daemon: the
 * license in force (opened before the recorder, which asks it before every
 * recording), and the services `license`, `upgrades` and `maintenance` with
 * the host's power control.
 */
import type { Logger } from 'pino';
import type { Host, Power } from './host/host.ts';
import type { Board } from './board/board-schema.ts';
import type { AlarmList } from './alarms/alarm-list.ts';
import type { AccountStore } from './accounts/account-store.ts';
import type { DeviceProgressEvent } from './events/box-events.ts';
import { verifyPassword } from './accounts/password.ts';
import { Licensing } from './license/licensing.ts';
import { trustedKeys } from './license/signing-keys.ts';
import { LicenseService } from './app/license-service.ts';
import { MaintenanceService } from './app/maintenance-service.ts';
import { UpgradeService } from './app/upgrade-service.ts';
import type { Auditor } from './app/audit.ts';
import type { RecordService } from './app/record-service.ts';
import type { StorageService } from './app/storage-service.ts';

/** The license and trial of the box: what it may record, from its board and its files. */
export function openLicensing(opts: { host: Host; board: Board; channels: { analog: number; e1: number }; alarms: AlarmList; log: Logger; trialHours?: number | undefined }): Promise<Licensing> {
  const { host, board } = opts;
  return host.sensors.boardId().catch(() => null).then((serial) =>
    Licensing.open({
      configDir: host.paths.config, serial, keys: trustedKeys('license'), clock: host.clock, alarms: opts.alarms, log: opts.log.child({ part: 'license' }),
      board: { analog: Math.min(opts.channels.analog, board.capabilities.analogRecording), e1: opts.channels.e1, voip: board.capabilities.voipRecording ? board.capabilities.voipCalls : 0 },
      ...(opts.trialHours !== undefined ? { trialHours: opts.trialHours } : {}),
    }),
  );
}

export interface DeviceManagementServices {
  license: LicenseService;
  upgrades: UpgradeService;
  maintenance: MaintenanceService;
}

export function deviceManagementServices(opts: {
  host: Host;
  board: Board;
  running: string;
  licensing: Licensing;
  auditor: Auditor;
  accounts: AccountStore;
  records: RecordService;
  storage: StorageService;
  formatDisk: (stage: (stage: string, percent: number) => void) => Promise<void>;
  publish: (e: DeviceProgressEvent) => void;
  log: Logger;
}): DeviceManagementServices {
  const { host, auditor, log } = opts;
  const power = host.power ?? loggedPower(log);
  const progress = (e: Omit<DeviceProgressEvent, 'type' | 'at'>) => opts.publish({ type: 'device.progress', ...e, at: host.clock.now() });
  return {
    license: new LicenseService(opts.licensing, auditor),
    upgrades: new UpgradeService({
      root: host.paths.root, board: opts.board.model, running: opts.running, keys: trustedKeys('package'), power, clock: host.clock, audit: auditor,
      log: log.child({ part: 'upgrade' }), progress: (e) => progress({ operation: 'upgrade', ...e }),
    }),
    maintenance: new MaintenanceService({
      configDir: host.paths.config, power, audit: auditor, records: opts.records, storage: opts.storage, formatDisk: opts.formatDisk, progress,
      passwordMatches: async (account, password) => {
        const found = opts.accounts.find(account);
        return found ? verifyPassword(password, found.passwordHash) : false;
      },
    }),
  };
}

/** A host without power control (a development run): requests are logged. */
function loggedPower(log: Logger): Power {
  const note = (what: string) => async (reason: string) => log.warn({ reason }, `${what} requested; this host cannot do it`);
  return { reboot: note('reboot'), restartRecorder: note('recorder restart') };
}
