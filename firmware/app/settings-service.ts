/**
 * Settings (录音参数 3.5, 通道参数 3.6, 免录名单): read, and changed with
 * validation; each change is saved atomically, logged with its principal,
 * and applied at once by the daemon (it listens to the store), without a
 * restart.
 */
import type { ChannelConfig } from '../calls/channel-config.ts';
import { RecorderError } from '../errors.ts';
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { ChannelPatch, RecordingPatch, RecordingSettings } from '../settings/settings-schema.ts';
import type { DoNotRecordEntry, DoNotRecordInput } from '../settings/do-not-record.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';

const fieldsOf = (patch: object) => Object.keys(patch).join(',') || 'none';
const describe = (patch: object) => JSON.stringify(patch);

export class SettingsService {
  constructor(
    private readonly store: SettingsStore,
    private readonly hasChannel: (ref: ChannelRef) => boolean,
    private readonly audit: Auditor,
  ) {}

  recording(): Readonly<RecordingSettings> {
    return this.store.recording;
  }

  async updateRecording(principal: Principal, patch: RecordingPatch): Promise<Readonly<RecordingSettings>> {
    const r = await this.audit.run(principal, { item: 'recording-settings', operation: 'set', parameter: fieldsOf(patch), detail: describe(patch) }, () =>
      this.store.updateRecording(patch),
    );
    return r.value;
  }

  channel(ref: ChannelRef): ChannelConfig {
    this.check(ref);
    return this.store.channel(ref);
  }

  async updateChannel(principal: Principal, ref: ChannelRef, patch: ChannelPatch): Promise<ChannelConfig> {
    const r = await this.audit.run(principal, { item: 'channel-settings', operation: 'set', ref, parameter: fieldsOf(patch), detail: describe(patch) }, () => {
      this.check(ref);
      return this.store.updateChannel(ref, patch);
    });
    return r.value;
  }

  /** The same parameters on several channels (复制到通道): all or none. */
  async updateChannels(principal: Principal, refs: readonly ChannelRef[], patch: ChannelPatch): Promise<ChannelConfig[]> {
    const detail = `${refs.map(refKey).join(' ')}: ${describe(patch)}`;
    const r = await this.audit.run(principal, { item: 'channel-settings', operation: 'set', parameter: fieldsOf(patch), detail }, () => {
      if (!refs.length) throw new RecorderError('BAD_REQUEST', 'name at least one channel');
      for (const ref of refs) this.check(ref);
      return this.store.updateChannels(refs, patch);
    });
    return r.value;
  }

  doNotRecord(): readonly DoNotRecordEntry[] {
    return this.store.doNotRecord.entries;
  }

  async addDoNotRecord(principal: Principal, entries: readonly DoNotRecordInput[]): Promise<readonly DoNotRecordEntry[]> {
    const detail = entries.map((e) => e.number).join(' ');
    return (await this.audit.run(principal, { item: 'do-not-record', operation: 'add', detail }, () => this.store.addDoNotRecord(entries))).value;
  }

  async removeDoNotRecord(principal: Principal, numbers: readonly string[]): Promise<readonly DoNotRecordEntry[]> {
    return (await this.audit.run(principal, { item: 'do-not-record', operation: 'delete', detail: numbers.join(' ') }, () => this.store.removeDoNotRecord(numbers))).value;
  }

  async replaceDoNotRecord(principal: Principal, entries: readonly DoNotRecordInput[]): Promise<readonly DoNotRecordEntry[]> {
    const detail = `${entries.length} entries`;
    return (await this.audit.run(principal, { item: 'do-not-record', operation: 'set', detail }, () => this.store.replaceDoNotRecord(entries))).value;
  }

  private check(ref: ChannelRef): void {
    if (!this.hasChannel(ref)) throw new RecorderError('CHANNEL_NOT_FOUND', `no channel ${refKey(ref)}`);
  }
}
