/**
 * Line-card link over TCP (board transport `tcp`): reaches the line-card
 * simulator or a serial/SPI bridge over the network. The byte stream is the
 * same SLIP stream the card sends on its UART.
 *
 * Received bytes are held until the first `onData` listener is registered. A
 * socket error or the peer hanging up closes the link; the daemon reconnects by
 * calling `open()` again.
 */
import net from 'node:net';
import type { ByteLink, LineCardTransport } from '../host.ts';
import { ListenedLink } from './listened-link.ts';

export interface TcpOptions {
  host: string;
  port: number;
  /** Abandon a connection attempt after this long (default 5 s). */
  connectTimeoutMs?: number;
}

export class TcpTransport implements LineCardTransport {
  readonly description: string;

  constructor(private readonly options: TcpOptions) {
    this.description = `tcp ${options.host}:${options.port}`;
  }

  open(): Promise<ByteLink> {
    const { host, port, connectTimeoutMs = 5000 } = this.options;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.setTimeout(connectTimeoutMs);
      const onError = (err: Error): void => {
        socket.destroy();
        reject(new Error(`${this.description}: cannot connect (${err.message})`));
      };
      socket.once('error', onError);
      socket.once('timeout', () => onError(new Error('connection timed out')));
      socket.once('connect', () => {
        socket.off('error', onError);
        socket.removeAllListeners('timeout');
        socket.setTimeout(0);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        resolve(new TcpLink(socket));
      });
    });
  }
}

class TcpLink extends ListenedLink {
  private closing: Promise<void> | undefined;

  constructor(private readonly socket: net.Socket) {
    super();
    socket.on('data', (chunk: Buffer) => this.deliver(chunk));
    socket.on('error', (err) => this.finish(err));
    socket.on('close', () => this.finish(undefined));
  }

  write(data: Buffer): void {
    if (this.closed || data.length === 0) return;
    this.socket.write(data);
  }


  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.socket.closed) resolve();
      else this.socket.once('close', () => resolve());
      this.finish(undefined);
    });
    return this.closing;
  }

  private finish(error: Error | undefined): void {
    if (!this.markClosed(error)) return;
    if (!this.socket.destroyed) this.socket.destroy();
  }
}
