/** GPIO kept in memory for the simulated board; its state is readable by tests and the API. */
import type { GpioBank, GpioLineName } from '../host/host.ts';

export class SimGpio implements GpioBank {
  private readonly lines = new Map<GpioLineName, boolean>();
  /** Every change, in order, for tests that check blinking. */
  readonly history: { line: GpioLineName; on: boolean; at: number }[] = [];

  constructor(private readonly now: () => number = Date.now, private readonly historyLimit = 10000) {}

  set(line: GpioLineName, on: boolean): void {
    if (this.lines.get(line) === on) return;
    this.lines.set(line, on);
    this.history.push({ line, on, at: this.now() });
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
  }

  get(line: GpioLineName): boolean {
    return this.lines.get(line) ?? false;
  }

  async close(): Promise<void> {}
}
