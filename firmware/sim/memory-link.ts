/**
 * In-process line-card links for tests: a duplex pair of ByteLinks and a
 * LineCardTransport that hands out a fresh pair on every open().
 *
 * Delivery is synchronous: `write()` on one end calls the other end's data
 * listeners before it returns (with a copy of the bytes), so everything a
 * VirtualClock step causes has arrived when `advance()` returns. Bytes written
 * before the other end has a data listener are held and delivered when the
 * first listener is added, like bytes waiting in a UART FIFO.
 */
import type { ByteLink, LineCardTransport } from '../host/host.ts';

export interface MemoryLink extends ByteLink {
  readonly closed: boolean;
  /** Bytes written on this end and delivered to the other. */
  readonly bytesWritten: number;
  /** Writes attempted after the link closed (dropped). */
  readonly writesAfterClose: number;
  /** Fails the link: this end's close listeners get `error`, the other end sees a plain close. */
  closeWithError(error?: Error): void;
}

class MemoryLinkEnd implements MemoryLink {
  peer!: MemoryLinkEnd;
  private dataListeners: Array<(chunk: Buffer) => void> = [];
  private closeListeners: Array<(error?: Error) => void> = [];
  private held: Buffer[] = [];
  private closeError: Error | undefined;
  closed = false;
  bytesWritten = 0;
  writesAfterClose = 0;

  write(data: Buffer): void {
    if (this.closed) {
      this.writesAfterClose++;
      return;
    }
    this.bytesWritten += data.length;
    this.peer.receive(Buffer.from(data));
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
    if (this.dataListeners.length === 1 && this.held.length > 0) {
      const held = this.held;
      this.held = [];
      for (const chunk of held) listener(chunk);
    }
  }

  onClose(listener: (error?: Error) => void): void {
    if (this.closed) listener(this.closeError);
    else this.closeListeners.push(listener);
  }

  async close(): Promise<void> {
    this.shutDown(undefined);
    this.peer.shutDown(undefined);
  }

  closeWithError(error: Error = new Error('link failed')): void {
    this.shutDown(error);
    this.peer.shutDown(undefined);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    if (this.dataListeners.length === 0) {
      this.held.push(chunk);
      return;
    }
    for (const listener of this.dataListeners) listener(chunk);
  }

  private shutDown(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = error;
    this.held = [];
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(error);
  }
}

/** Two connected ends: what one writes, the other receives. Closing either closes both. */
export function createLinkPair(): [MemoryLink, MemoryLink] {
  const a = new MemoryLinkEnd();
  const b = new MemoryLinkEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

export interface MemoryTransport extends LineCardTransport {
  /** Called with the card side of every link that open() hands out. */
  onOpen(listener: (cardSide: MemoryLink, hostSide: MemoryLink) => void): void;
  /** Makes the following open() calls reject with `error` until called with null. */
  failOpens(error: Error | null): void;
  /** Number of successful open() calls. */
  readonly opens: number;
  /** The most recently opened pair, or null before the first open. */
  readonly current: { host: MemoryLink; card: MemoryLink } | null;
}

/** A transport whose open() creates a new in-memory pair each time. */
export function memoryTransport(options: { description?: string; onOpen?: (cardSide: MemoryLink) => void } = {}): MemoryTransport {
  const listeners: Array<(card: MemoryLink, host: MemoryLink) => void> = [];
  if (options.onOpen) listeners.push(options.onOpen);
  let failure: Error | null = null;
  let opens = 0;
  let current: { host: MemoryLink; card: MemoryLink } | null = null;
  return {
    description: options.description ?? 'memory link',
    async open(): Promise<ByteLink> {
      if (failure) throw failure;
      const [host, card] = createLinkPair();
      opens++;
      current = { host, card };
      for (const listener of listeners) listener(card, host);
      return host;
    },
    onOpen(listener) {
      listeners.push(listener);
    },
    failOpens(error) {
      failure = error;
    },
    get opens() {
      return opens;
    },
    get current() {
      return current;
    },
  };
}
