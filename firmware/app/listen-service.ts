/**
 * Live listening (实时监听): a channel's audio from the audio tap, as it is
 * heard, for a seat whose monitor right reaches the channel or an account
 * that may change the box (administrators from the monitor page). Two-party
 * calls are mixed or passed leg by leg. Each channel has a limited number of
 * listeners; every start and stop is in the operation log, and who listens
 * to what is known to the recording-status page (监听状态).
 */
import { RecorderError } from '../errors.ts';
import type { AudioTap } from '../events/audio-tap.ts';
import { LegMixer, type ListenMode, type MixedBlock } from '../events/audio-mixer.ts';
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import { MAX_LISTENERS_PER_CHANNEL } from '../settings/seat-settings.ts';
import type { Auditor } from './audit.ts';
import { authorise } from './authorise.ts';
import type { Principal } from './principal.ts';
import type { SeatAccess } from './seat-access.ts';

export type { ListenMode, MixedBlock };

/** 1 s of 20 ms blocks: a listener further behind loses its oldest audio. */
const LISTEN_QUEUE = 50;

export interface LiveListen {
  readonly id: number;
  readonly ref: ChannelRef;
  readonly mode: ListenMode;
  /** The next blocks to send; null once stopped. */
  next(): Promise<MixedBlock[] | null>;
  /** Blocks dropped because the listener fell behind. */
  readonly dropped: number;
  stop(): Promise<void>;
}

export interface Listening {
  ref: string;
  account: string;
  kind: 'seat' | 'user';
  since: number;
}

export class ListenService {
  private nextId = 1;
  private readonly live = new Map<number, { key: string; who: Listening }>();

  constructor(
    private readonly tap: AudioTap,
    private readonly access: SeatAccess,
    private readonly audit: Auditor,
    private readonly now: () => number,
    private readonly hasChannel: (ref: ChannelRef) => boolean,
    /** The license's feature check (monitoring, 座席监听). */
    private readonly licensed: (feature: 'monitoring') => boolean,
    readonly maxPerChannel = MAX_LISTENERS_PER_CHANNEL,
  ) {}

  /** Starts listening to a channel: forbidden, CHANNEL_NOT_FOUND, or listeners_full when the channel has its most. */
  async start(principal: Principal, ref: ChannelRef, mode: ListenMode = 'mixed'): Promise<LiveListen> {
    const key = refKey(ref);
    const who: Listening = { ref: key, account: principal.kind === 'system' ? 'system' : principal.account, kind: principal.kind === 'seat' ? 'seat' : 'user', since: this.now() };
    const id = await this.audit.run(principal, { item: 'listen', operation: 'start', ref, parameter: mode, requires: 'view' }, () => {
      if (principal.kind === 'user') authorise(principal, 'configure');
      this.access.check(principal, 'monitor', ref);
      if (!this.licensed('monitoring')) throw new RecorderError('not_licensed', 'the license of this box does not include live listening (monitoring)');
      if (!this.hasChannel(ref)) throw new RecorderError('CHANNEL_NOT_FOUND', `no channel ${key}`);
      const here = [...this.live.values()].filter((l) => l.key === key).length;
      if (here >= this.maxPerChannel) throw new RecorderError('listeners_full', `channel ${key} has ${here} listeners, the most it takes`);
      // Counted at once, so listeners starting together cannot pass the limit.
      const n = this.nextId++;
      this.live.set(n, { key, who });
      return n;
    });
    const listener = this.tap.listen(ref, LISTEN_QUEUE);
    const mixer = new LegMixer(mode);
    let stopped = false;
    return {
      id, ref, mode,
      get dropped() {
        return listener.dropped;
      },
      next: async () => {
        for (;;) {
          const b = await listener.next();
          if (b === null) return null;
          const out = mixer.push(b);
          if (out.length) return out;
        }
      },
      stop: async () => {
        if (stopped) return;
        stopped = true;
        listener.close();
        this.live.delete(id);
        this.audit.note(principal, { item: 'listen', operation: 'stop', ref, parameter: mode, detail: `${Math.round((this.now() - who.since) / 1000)} s${listener.dropped ? `, ${listener.dropped} blocks dropped` : ''}` });
      },
    };
  }

  /** Who listens to which channel now. */
  listening(): Listening[] {
    return [...this.live.values()].map((l) => ({ ...l.who }));
  }
}
