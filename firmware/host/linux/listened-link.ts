/**
 * The listener bookkeeping every ByteLink implementation shares: bytes that
 * arrive before the first data listener are held (up to a limit, oldest
 * dropped), and the close is reported exactly once, also to late listeners.
 */
import type { ByteLink } from '../host.ts';

/** Chunks held while nobody listens yet. */
const MAX_HELD_CHUNKS = 64;

export abstract class ListenedLink implements ByteLink {
  private readonly dataListeners: Array<(chunk: Buffer) => void> = [];
  private readonly closeListeners: Array<(error?: Error) => void> = [];
  private held: Buffer[] = [];
  private closeError: Error | undefined;
  protected closed = false;

  abstract write(data: Buffer): void;
  abstract close(): Promise<void>;

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
    if (this.held.length > 0) {
      const held = this.held;
      this.held = [];
      for (const chunk of held) listener(chunk);
    }
  }

  onClose(listener: (error?: Error) => void): void {
    if (this.closed) queueMicrotask(() => listener(this.closeError));
    else this.closeListeners.push(listener);
  }

  /** Hands received bytes to the listeners, or holds them until the first one. */
  protected deliver(chunk: Buffer): void {
    if (this.closed) return;
    if (this.dataListeners.length > 0) {
      for (const l of this.dataListeners) l(chunk);
      return;
    }
    this.held.push(chunk);
    if (this.held.length > MAX_HELD_CHUNKS) this.held.shift();
  }

  /** Marks the link closed and tells the close listeners, once; returns false if it already was. */
  protected markClosed(error: Error | undefined): boolean {
    if (this.closed) return false;
    this.closed = true;
    this.closeError = error;
    this.held = [];
    for (const l of this.closeListeners.splice(0)) l(error);
    return true;
  }
}
