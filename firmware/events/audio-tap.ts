/**
 * Live audio of a channel for listeners (监听, cloud seats, the console's
 * level check): decoded 16-bit PCM in the blocks the channel receives them
 * (20 ms for analog lines), whether or not a file is open. Costs nothing
 * while nobody listens: a source asks `listening(ref)` before copying a
 * block. Each listener has a bounded queue; when it falls behind, its oldest
 * blocks are dropped and counted, and the channel never waits. Pure: no I/O.
 */
import { refKey, type ChannelRef } from '../ports/channel-ref.ts';
import { BoundedQueue, type QueueReader } from './bounded-queue.ts';

export interface AudioBlock {
  ref: ChannelRef;
  /** 0 for a one-party channel; 0 or 1 for the legs of a two-party call. */
  leg: 0 | 1;
  /** Time of the block's first sample (ms since the epoch). */
  at: number;
  sampleRate: number;
  samples: Int16Array;
}

export interface AudioListener extends QueueReader<AudioBlock> {
  readonly ref: ChannelRef;
}

/** 2 s of 20 ms blocks. */
export const DEFAULT_AUDIO_QUEUE = 100;

class Listener extends BoundedQueue<AudioBlock> implements AudioListener {
  constructor(
    readonly ref: ChannelRef,
    max: number,
    onClose: (l: Listener) => void,
  ) {
    super(max, () => onClose(this));
  }
}

export class AudioTap {
  private readonly byRef = new Map<string, Set<Listener>>();

  /** Starts listening to a channel. */
  listen(ref: ChannelRef, maxQueue = DEFAULT_AUDIO_QUEUE): AudioListener {
    const key = refKey(ref);
    let set = this.byRef.get(key);
    if (!set) {
      set = new Set();
      this.byRef.set(key, set);
    }
    const l = new Listener({ ...ref }, maxQueue, (x) => {
      const s = this.byRef.get(key);
      s?.delete(x);
      if (s && s.size === 0) this.byRef.delete(key);
    });
    set.add(l);
    return l;
  }

  /** Whether anyone listens to the channel (checked per block by the sources; cheap). */
  listening(key: string): boolean {
    return this.byRef.has(key);
  }

  /** Hands a block to the channel's listeners; the samples are copied, so the source may reuse its buffer. */
  publish(key: string, ref: ChannelRef, leg: 0 | 1, at: number, samples: Int16Array, sampleRate = 8000): void {
    const set = this.byRef.get(key);
    if (!set) return;
    const block: AudioBlock = { ref, leg, at, sampleRate, samples: samples.slice() };
    for (const l of set) l.push(block);
  }

  get listenerCount(): number {
    let n = 0;
    for (const s of this.byRef.values()) n += s.size;
    return n;
  }
}
