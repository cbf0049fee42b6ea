/**
 * Lines up the two legs of a call (a trunk's two directions, a VoIP call's
 * two parties) sample by sample. Each leg arrives in its own blocks, with its
 * own jitter; frames are released once both legs have them. A leg that stays
 * silent (one RTP stream stopped, a direction without audio) does not hold
 * the other back for more than `maxSkew` samples: its missing samples become
 * silence. Pure: no I/O, no clock.
 */
class SampleQueue {
  private buf = new Int16Array(1024);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(pcm: Int16Array, count = pcm.length): void {
    if (this.tail + count > this.buf.length) {
      const live = this.buf.subarray(this.head, this.tail);
      const next = this.length + count > this.buf.length / 2 ? new Int16Array(Math.max(this.buf.length * 2, this.length + count)) : this.buf;
      next.set(live, 0);
      this.buf = next;
      this.tail -= this.head;
      this.head = 0;
    }
    this.buf.set(count === pcm.length ? pcm : pcm.subarray(0, count), this.tail);
    this.tail += count;
  }

  /** Moves n samples into out (zeros past what is queued). */
  take(n: number, out: Int16Array): void {
    const have = Math.min(n, this.length);
    out.set(this.buf.subarray(this.head, this.head + have), 0);
    out.fill(0, have, n);
    this.head += have;
    if (this.head === this.tail) this.head = this.tail = 0;
  }
}

/** Frames released: `count` samples of each leg, from index 0 of `a` and `b` (buffers reused by the next release). */
export interface AlignedFrames {
  a: Int16Array;
  b: Int16Array;
  count: number;
}

export class LegAligner {
  private readonly legs = [new SampleQueue(), new SampleQueue()] as const;

  /** @param maxSkew samples one leg may run ahead before the other is padded with silence (default 400 ms at 8 kHz). */
  constructor(private readonly maxSkew = 3200) {}

  /** Queues the first `count` samples of `pcm` (all by default; they are copied). */
  push(leg: 0 | 1, pcm: Int16Array, count = pcm.length): void {
    this.legs[leg].push(pcm, count);
  }

  /** Frames both legs have (and what a leg holds beyond the skew limit); null when there is nothing to release. */
  take(): AlignedFrames | null {
    const [a, b] = this.legs;
    const n = Math.max(Math.min(a.length, b.length), Math.max(a.length, b.length) - this.maxSkew);
    return n > 0 ? this.takeFrames(n) : null;
  }

  /** Everything queued, the shorter leg padded with silence (at the end of a call). */
  drain(): AlignedFrames | null {
    const n = Math.max(this.legs[0].length, this.legs[1].length);
    return n > 0 ? this.takeFrames(n) : null;
  }

  private readonly frames: AlignedFrames = { a: new Int16Array(1024), b: new Int16Array(1024), count: 0 };

  private takeFrames(n: number): AlignedFrames {
    const f = this.frames;
    if (f.a.length < n) {
      f.a = new Int16Array(n * 2);
      f.b = new Int16Array(n * 2);
    }
    this.legs[0].take(n, f.a);
    this.legs[1].take(n, f.b);
    f.count = n;
    return f;
  }
}

/** Interleaves the first `count` samples of two legs into stereo frames (left: a, right: b). */
export function interleave(a: Int16Array, b: Int16Array, count = a.length, out = new Int16Array(count * 2)): Int16Array {
  for (let i = 0; i < count; i++) {
    out[2 * i] = a[i]!;
    out[2 * i + 1] = b[i]!;
  }
  return out;
}

/** Mixes the first `count` samples of two legs into one, clipped to 16 bits. */
export function mix(a: Int16Array, b: Int16Array, count = a.length, out = new Int16Array(count)): Int16Array {
  for (let i = 0; i < count; i++) {
    const s = a[i]! + b[i]!;
    out[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
  }
  return out;
}
