/**
 * The bandwidth limit of the backups (token bucket shared by every target):
 * `take(n)` resolves when `n` more bytes may go. A limit of 0 lets everything
 * through at once. Waits run on the box's clock.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { Clock } from '../host/host.ts';

export class RateLimiter {
  private available = 0;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly bytesPerSecond: () => number,
  ) {
    this.last = clock.now();
  }

  /** Resolves once `bytes` may be sent. */
  async take(bytes: number): Promise<void> {
    for (;;) {
      const rate = this.bytesPerSecond();
      if (rate <= 0) return;
      const now = this.clock.now();
      // A second's worth at most is saved up.
      this.available = Math.min(rate, this.available + ((now - this.last) * rate) / 1000);
      this.last = now;
      if (this.available >= Math.min(bytes, rate)) {
        this.available -= bytes;
        return;
      }
      const waitMs = Math.max(10, Math.ceil(((Math.min(bytes, rate) - this.available) * 1000) / rate));
      await new Promise<void>((r) => this.clock.setTimeout(r, waitMs));
    }
  }

  /** A stream that passes its input on within the limit. */
  pace(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _enc, done: TransformCallback) => {
        this.take(chunk.length).then(() => done(null, chunk), done);
      },
    });
  }
}
