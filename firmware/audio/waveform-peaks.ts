/**
 * A waveform overview: the lowest and highest sample of each of `points`
 * equal spans of a recording, per channel (one lane per party of a stereo
 * file), gathered in one pass over interleaved 16-bit samples.
 */
export interface Peaks {
  sampleRate: number;
  durationMs: number;
  /** Per channel; sample values −32768..32767; `points` (or fewer, for a very short recording) entries each. */
  lanes: { min: number[]; max: number[] }[];
}

export class PeakMeter {
  private readonly points: number;
  private readonly min: Int16Array[];
  private readonly max: Int16Array[];
  private frame = 0;

  constructor(
    private readonly frames: number,
    private readonly channels: number,
    points: number,
  ) {
    this.points = Math.max(0, Math.min(points, frames));
    this.min = Array.from({ length: channels }, () => new Int16Array(this.points).fill(32767));
    this.max = Array.from({ length: channels }, () => new Int16Array(this.points).fill(-32768));
  }

  /** The span a frame falls in. */
  spanOf(frame: number): number {
    return Math.floor((frame * this.points) / this.frames);
  }

  /** Interleaved samples, whole frames, in order. */
  add(samples: Int16Array): void {
    const n = this.channels;
    for (let i = 0; i + n <= samples.length && this.frame < this.frames; i += n, this.frame++) {
      const span = this.spanOf(this.frame);
      for (let c = 0; c < n; c++) {
        const v = samples[i + c]!;
        if (v < this.min[c]![span]!) this.min[c]![span] = v;
        if (v > this.max[c]![span]!) this.max[c]![span] = v;
      }
    }
  }

  result(sampleRate: number): Peaks {
    return {
      sampleRate,
      durationMs: Math.round((this.frames * 1000) / sampleRate),
      lanes: this.min.map((min, c) => ({ min: Array.from(min), max: Array.from(this.max[c]!) })),
    };
  }
}
