/**
 * Front-panel LEDs and buzzer on sysfs GPIO lines, driven through `onoff`.
 * Line numbers and polarity come from the board file. Every line is exported as
 * an output already in its "off" state (no glitch at start-up, whatever the
 * polarity) and unexported again on close.
 */
import { Gpio } from 'onoff';
import type { Board } from '../../board/board-schema.ts';
import type { GpioBank, GpioLineName } from '../host.ts';

/** One output line; `write(true)` turns it on, the polarity is already applied. */
export interface GpioOutput {
  write(on: boolean): void;
  release(): void;
}

export type GpioOutputFactory = (line: number, activeLow: boolean) => GpioOutput;

export const onoffOutput: GpioOutputFactory = (line, activeLow) => {
  // sysfs "high"/"low" set the raw level; the raw level of "off" depends on polarity.
  const gpio = new Gpio(line, activeLow ? 'high' : 'low', 'none', { activeLow });
  return {
    write: (on) => gpio.writeSync(on ? Gpio.HIGH : Gpio.LOW),
    release: () => gpio.unexport(),
  };
};

export class SysfsGpio implements GpioBank {
  private readonly outputs = new Map<GpioLineName, GpioOutput>();
  private readonly state = new Map<GpioLineName, boolean>();
  private closed = false;

  constructor(config: Board['gpio'], makeOutput: GpioOutputFactory = onoffOutput) {
    const names = Object.keys(config.lines) as GpioLineName[];
    try {
      for (const name of names) {
        const line = config.lines[name];
        let output: GpioOutput;
        try {
          output = makeOutput(line, config.activeLow);
        } catch (e) {
          throw new Error(`GPIO line ${line} (${name}): cannot be exported (${(e as Error).message})`);
        }
        this.outputs.set(name, output);
        output.write(false);
        this.state.set(name, false);
      }
    } catch (e) {
      this.releaseAll();
      throw e;
    }
  }

  set(line: GpioLineName, on: boolean): void {
    const output = this.outputs.get(line);
    if (this.closed || !output) return;
    output.write(on);
    this.state.set(line, on);
  }

  get(line: GpioLineName): boolean {
    return this.state.get(line) ?? false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.releaseAll();
  }

  private releaseAll(): void {
    for (const output of this.outputs.values()) {
      try {
        output.release();
      } catch {
        // Already unexported: nothing left to release.
      }
    }
    this.outputs.clear();
  }
}
