/**
 * Board sensors on the I2C bus named in the board file: the 24C02-style ID
 * EEPROM, the LM75 temperature sensor and the DS1307/DS3231 RTC. Each reading
 * is null when the board has no such device or the read fails; the caller
 * decides whether that is worth reporting.
 *
 * The bus is opened on first use (and again after a failed open), and reads are
 * done one at a time.
 */
import type { Board } from '../../board/board-schema.ts';
import type { Sensors } from '../host.ts';
import { decodeDs1307, decodeEepromId, decodeLm75 } from './i2c-decoders.ts';

/** The part of an opened `i2c-bus` bus used here. */
export interface I2cBus {
  /** Writes `cmd` (register or memory offset), then reads `length` bytes into `buffer`. */
  readI2cBlock(addr: number, cmd: number, length: number, buffer: Buffer): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

export type I2cBusOpener = (busNumber: number) => Promise<I2cBus>;

// The package ships no type declarations; only the calls above are used.
const I2C_BUS_PACKAGE: string = 'i2c-bus';

export const openI2cBus: I2cBusOpener = async (busNumber) => {
  const imported = (await import(I2C_BUS_PACKAGE)) as {
    openPromisified?: (n: number) => Promise<I2cBus>;
    default?: { openPromisified: (n: number) => Promise<I2cBus> };
  };
  const openPromisified = imported.openPromisified ?? imported.default?.openPromisified;
  if (!openPromisified) throw new Error('i2c-bus: openPromisified not found');
  return openPromisified(busNumber);
};

export class I2cSensors implements Sensors {
  private bus: Promise<I2cBus> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly config: NonNullable<Board['i2c']>,
    private readonly opener: I2cBusOpener = openI2cBus,
  ) {}

  async boardId(): Promise<string | null> {
    const bytes = await this.read(this.config.idEeprom, 0, 32);
    return bytes ? decodeEepromId(bytes) : null;
  }

  async temperatureC(): Promise<number | null> {
    const bytes = await this.read(this.config.temperatureSensor, 0, 2);
    return bytes ? decodeLm75((bytes[0]! << 8) | bytes[1]!) : null;
  }

  async rtcTime(): Promise<number | null> {
    const bytes = await this.read(this.config.rtc, 0, 7);
    return bytes ? decodeDs1307(bytes) : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue.catch(() => undefined);
    const bus = this.bus;
    this.bus = undefined;
    if (bus) await bus.then((b) => b.close()).catch(() => undefined);
  }

  /** Reads `length` bytes from register `reg` of the device at `addr`; null on any failure. */
  private read(addr: number | undefined, reg: number, length: number): Promise<Buffer | null> {
    if (addr === undefined || this.closed) return Promise.resolve(null);
    const result = this.queue.then(async () => {
      try {
        const bus = await this.openBus();
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await bus.readI2cBlock(addr, reg, length, buffer);
        return bytesRead === length ? buffer : null;
      } catch {
        return null;
      }
    });
    this.queue = result;
    return result;
  }

  private openBus(): Promise<I2cBus> {
    if (!this.bus) {
      const opening = this.opener(this.config.bus);
      this.bus = opening;
      opening.catch(() => {
        if (this.bus === opening) this.bus = undefined;
      });
    }
    return this.bus;
  }
}
