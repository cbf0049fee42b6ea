/**
 * Device operations (设备管理, manual 3.17 and 2.11): reboot (重启), factory
 * reset (初始化: the configuration only, recordings kept), formatting the
 * data disk (格式化, confirmed with the signed-in account's password, its
 * progress as `device.progress` events), purging the deleted recordings
 * (清空) and archiving now (录音归档). Each needs the typed confirmation and
 * goes to the operation log.
 */
import { RecorderError } from '../errors.ts';
import type { Power } from '../host/host.ts';
import type { DeviceProgressEvent } from '../events/box-events.ts';
import { requestFactoryReset } from '../settings/factory-reset.ts';
import type { ArchiveReport } from '../recording/archiver.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import type { RecordService } from './record-service.ts';
import type { StorageService } from './storage-service.ts';
import { requireConfirmation } from './confirmation.ts';
import { authorise } from './authorise.ts';

export interface MaintenanceDeps {
  configDir: string;
  power: Power;
  audit: Auditor;
  records: RecordService;
  storage: StorageService;
  /** Stops the recordings, erases the data disk and prepares it again, reporting its stages. */
  formatDisk: (stage: (stage: string, percent: number) => void) => Promise<void>;
  /** Does this account's password match (the format confirmation). */
  passwordMatches: (account: string, password: string) => Promise<boolean>;
  progress: (e: Omit<DeviceProgressEvent, 'type' | 'at'>) => void;
}

export class MaintenanceService {
  private formatting = false;

  constructor(private readonly deps: MaintenanceDeps) {}

  /** 重启设备: a soft reboot of the box. */
  reboot(principal: Principal, confirmation: string | undefined): Promise<{ reboot: 'requested' }> {
    return this.deps.audit.run(principal, { item: 'system', operation: 'reboot' }, async () => {
      requireConfirmation(confirmation, 'reboot');
      await this.deps.power.reboot('requested by an operator');
      return { reboot: 'requested' as const };
    });
  }

  /** 恢复出厂设置: the configuration returns to the factory values at the restart; recordings, license and device key stay. */
  factoryReset(principal: Principal, confirmation: string | undefined): Promise<{ reboot: 'requested' }> {
    return this.deps.audit.run(principal, { item: 'system', operation: 'factory-reset' }, async () => {
      requireConfirmation(confirmation, 'factory reset');
      await requestFactoryReset(this.deps.configDir);
      await this.deps.power.reboot('factory reset');
      return { reboot: 'requested' as const };
    });
  }

  /** 格式化硬盘: erases every recording; confirmed with the signed-in account's password. */
  formatDisk(principal: Principal, password: string | undefined): Promise<{ formatted: true }> {
    return this.deps.audit.run(principal, { item: 'storage', operation: 'format' }, async () => {
      if (principal.kind === 'user' && !(await this.deps.passwordMatches(principal.account, password ?? ''))) {
        throw new RecorderError('wrong_password', 'formatting needs the password of the signed-in account');
      }
      if (this.formatting) throw new RecorderError('upgrade_busy', 'the disk is being formatted');
      this.formatting = true;
      const progress = (stage: string, percent: number | null, error?: string) =>
        this.deps.progress({ operation: 'format', stage, percent, ...(error ? { error } : {}) });
      try {
        progress('starting', 0);
        await this.deps.formatDisk((stage, percent) => progress(stage, percent));
        progress('done', 100);
        return { formatted: true as const };
      } catch (e) {
        progress('failed', null, e instanceof RecorderError ? e.code : 'INTERNAL');
        throw e;
      } finally {
        this.formatting = false;
      }
    });
  }

  /** 清空已删除录音 */
  async purgeDeleted(principal: Principal, confirmation: string | undefined): Promise<{ purged: number }> {
    await this.confirmed(principal, confirmation, 'purge', 'purge the deleted recordings');
    return this.deps.records.purgeDeleted(principal);
  }

  /** 录音归档: today's recordings to the history now. */
  async archiveNow(principal: Principal, confirmation: string | undefined): Promise<ArchiveReport> {
    await this.confirmed(principal, confirmation, 'archive', 'archive now');
    return this.deps.storage.archiveNow(principal);
  }

  /** A refused confirmation is logged as a failed operation; a good one is checked by the operation itself. */
  private async confirmed(principal: Principal, confirmation: string | undefined, operation: 'purge' | 'archive', what: string): Promise<void> {
    authorise(principal, 'configure');
    try {
      requireConfirmation(confirmation, what);
    } catch (e) {
      await this.deps.audit.run(principal, { item: operation === 'purge' ? 'recording' : 'storage', operation }, () => {
        throw e;
      }).catch(() => undefined);
      throw e;
    }
  }
}
