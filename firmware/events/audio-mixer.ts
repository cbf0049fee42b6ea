/**
 * Pairs the two legs of a two-party call's audio blocks for a live listener:
 * `mixed` adds both parties into one block (clipped to 16 bits); `separate`
 * passes each leg as it comes. A one-party channel (an analog line) passes
 * its blocks at once; once a second leg is seen, a leg's block waits for
 * the other leg's block of the same time, or for its own next block, which
 * holds a block back by one block (20 ms) at most. Pure: no I/O.
 */
import type { AudioBlock } from './audio-tap.ts';

export type ListenMode = 'mixed' | 'separate';

export interface MixedBlock {
  /** `separate`: 0 or 1, the leg (a one-party channel is leg 0); `mixed`: 2, both parties or the one. */
  lane: 0 | 1 | 2;
  at: number;
  sampleRate: number;
  samples: Int16Array;
}

export class LegMixer {
  private twoLegs = false;
  private pending: AudioBlock | null = null;

  constructor(private readonly mode: ListenMode) {}

  /** The blocks to send for one block received. */
  push(b: AudioBlock): MixedBlock[] {
    if (b.leg === 1) this.twoLegs = true;
    if (this.mode === 'separate') return [{ lane: b.leg, at: b.at, sampleRate: b.sampleRate, samples: b.samples }];
    if (!this.twoLegs) return [{ lane: 2, at: b.at, sampleRate: b.sampleRate, samples: b.samples }];
    const p = this.pending;
    if (p && p.leg !== b.leg && p.at === b.at) {
      this.pending = null;
      return [{ lane: 2, at: b.at, sampleRate: b.sampleRate, samples: mix(p.samples, b.samples) }];
    }
    this.pending = b;
    return p ? [{ lane: 2, at: p.at, sampleRate: p.sampleRate, samples: p.samples }] : [];
  }
}

export function mix(a: Int16Array, b: Int16Array): Int16Array {
  const n = Math.max(a.length, b.length);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = (a[i] ?? 0) + (b[i] ?? 0);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}
