/**
 * The object-store archive (对象存储): its settings (the secret is taken,
 * never shown), its live status, where a recording's copies are, a
 * connection check and local retention on demand. Every change is in the
 * operation log with its principal; the secret never reaches the log.
 */
import { RecorderError } from '../errors.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import { objectStorePatchSchema, objectStoreSettingsSchema, viewOf, type ObjectStorePatch, type ObjectStoreSettings, type ObjectStoreSettingsView } from '../objectstore/object-store-settings.ts';
import { saveObjectStoreSettings } from '../objectstore/settings-file.ts';
import type { ArchiveStatus, ArchiveUploader } from '../objectstore/archive-uploader.ts';
import type { RetentionReport } from '../objectstore/local-retention.ts';
import { ObjectStoreClient, describeFailure, failureOf, type StoreFailure } from '../objectstore/s3-client.ts';
import { describeZodError } from '../schema-error.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';
import { SettingsTurn } from './settings-turn.ts';

export type { ArchiveStatus, ObjectStoreSettingsView, ObjectStorePatch };
export { objectStorePatchSchema };

/** Where one copy of a recording is. */
export type RecordCopy =
  | { where: 'box'; file: string }
  | { where: 'object-store'; state: 'verified'; bucket: string; key: string; sha256: string; sizeBytes: number; verifiedBy: 'checksum' | 'metadata'; verifiedAt: number }
  | { where: 'object-store'; state: 'queued'; attempts: number; lastError: string | null };

export interface ConnectionCheck {
  ok: boolean;
  failure: StoreFailure | null;
  message: string | null;
}

export class ObjectStoreService {
  private readonly turns = new SettingsTurn();

  constructor(
    private current: ObjectStoreSettings,
    private readonly configDir: string,
    private readonly uploader: ArchiveUploader,
    private readonly audit: Auditor,
  ) {}

  /** The settings in force (for the archive itself). */
  get inForce(): Readonly<ObjectStoreSettings> {
    return this.current;
  }

  settings(): ObjectStoreSettingsView {
    return viewOf(this.current);
  }

  revision(): string {
    return revisionOf(viewOf(this.current));
  }

  status(): ArchiveStatus {
    return this.uploader.current();
  }

  /** Changes the settings (a secret left out or empty keeps the one set); `ifRevision` as on every settings page. */
  async update(principal: Principal, patch: ObjectStorePatch, ifRevision?: string): Promise<ObjectStoreSettingsView> {
    const shown = { ...patch, ...(patch.secretAccessKey !== undefined ? { secretAccessKey: patch.secretAccessKey ? '(changed)' : '(kept)' } : {}) };
    return this.audit.run(principal, { item: 'object-store', operation: 'set', parameter: Object.keys(patch).join(',') || 'none', detail: JSON.stringify(shown) }, () => {
      return this.turns.run(() => this.revision(), ifRevision, async () => {
        const checked = objectStorePatchSchema.safeParse(patch);
        if (!checked.success) throw new RecorderError('BAD_REQUEST', `object store: ${describeZodError(checked.error)}`);
        const { secretAccessKey, ...rest } = checked.data;
        const next = objectStoreSettingsSchema.safeParse({ ...this.current, ...rest, ...(secretAccessKey ? { secretAccessKey } : {}) });
        if (!next.success) throw new RecorderError('BAD_REQUEST', `object store: ${describeZodError(next.error)}`);
        await saveObjectStoreSettings(this.configDir, next.data).catch((e: unknown) => {
          throw new RecorderError('SETTINGS_WRITE_FAILED', `object store settings not saved: ${(e as Error).message}`);
        });
        this.current = next.data;
        await this.uploader.applySettings();
        return this.settings();
      });
    });
  }

  /** Whether the store answers with these settings: a HEAD of a key that need not exist. */
  async check(principal: Principal): Promise<ConnectionCheck> {
    return this.audit.run(principal, { item: 'object-store', operation: 'start', parameter: 'check', requires: 'view' }, async () => {
      if (!this.current.bucket || !this.current.accessKeyId || !this.current.secretAccessKey) return { ok: false, failure: null, message: 'set the bucket, the access key and its secret first' };
      const client = new ObjectStoreClient(this.current, { connectMs: 5000, requestMs: 15_000 });
      try {
        await client.head(`${this.current.prefix}.connection-check`);
        return { ok: true, failure: null, message: null };
      } catch (e) {
        return { ok: false, failure: failureOf(e), message: describeFailure(e) };
      } finally {
        client.close();
      }
    }, (r) => (r.ok ? 'the store answers' : `${r.failure ?? 'incomplete'}: ${r.message}`));
  }

  /** Local retention now, instead of at its next round. */
  retention(principal: Principal): Promise<RetentionReport> {
    return this.audit.run(principal, { item: 'object-store', operation: 'maintain', parameter: 'retention' }, () => this.uploader.runRetention(), (r) => `${r.freed} freed, ${r.kept} kept`);
  }

  /** Where a recording's copies are: the box (while it holds the file) and the store (verified, or waiting in the queue). */
  async copies(e: RecordEntry): Promise<RecordCopy[]> {
    const out: RecordCopy[] = [];
    const copy = await this.uploader.copyOf(e.id);
    if (e.file && !copy?.localFreedAt) out.push({ where: 'box', file: e.file });
    if (copy) {
      out.push({ where: 'object-store', state: 'verified', bucket: copy.bucket, key: copy.key, sha256: copy.sha256, sizeBytes: copy.sizeBytes, verifiedBy: copy.verifiedBy, verifiedAt: copy.verifiedAt });
    } else {
      const job = this.uploader.queued(e.id);
      if (job) out.push({ where: 'object-store', state: 'queued', attempts: job.attempts, lastError: job.lastError });
    }
    return out;
  }
}
