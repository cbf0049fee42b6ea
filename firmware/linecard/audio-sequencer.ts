/**
 * Per-channel audio block sequencing: detects gaps in the card's sequence
 * numbers and tells the caller how many silent blocks to insert, so a dropped
 * frame never shortens a recording. Duplicates and stale blocks are dropped.
 */
export const MAX_FILLED_BLOCKS = 50; // 1 s of 20 ms blocks

export type SequenceVerdict = { accept: true; missing: number } | { accept: false };

export class AudioSequencer {
  private readonly expected: Int32Array;
  readonly stats = { gaps: 0, filledBlocks: 0, unfilledGaps: 0, duplicates: 0 };

  constructor(channelCount: number) {
    this.expected = new Int32Array(channelCount).fill(-1);
  }

  /** Judges the block `seq` of `channel`; `missing` blocks of silence go before it. */
  accept(channel: number, seq: number): SequenceVerdict {
    const expected = this.expected[channel]!;
    this.expected[channel] = (seq + 1) & 0xffff;
    if (expected < 0) return { accept: true, missing: 0 };
    const diff = (seq - expected) & 0xffff;
    if (diff === 0) return { accept: true, missing: 0 };
    if (diff > 0x8000) {
      // Older than expected: a duplicate or a late block.
      this.expected[channel] = expected;
      this.stats.duplicates++;
      return { accept: false };
    }
    this.stats.gaps++;
    if (diff > MAX_FILLED_BLOCKS) {
      this.stats.unfilledGaps++;
      return { accept: true, missing: 0 };
    }
    this.stats.filledBlocks += diff;
    return { accept: true, missing: diff };
  }

  /** Forgets every channel's position (after the link was re-established). */
  resync(): void {
    this.expected.fill(-1);
  }
}
