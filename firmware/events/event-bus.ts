/**
 * A typed publish/subscribe bus. Publishing never waits for a subscriber:
 * a subscription is a bounded queue that drops its oldest events when its
 * reader falls behind (and counts them), so a slow WebSocket or a stuck
 * console never delays recording. Pure: no I/O.
 */
import type { ChannelRef } from '../ports/channel-ref.ts';
import { sameRef } from '../ports/channel-ref.ts';
import { BOX_EVENT_TYPES, type BoxEvent, type BoxEventType } from './box-events.ts';

export interface EventFilter {
  /** Only these event types (all when absent). */
  types?: readonly BoxEventType[];
  /** Only events of this channel (and events without a channel when `withGlobal`). */
  ref?: ChannelRef;
}

export interface Subscription extends AsyncIterable<BoxEvent> {
  /** Events dropped because the reader fell behind. */
  readonly dropped: number;
  /** Waits for the next event; null once closed. */
  next(): Promise<BoxEvent | null>;
  /** Takes what is queued without waiting. */
  drain(): BoxEvent[];
  close(): void;
}

export const DEFAULT_QUEUE = 256;

class QueueSubscription implements Subscription {
  private readonly queue: BoxEvent[] = [];
  private waiter: ((e: BoxEvent | null) => void) | null = null;
  private closedFlag = false;
  dropped = 0;

  constructor(
    readonly filter: EventFilter,
    private readonly max: number,
    private readonly onClose: (s: QueueSubscription) => void,
  ) {}

  accepts(e: BoxEvent): boolean {
    const f = this.filter;
    if (f.types && !f.types.includes(e.type)) return false;
    if (f.ref) {
      const ref = 'ref' in e ? e.ref : null;
      if (!ref || !sameRef(ref, f.ref)) return false;
    }
    return true;
  }

  push(e: BoxEvent): void {
    if (this.closedFlag) return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(e);
      return;
    }
    if (this.queue.length >= this.max) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(e);
  }

  next(): Promise<BoxEvent | null> {
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.closedFlag) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  drain(): BoxEvent[] {
    return this.queue.splice(0);
  }

  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.queue.length = 0;
    this.onClose(this);
    const w = this.waiter;
    this.waiter = null;
    w?.(null);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<BoxEvent> {
    for (;;) {
      const e = await this.next();
      if (e === null) return;
      yield e;
    }
  }
}

export class EventBus {
  private readonly subs = new Set<QueueSubscription>();
  private readonly listeners = new Set<{ filter: EventFilter; fn: (e: BoxEvent) => void }>();
  private readonly counts = new Map<BoxEventType, number>();
  /** Events published, and listener exceptions caught. */
  readonly stats = { published: 0, listenerErrors: 0 };

  /** A queued subscription (for adapters that send events elsewhere: WebSocket, console). */
  subscribe(filter: EventFilter = {}, maxQueue = DEFAULT_QUEUE): Subscription {
    const s = new QueueSubscription(filter, maxQueue, (x) => {
      this.subs.delete(x);
      this.count(x.filter, -1);
    });
    this.subs.add(s);
    this.count(filter, 1);
    return s;
  }

  /** A synchronous listener (for in-process parts: journal, panel). It must return quickly; exceptions are caught. */
  listen(fn: (e: BoxEvent) => void, filter: EventFilter = {}): () => void {
    const l = { filter, fn };
    this.listeners.add(l);
    this.count(filter, 1);
    return () => {
      if (this.listeners.delete(l)) this.count(filter, -1);
    };
  }

  /** Whether anyone wants events of this type (so costly ones are not even built). */
  wants(type: BoxEventType): boolean {
    return (this.counts.get(type) ?? 0) > 0;
  }

  publish(e: BoxEvent): void {
    this.stats.published++;
    if (!this.wants(e.type)) return;
    for (const s of this.subs) if (s.accepts(e)) s.push(e);
    for (const l of this.listeners) {
      if (l.filter.types && !l.filter.types.includes(e.type)) continue;
      if (l.filter.ref && !('ref' in e && sameRef(e.ref, l.filter.ref))) continue;
      try {
        l.fn(e);
      } catch {
        this.stats.listenerErrors++;
      }
    }
  }

  get subscriberCount(): number {
    return this.subs.size + this.listeners.size;
  }

  private count(filter: EventFilter, delta: number): void {
    const types: readonly BoxEventType[] = filter.types ?? BOX_EVENT_TYPES;
    for (const t of types) this.counts.set(t, (this.counts.get(t) ?? 0) + delta);
  }
}
