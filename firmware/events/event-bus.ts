/**
 * A typed publish/subscribe bus. Publishing never waits for a subscriber:
 * a subscription is a bounded queue that drops its oldest events when its
 * reader falls behind (and counts them), so a slow WebSocket or a stuck
 * console never delays recording. Pure: no I/O.
 */
import type { ChannelRef } from '../ports/channel-ref.ts';
import { sameRef } from '../ports/channel-ref.ts';
import { BoundedQueue, type QueueReader } from './bounded-queue.ts';
import { BOX_EVENT_TYPES, type BoxEvent, type BoxEventType } from './box-events.ts';

export interface EventFilter {
  /** Only these event types (all when absent). */
  types?: readonly BoxEventType[];
  /** Only events of this channel (events without a channel are left out). */
  ref?: ChannelRef;
}

export type Subscription = QueueReader<BoxEvent>;

export const DEFAULT_QUEUE = 256;

class QueueSubscription extends BoundedQueue<BoxEvent> implements Subscription {
  constructor(
    readonly filter: EventFilter,
    max: number,
    onClose: (s: QueueSubscription) => void,
  ) {
    super(max, () => onClose(this));
  }

}

/** Whether a filter lets an event through. */
function accepts(f: EventFilter, e: BoxEvent): boolean {
  if (f.types && !f.types.includes(e.type)) return false;
  if (f.ref && !('ref' in e && sameRef(e.ref, f.ref))) return false;
  return true;
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
    for (const s of this.subs) if (accepts(s.filter, e)) s.push(e);
    for (const l of this.listeners) {
      if (!accepts(l.filter, e)) continue;
      try {
        l.fn(e);
      } catch {
        this.stats.listenerErrors++;
      }
    }
  }

  /** The subscriptions' queues: how many, what waits in them, what their readers lost (processing info). */
  queueStats(): { subscriptions: number; listeners: number; queued: number; dropped: number } {
    let queued = 0;
    let dropped = 0;
    for (const s of this.subs) {
      queued += s.length;
      dropped += s.dropped;
    }
    return { subscriptions: this.subs.size, listeners: this.listeners.size, queued, dropped };
  }

  get subscriberCount(): number {
    return this.subs.size + this.listeners.size;
  }

  private count(filter: EventFilter, delta: number): void {
    const types: readonly BoxEventType[] = filter.types ?? BOX_EVENT_TYPES;
    for (const t of types) this.counts.set(t, (this.counts.get(t) ?? 0) + delta);
  }
}
