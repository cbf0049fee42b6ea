/**
 * Line-card link over a serial port (the RDS board's UART, or a pseudo-terminal
 * in front of the line-card simulator): 8N1, no flow control.
 *
 * Received bytes are read from the moment the port opens and held until the
 * first `onData` listener is registered, so nothing is lost between `open()`
 * resolving and the caller wiring its listener. A read/write failure or the
 * device going away closes the link with the error; the daemon reconnects by
 * calling `open()` again.
 *
 * A pseudo-terminal whose other end has gone away may answer reads with end of
 * file instead of an error; that is treated as the device hanging up (the
 * serial driver alone would retry such reads forever).
 */
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import type { ByteLink, LineCardTransport } from '../host.ts';
import { ListenedLink } from './listened-link.ts';

export interface UartOptions {
  device: string;
  baudRate: number;
}

export class UartTransport implements LineCardTransport {
  readonly description: string;

  constructor(private readonly options: UartOptions) {
    this.description = `uart ${options.device} @ ${options.baudRate} baud`;
  }

  open(): Promise<ByteLink> {
    const port = new SerialPort({
      path: this.options.device,
      baudRate: this.options.baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      xon: false,
      xoff: false,
      autoOpen: false,
    });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) reject(new Error(`${this.description}: cannot open (${err.message})`));
        else {
          treatEndOfFileAsHangup(port);
          resolve(new UartLink(port));
        }
      });
    });
  }
}

/** The parts of serialport's Linux/Unix port binding used for reading. */
interface UnixPortBinding {
  fd: number | null;
  poller: { once(event: 'readable', cb: (err: Error | null) => void): unknown };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
}

const readAsync = promisify(fsRead);

/**
 * Replaces the port binding's read with one that waits for the descriptor to
 * become readable on EAGAIN (as the original does) but ends the stream with a
 * disconnect when a read returns 0 bytes.
 */
function treatEndOfFileAsHangup(port: SerialPort): void {
  const binding = port.port as unknown as Partial<UnixPortBinding> | undefined;
  if (!binding || typeof binding.fd !== 'number' || typeof binding.poller?.once !== 'function') return;
  const unix = binding as UnixPortBinding;
  const canceled = () => Object.assign(new Error('Port is not open'), { canceled: true });
  unix.read = async (buffer, offset, length) => {
    for (;;) {
      if (unix.fd === null) throw canceled();
      try {
        const { bytesRead } = await readAsync(unix.fd, buffer, offset, length, null);
        if (bytesRead === 0) throw Object.assign(new Error('the device hung up'), { disconnect: true });
        return { buffer, bytesRead };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw e;
        if (unix.fd === null) throw canceled();
        await new Promise<void>((resolve, reject) => unix.poller.once('readable', (err) => (err ? reject(err) : resolve())));
      }
    }
  };
}

class UartLink extends ListenedLink {
  private closing: Promise<void> | undefined;

  constructor(private readonly port: SerialPort) {
    super();
    port.on('data', (chunk: Buffer) => this.deliver(chunk));
    port.on('error', (err: Error) => this.fail(err));
    port.on('close', (err: Error | null) => this.markClosed(err ?? undefined));
  }

  write(data: Buffer): void {
    if (this.closed || data.length === 0) return;
    // Failures surface through the port's 'error' event, which closes the link.
    this.port.write(data);
  }


  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.markClosed(undefined);
      if (!this.port.isOpen) return resolve();
      this.port.close(() => resolve());
    });
    return this.closing;
  }

  private fail(err: Error): void {
    this.markClosed(err);
    if (this.port.isOpen) this.port.close(() => undefined);
  }

}
