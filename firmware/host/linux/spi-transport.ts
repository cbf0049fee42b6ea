/**
 * Line-card link over spidev (the RDT board). SPI is master-driven: every
 * `pollMs` the host clocks one full-duplex transfer of `transferBytes` bytes,
 * sending whatever is queued for the card padded with SLIP END bytes, and
 * passes everything it clocked in to the reader unchanged. Both sides fill idle
 * time with END bytes, which the SLIP decoder treats as empty frames.
 *
 * `spi-device` is an optional native dependency, loaded only when an SPI link
 * is opened, so the daemon still starts on machines without it.
 */
import type { ByteLink, LineCardTransport } from '../host.ts';
import { SLIP_END } from '../../linecard/slip.ts';
import { ListenedLink } from './listened-link.ts';

export interface SpiOptions {
  /** `/dev/spidev<bus>.<chip-select>` */
  device: string;
  speedHz: number;
  pollMs: number;
  transferBytes: number;
}

/** One opened SPI device: a full-duplex transfer of `tx.length` bytes into `rx`. */
export interface SpiBus {
  transfer(tx: Buffer, rx: Buffer): Promise<void>;
  close(): Promise<void>;
}

export type SpiOpener = (bus: number, chipSelect: number, speedHz: number) => Promise<SpiBus>;

/**
 * Takes up to `transferBytes` bytes from the front of `queue` into a transfer
 * buffer padded with SLIP END; returns it with the bytes still to send.
 */
export function buildSpiTx(queue: readonly Buffer[], transferBytes: number): { tx: Buffer; rest: Buffer[] } {
  const tx = Buffer.alloc(transferBytes, SLIP_END);
  let filled = 0;
  let i = 0;
  for (; i < queue.length && filled < transferBytes; i++) {
    const chunk = queue[i]!;
    const n = Math.min(chunk.length, transferBytes - filled);
    chunk.copy(tx, filled, 0, n);
    filled += n;
    if (n < chunk.length) return { tx, rest: [chunk.subarray(n), ...queue.slice(i + 1)] };
  }
  return { tx, rest: queue.slice(i) };
}

/** Parses `/dev/spidev1.0` into bus 1, chip select 0. */
export function parseSpidevPath(device: string): { bus: number; chipSelect: number } {
  const m = /spidev(\d+)\.(\d+)$/.exec(device);
  if (!m) throw new Error(`SPI device ${device}: expected a path like /dev/spidev<bus>.<cs>`);
  return { bus: Number(m[1]), chipSelect: Number(m[2]) };
}

/** The part of the `spi-device` package used here; typed locally because the package is optional. */
interface SpiDeviceModule {
  open(
    bus: number,
    chipSelect: number,
    options: { mode: 0; maxSpeedHz: number },
    cb: (err: Error | null | undefined) => void,
  ): {
    transfer(
      message: Array<{ byteLength: number; sendBuffer: Buffer; receiveBuffer: Buffer; speedHz: number }>,
      cb: (err: Error | null | undefined) => void,
    ): unknown;
    close(cb: (err: Error | null | undefined) => void): void;
  };
}

const SPI_DEVICE_PACKAGE: string = 'spi-device';

/** Opens a spidev device through the optional `spi-device` package (SPI mode 0). */
export const openSpidev: SpiOpener = async (bus, chipSelect, speedHz) => {
  let mod: SpiDeviceModule;
  try {
    const imported = (await import(SPI_DEVICE_PACKAGE)) as { default?: SpiDeviceModule } & SpiDeviceModule;
    mod = imported.default ?? imported;
  } catch (e) {
    throw new Error(`SPI line-card link needs the spi-device package (${(e as Error).message})`);
  }
  const dev = await new Promise<ReturnType<SpiDeviceModule['open']>>((resolve, reject) => {
    const d = mod.open(bus, chipSelect, { mode: 0, maxSpeedHz: speedHz }, (err) => (err ? reject(err) : resolve(d)));
  });
  return {
    transfer: (tx, rx) =>
      new Promise((resolve, reject) => {
        dev.transfer([{ byteLength: tx.length, sendBuffer: tx, receiveBuffer: rx, speedHz }], (err) =>
          err ? reject(err) : resolve(),
        );
      }),
    close: () => new Promise((resolve) => dev.close(() => resolve())),
  };
};

export class SpiTransport implements LineCardTransport {
  readonly description: string;

  constructor(
    private readonly options: SpiOptions,
    private readonly opener: SpiOpener = openSpidev,
  ) {
    this.description = `spi ${options.device} @ ${options.speedHz} Hz, ${options.transferBytes} B every ${options.pollMs} ms`;
  }

  async open(): Promise<ByteLink> {
    const { bus, chipSelect } = parseSpidevPath(this.options.device);
    let dev: SpiBus;
    try {
      dev = await this.opener(bus, chipSelect, this.options.speedHz);
    } catch (e) {
      throw new Error(`${this.description}: cannot open (${(e as Error).message})`);
    }
    return new SpiLink(dev, this.options);
  }
}

class SpiLink extends ListenedLink {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly dev: SpiBus,
    private readonly options: SpiOptions,
  ) {
    super();
    this.schedule(0);
  }

  write(data: Buffer): void {
    if (this.closed || data.length === 0) return;
    this.queue.push(Buffer.from(data));
  }


  close(): Promise<void> {
    this.finish(undefined);
    return this.closeDevice();
  }

  /** Releases the device once no transfer is in flight; shared by close() and failures. */
  private closeDevice(): Promise<void> {
    this.closing ??= (async () => {
      await this.inFlight.catch(() => undefined);
      await this.dev.close().catch(() => undefined);
    })();
    return this.closing;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.inFlight = this.poll();
    }, ms);
  }

  private async poll(): Promise<void> {
    if (this.closed) return;
    const { tx, rest } = buildSpiTx(this.queue, this.options.transferBytes);
    this.queue = rest;
    const rx = Buffer.allocUnsafe(tx.length);
    try {
      await this.dev.transfer(tx, rx);
    } catch (e) {
      this.finish(e as Error);
      void this.closeDevice();
      return;
    }
    if (this.closed) return;
    this.deliver(rx);
    // Keep clocking straight away while more than one transfer's worth is queued.
    this.schedule(this.queue.length > 0 ? 0 : this.options.pollMs);
  }

  private finish(error: Error | undefined): void {
    if (!this.markClosed(error)) return;
    this.queue = [];
    clearTimeout(this.timer);
  }
}
