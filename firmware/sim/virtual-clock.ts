/**
 * A clock whose time only moves when told to: timers fire in time order
 * (ties in the order they were scheduled), including timers scheduled by
 * callbacks while time is being advanced. Used to run the daemon and the
 * simulated line card faster than real time and without flakiness.
 */
import type { Clock, TimerHandle } from '../host/host.ts';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
  /** Repeat period for intervals; 0 for one-shot timers. */
  every: number;
  cancelled: boolean;
}

export class VirtualClock implements Clock {
  private t: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(startMs = 0) {
    this.t = startMs;
  }

  now(): number {
    return this.t + this.stepped;
  }

  /** Wall-clock offset from the timers' time: a clock step (NTP, a manual set) moves `now()` but no timer. */
  private stepped = 0;

  /** The same clock without wall-clock steps (a device's own time base, such as the line card's). */
  readonly steady: Clock = {
    now: () => this.t,
    setTimeout: (fn, ms) => this.setTimeout(fn, ms),
    setInterval: (fn, ms) => this.setInterval(fn, ms),
  };

  /** Sets the wall clock to `ms` as `date -s` does: timers keep their own (monotonic) time. */
  stepTo(ms: number): void {
    this.stepped = ms - this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return this.add(fn, Math.max(0, ms), 0);
  }

  /** Intervals shorter than 1 ms run every 1 ms. */
  setInterval(fn: () => void, ms: number): TimerHandle {
    const every = Math.max(1, ms);
    return this.add(fn, every, every);
  }

  /** Number of timers still scheduled. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way;
   * `now()` reads each timer's due time while it runs. A timer that throws
   * stops the advance with time left at that timer's due time.
   */
  advance(ms: number): void {
    const target = this.t + Math.max(0, ms);
    for (;;) {
      const timer = this.takeDue(target);
      if (!timer) break;
      this.t = timer.at;
      if (timer.every > 0) {
        timer.at += timer.every;
        this.insert(timer);
      }
      timer.fn();
    }
    this.t = target;
  }

  /**
   * Advances `ms` in steps of `stepMs`, letting pending promise callbacks and
   * I/O callbacks run between steps, so asynchronous code driven by the timers
   * makes progress as it would in real time.
   */
  async runFor(ms: number, stepMs = 10): Promise<void> {
    const step = Math.max(1, stepMs);
    const end = this.t + ms;
    while (this.t < end) {
      this.advance(Math.min(step, end - this.t));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private add(fn: () => void, delay: number, every: number): TimerHandle {
    const timer: Timer = { id: this.nextId++, at: this.t + delay, fn, every, cancelled: false };
    this.insert(timer);
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
      },
    };
  }

  /** Keeps `timers` sorted by due time, then by id. */
  private insert(timer: Timer): void {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = this.timers[mid]!;
      if (m.at < timer.at || (m.at === timer.at && m.id < timer.id)) lo = mid + 1;
      else hi = mid;
    }
    this.timers.splice(lo, 0, timer);
  }

  private takeDue(target: number): Timer | undefined {
    const first = this.timers[0];
    if (!first || first.at > target) return undefined;
    this.timers.shift();
    return first;
  }
}
