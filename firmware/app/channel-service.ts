/**
 * Channels of every port (通道): the live view of each, forced recording
 * (强制录音). Channel parameters are changed through the settings service,
 * which applies them at once.
 */
import { RecorderError } from '../errors.ts';
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import type { ChannelView } from '../channels/channel-pipeline.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';

/** A recordable channel as the services see it: an analog pipeline today, an E1 timeslot or VoIP channel later. */
export interface ChannelSource {
  readonly ref: ChannelRef;
  view(): ChannelView;
  setForced(on: boolean, now: number): void;
}

export class ChannelService {
  private readonly byKey = new Map<string, ChannelSource>();

  constructor(
    private readonly sources: () => readonly ChannelSource[],
    private readonly audit: Auditor,
    private readonly now: () => number,
  ) {}

  list(): ChannelView[] {
    return this.sources().map((s) => s.view());
  }

  get(ref: ChannelRef): ChannelView {
    return this.source(ref).view();
  }

  /** 强制录音: starts or stops recording a channel now, whatever its control mode. */
  setForced(principal: Principal, ref: ChannelRef, on: boolean): Promise<ChannelView> {
    return this.audit.run(principal, { item: 'recording', operation: on ? 'start' : 'stop', ref, parameter: 'forcedRecording' }, () => {
      const s = this.source(ref);
      s.setForced(on, this.now());
      return s.view();
    });
  }

  private find(ref: ChannelRef): ChannelSource | undefined {
    const key = refKey(ref);
    let s = this.byKey.get(key);
    if (!s) {
      for (const x of this.sources()) this.byKey.set(refKey(x.ref), x);
      s = this.byKey.get(key);
    }
    return s;
  }

  private source(ref: ChannelRef): ChannelSource {
    const s = this.find(ref);
    if (!s) throw new RecorderError('CHANNEL_NOT_FOUND', `no channel ${refKey(ref)}`);
    return s;
  }
}
