/**
 * Puts the events of a trunk's two sides back in time order. The two sides
 * (and, on a CAS trunk, signalling and voice) are pushed separately, so an
 * event of one side may be pushed after a later event of the other. An event
 * waits until every source has been pushed past its time; a source more than
 * `windowMs` (or two of its chunks, if longer) behind the newest is not
 * waited for (it has stopped), and
 * `releaseOlderThan` lets the clock free what is older than the window.
 */
export class TimeOrderedQueue<T> {
  private pending: { at: number; seq: number; item: T }[] = [];
  private readonly pushedTo = new Map<string, number>();
  private seq = 0;
  private start = -Infinity;
  private window: number;

  /** `sources`: the sources known from the start; others join at their first `advance`. */
  constructor(sources: readonly string[], windowMs = 500) {
    this.window = windowMs;
    for (const s of sources) this.pushedTo.set(s, -Infinity);
  }

  /** Source `source` will add no item older than `at` (stream time); its first chunk started at `chunkStart`. */
  advance(source: string, chunkStart: number, at: number): void {
    if (this.start === -Infinity) this.start = chunkStart;
    this.pushedTo.set(source, at);
    // A source pushed in chunks longer than the window is not "behind" between its chunks.
    this.window = Math.max(this.window, 2 * (at - chunkStart));
  }

  add(at: number, item: T): void {
    this.pending.push({ at, seq: this.seq++, item });
  }

  /** Items every live source has been pushed past, oldest first. */
  release(): T[] {
    return this.releaseUpTo(this.watermark());
  }

  /** Items older than `at - windowMs` (or past the watermark), oldest first. */
  releaseOlderThan(at: number): T[] {
    return this.releaseUpTo(Math.max(this.watermark(), at - this.window));
  }

  private watermark(): number {
    const times = [...this.pushedTo.values()].map((t) => (t === -Infinity ? this.start : t));
    const newest = Math.max(...times);
    let mark = newest;
    for (const t of times) if (t >= newest - this.window) mark = Math.min(mark, t);
    return mark;
  }

  private releaseUpTo(upTo: number): T[] {
    if (this.pending.length === 0) return [];
    const ready = this.pending.filter((p) => p.at <= upTo);
    if (ready.length === 0) return [];
    this.pending = this.pending.filter((p) => p.at > upTo);
    return ready.sort((x, y) => x.at - y.at || x.seq - y.seq).map((p) => p.item);
  }
}
