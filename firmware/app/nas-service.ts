/**
 * NAS backup (私人网盘, manual 3.12): the four targets with their state, the
 * shared settings, manual backup of a time range (手动备份) and the runs
 * with their progress. Passwords are written, never read back: the page
 * sees `passwordSet`. Every change and every manual backup goes to the
 * operation log; a change made from a stale revision is refused (`stale`).
 */
import { RecorderError } from '../errors.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import { NAS_TARGETS, nasSettingsSchema, nasTargetSchema, type NasSettings, type NasTarget } from '../settings/nas-settings.ts';
import { patchSchema } from '../settings/patch-schema.ts';
import type { BackupRun, NasBackup, TargetStatus } from '../nas/nas-backup.ts';
import type { Auditor } from './audit.ts';
import { principalText, type Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';
import { SettingsTurn } from './settings-turn.ts';

export type { BackupRun, TargetStatus } from '../nas/nas-backup.ts';

export type NasTargetView = Omit<NasTarget, 'password'> & { slot: number; passwordSet: boolean; status: TargetStatus | null };

export interface NasView {
  bandwidthKBps: number;
  verifyContent: boolean;
  targets: NasTargetView[];
}

export type NasTargetPatch = Partial<NasTarget>;
export type NasPatch = Partial<Pick<NasSettings, 'bandwidthKBps' | 'verifyContent'>>;
/** What a change of one target may set (strict: an unknown field is refused). */
export const nasTargetPatchSchema = patchSchema(nasTargetSchema);
export const nasPatchSchema = patchSchema(nasSettingsSchema.pick({ bandwidthKBps: true, verifyContent: true }));
export { NAS_TARGETS };

/** Longest range of one manual backup: a year. */
const MAX_RANGE_MS = 366 * 86_400_000;

export class NasService {
  private readonly turns = new SettingsTurn();

  constructor(
    private readonly store: SettingsStore,
    /** Null when the backup queue could not be opened (alarm `nas-queue`). */
    private readonly backup: NasBackup | null,
    private readonly audit: Auditor,
  ) {}

  view(): NasView {
    const s = this.store.nas;
    const status = this.backup?.status() ?? [];
    return {
      bandwidthKBps: s.bandwidthKBps,
      verifyContent: s.verifyContent,
      targets: s.targets.map(({ password, ...t }, slot) => ({ ...t, slot, passwordSet: password !== '', status: status[slot] ?? null })),
    };
  }

  revision(): string {
    return revisionOf(this.store.nas);
  }

  status(): TargetStatus[] {
    return this.backup?.status() ?? [];
  }

  runs(limit = 50, slot?: number): Promise<BackupRun[]> {
    return this.backup ? this.backup.runs(limit, slot) : Promise.resolve([]);
  }

  async updateTarget(principal: Principal, slot: number, patch: NasTargetPatch, ifRevision?: string): Promise<NasView> {
    const shown = { ...patch, ...(patch.password !== undefined ? { password: '***' } : {}) };
    await this.audit.run(principal, { item: 'nas', operation: 'set', parameter: `target ${slot}: ${Object.keys(patch).join(',') || 'none'}`, detail: JSON.stringify(shown) }, () => {
      checkSlot(slot);
      return this.inTurn(ifRevision, () =>
        this.store.updateNas((now) => ({ ...now, targets: now.targets.map((t, i) => (i === slot ? { ...t, ...patch } : t)) })),
      );
    });
    return this.view();
  }

  async update(principal: Principal, patch: NasPatch, ifRevision?: string): Promise<NasView> {
    await this.audit.run(principal, { item: 'nas', operation: 'set', parameter: Object.keys(patch).join(',') || 'none', detail: JSON.stringify(patch) }, () =>
      this.inTurn(ifRevision, () => this.store.updateNas((now) => ({ ...now, ...patch }))),
    );
    return this.view();
  }

  /** 手动备份: every recording started in [from, to] to the target. */
  backupRange(principal: Principal, slot: number, from: number, to: number): Promise<BackupRun> {
    const detail = `target ${slot}: ${new Date(from).toISOString()} – ${new Date(to).toISOString()}`;
    return this.audit.run(principal, { item: 'nas', operation: 'backup', parameter: `target ${slot}`, detail }, async () => {
      checkSlot(slot);
      if (!(from <= to)) throw new RecorderError('BAD_REQUEST', 'from is after to');
      if (to - from > MAX_RANGE_MS) throw new RecorderError('BAD_REQUEST', 'a manual backup covers at most a year');
      if (!this.store.nas.targets[slot]!.enabled) throw new RecorderError('NAS_TARGET_DISABLED', `NAS target ${slot} is off`);
      if (!this.backup) throw new RecorderError('NAS_UNAVAILABLE');
      return this.backup.backupRange(slot, from, to, principalText(principal));
    }, (run) => `${detail}: ${run.total} recordings queued (run ${run.id})`);
  }

  private inTurn<T>(ifRevision: string | undefined, change: () => Promise<T>): Promise<T> {
    return this.turns.run(() => this.revision(), ifRevision, change);
  }
}

function checkSlot(slot: number): void {
  if (!Number.isInteger(slot) || slot < 0 || slot >= NAS_TARGETS) throw new RecorderError('NOT_FOUND', `there is no NAS target ${slot} (0..${NAS_TARGETS - 1})`);
}
