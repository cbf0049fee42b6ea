/**
 * VoIP recording (VoIP平台参数, VoIP录音状态): its settings, the calls being
 * recorded and those that ended lately, and the import of a phone's local
 * recording file. Setting changes are logged and applied at once.
 */
import { RecorderError } from '../errors.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { VoipPatch, VoipSettings } from '../settings/voip-settings.ts';
import type { VoipRecording } from '../voip/voip-recording.ts';
import type { CallStats } from '../voip/media/voip-call.ts';
import type { SiprecSessionStatus } from '../voip/siprec/siprec-server.ts';
import type { Recorder } from '../recording/recorder.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import { importLocalRecording, type ImportMeta } from '../voip/import-local.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';

export interface VoipStatus {
  licensed: number;
  enabled: boolean;
  phonePort: number | null;
  /** The SIPREC listener's SIP port while it listens. */
  sipPort: number | null;
  /** SIPREC sessions in progress (their SIP side; the media side is in `active`). */
  siprec: SiprecSessionStatus[];
  active: CallStats[];
  ended: readonly CallStats[];
}

/** Largest phone recording accepted: 4 h of G.711 with RTP headers. */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

export class VoipService {
  private importing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly voip: VoipRecording,
    private readonly store: SettingsStore,
    private readonly recorder: Recorder,
    private readonly audit: Auditor,
    private readonly capacity: number,
  ) {}

  settings(): Readonly<VoipSettings> {
    return this.store.voip;
  }

  async updateSettings(principal: Principal, patch: VoipPatch): Promise<Readonly<VoipSettings>> {
    const r = await this.audit.run(
      principal,
      { item: 'voip-settings', operation: 'set', parameter: Object.keys(patch).join(',') || 'none', detail: JSON.stringify(patch) },
      () => this.store.updateVoip(patch),
    );
    return r.value;
  }

  sessions(): VoipStatus {
    const { active, ended } = this.voip.sessions();
    return { licensed: this.capacity, enabled: this.voip.enabled, phonePort: this.voip.phonePort, sipPort: this.voip.sipPort, siprec: this.voip.siprecSessions(), active, ended };
  }

  /** Imports a phone's local recording file; one import at a time. */
  importRecording(principal: Principal, body: AsyncIterable<Uint8Array>, meta: ImportMeta, maxBytes = MAX_IMPORT_BYTES): Promise<RecordEntry> {
    const run = this.importing.then(() =>
      this.audit.run(
        principal,
        { item: 'recording', operation: 'add', parameter: 'voip-import', detail: `phone recording ${meta.device ?? ''} ${meta.remoteNumber ?? ''}` },
        () => {
          if (!this.voip.licensed) throw new RecorderError('VOIP_DISABLED');
          return importLocalRecording(this.recorder, body, meta, maxBytes);
        },
        (e) => `phone recording imported as ${e.id}, ${e.durationMs} ms`,
      ),
    );
    this.importing = run.catch(() => undefined);
    return run;
  }
}
