/**
 * A queue between a publisher that never waits and a reader that may fall
 * behind: when full, the oldest item is dropped and counted. The reader
 * awaits `next()` (null once closed) or iterates it. Pure: no I/O.
 */
/** The reading side of a bounded queue: what a subscriber holds. */
export interface QueueReader<T> extends AsyncIterable<T> {
  /** Items dropped because the reader fell behind. */
  readonly dropped: number;
  /** The next item; waits for one; null once closed. */
  next(): Promise<T | null>;
  /** What is queued, without waiting. */
  drain(): T[];
  close(): void;
}

export class BoundedQueue<T> implements QueueReader<T> {
  private readonly items: T[] = [];
  private waiter: ((item: T | null) => void) | null = null;
  private closedFlag = false;
  /** Items dropped because the reader fell behind. */
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly onClose: () => void = () => undefined,
  ) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Items waiting for the reader. */
  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.closedFlag) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(item);
      return;
    }
    if (this.items.length >= this.max) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(item);
  }

  /** The next item; waits for one; null once closed. */
  next(): Promise<T | null> {
    if (this.items.length) return Promise.resolve(this.items.shift()!);
    if (this.closedFlag) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** What is queued, without waiting. */
  drain(): T[] {
    return this.items.splice(0);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.items.length = 0;
    this.onClose();
    const w = this.waiter;
    this.waiter = null;
    w?.(null);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = await this.next();
      if (item === null) return;
      yield item;
    }
  }
}
