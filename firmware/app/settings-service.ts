/**
 * Settings (录音参数 3.5, 通道参数 3.6, 免录名单): read, and changed with
 * validation; each change is saved atomically, logged with its principal,
 * and applied at once by the daemon (it listens to the store), without a
 * restart.
 *
 * Each page has a revision (a digest of what it shows): an update that
 * names the revision it was edited from is refused (`stale`) when the page
 * has changed since, instead of overwriting someone else's change
 * (本账号正在配置…). Updates run one at a time, so the check and the change
 * are one step.
 */
import { createHash } from 'node:crypto';
import type { ChannelConfig } from '../calls/channel-config.ts';
import { RecorderError } from '../errors.ts';
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { ChannelPatch, RecordingPatch, RecordingSettings } from '../settings/settings-schema.ts';
import type { DoNotRecordEntry, DoNotRecordInput } from '../settings/do-not-record.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import { SettingsTurn } from './settings-turn.ts';

const fieldsOf = (patch: object) => Object.keys(patch).join(',') || 'none';
const describe = (patch: object) => JSON.stringify(patch);

/** The revision of a page's contents. */
export const revisionOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 16);


export class SettingsService {
  constructor(
    private readonly store: SettingsStore,
    private readonly hasChannel: (ref: ChannelRef) => boolean,
    private readonly audit: Auditor,
  ) {}

  private readonly turns = new SettingsTurn();

  recording(): Readonly<RecordingSettings> {
    return this.store.recording;
  }

  recordingRevision(): string {
    return revisionOf(this.store.recording);
  }

  /** `ifRevision`: the revision the change was made from; refused (stale) when the page changed since. */
  async updateRecording(principal: Principal, patch: RecordingPatch, ifRevision?: string): Promise<Readonly<RecordingSettings>> {
    const r = await this.audit.run(principal, { item: 'recording-settings', operation: 'set', parameter: fieldsOf(patch), detail: describe(patch) }, () =>
      this.inTurn(() => this.recordingRevision(), ifRevision, () => this.store.updateRecording(patch)),
    );
    return r.value;
  }

  channel(ref: ChannelRef): ChannelConfig {
    this.check(ref);
    return this.store.channel(ref);
  }

  channelRevision(ref: ChannelRef): string {
    return revisionOf(this.channel(ref));
  }

  async updateChannel(principal: Principal, ref: ChannelRef, patch: ChannelPatch, ifRevision?: string): Promise<ChannelConfig> {
    const r = await this.audit.run(principal, { item: 'channel-settings', operation: 'set', ref, parameter: fieldsOf(patch), detail: describe(patch) }, () => {
      this.check(ref);
      return this.inTurn(() => this.channelRevision(ref), ifRevision, () => this.store.updateChannel(ref, patch));
    });
    return r.value;
  }

  /** The same parameters on several channels (复制到通道): all or none. */
  async updateChannels(principal: Principal, refs: readonly ChannelRef[], patch: ChannelPatch): Promise<ChannelConfig[]> {
    const detail = `${refs.map(refKey).join(' ')}: ${describe(patch)}`;
    const r = await this.audit.run(principal, { item: 'channel-settings', operation: 'set', parameter: fieldsOf(patch), detail }, () => {
      if (!refs.length) throw new RecorderError('BAD_REQUEST', 'name at least one channel');
      for (const ref of refs) this.check(ref);
      return this.inTurn(() => '', undefined, () => this.store.updateChannels(refs, patch));
    });
    return r.value;
  }

  doNotRecord(): readonly DoNotRecordEntry[] {
    return this.store.doNotRecord.entries;
  }

  doNotRecordRevision(): string {
    return revisionOf(this.store.doNotRecord.entries);
  }

  async addDoNotRecord(principal: Principal, entries: readonly DoNotRecordInput[], ifRevision?: string): Promise<readonly DoNotRecordEntry[]> {
    const detail = entries.map((e) => e.number).join(' ');
    return (await this.audit.run(principal, { item: 'do-not-record', operation: 'add', detail }, () => this.listChange(ifRevision, () => this.store.addDoNotRecord(entries)))).value;
  }

  async removeDoNotRecord(principal: Principal, numbers: readonly string[], ifRevision?: string): Promise<readonly DoNotRecordEntry[]> {
    const fields = { item: 'do-not-record', operation: 'delete', detail: numbers.join(' ') } as const;
    return (await this.audit.run(principal, fields, () => this.listChange(ifRevision, () => this.store.removeDoNotRecord(numbers)))).value;
  }

  async replaceDoNotRecord(principal: Principal, entries: readonly DoNotRecordInput[], ifRevision?: string): Promise<readonly DoNotRecordEntry[]> {
    const detail = `${entries.length} entries`;
    return (await this.audit.run(principal, { item: 'do-not-record', operation: 'set', detail }, () => this.listChange(ifRevision, () => this.store.replaceDoNotRecord(entries)))).value;
  }

  private listChange<T>(ifRevision: string | undefined, change: () => Promise<T>): Promise<T> {
    return this.inTurn(() => this.doNotRecordRevision(), ifRevision, change);
  }

  /** Runs a change after the ones asked for before it, if the page is still at `ifRevision` (when given). */
  private inTurn<T>(revision: () => string, ifRevision: string | undefined, change: () => Promise<T>): Promise<T> {
    return this.turns.run(revision, ifRevision, change);
  }

  private check(ref: ChannelRef): void {
    if (!this.hasChannel(ref)) throw new RecorderError('CHANNEL_NOT_FOUND', `no channel ${refKey(ref)}`);
  }
}
