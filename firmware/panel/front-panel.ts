/**
 * The front panel: PWR on while powered; RUN blinks fast (about 3.5 Hz) while
 * the recorder starts and slowly (1 Hz) once it runs; LINK on while the data
 * disk is present; HALF and FULL and the buzzer follow disk usage (driven by
 * disk maintenance). All through the GPIO host interface.
 */
import type { Clock, GpioBank, GpioLineName, TimerHandle } from '../host/host.ts';

export const RUN_BLINK_STARTING_MS = 143; // half period: 3.5 Hz
export const RUN_BLINK_RUNNING_MS = 500; // half period: 1 Hz

export type RunMode = 'starting' | 'running' | 'stopped';

export class FrontPanel {
  private blink: TimerHandle | null = null;
  private runOn = false;
  private mode: RunMode = 'stopped';

  constructor(
    private readonly gpio: GpioBank,
    private readonly clock: Clock,
  ) {}

  get runMode(): RunMode {
    return this.mode;
  }

  powerOn(): void {
    this.gpio.set('pwr', true);
    this.setRunMode('starting');
  }

  setRunMode(mode: RunMode): void {
    if (mode === this.mode) return;
    this.mode = mode;
    this.blink?.cancel();
    this.blink = null;
    if (mode === 'stopped') {
      this.gpio.set('run', false);
      return;
    }
    const half = mode === 'starting' ? RUN_BLINK_STARTING_MS : RUN_BLINK_RUNNING_MS;
    this.blink = this.clock.setInterval(() => {
      this.runOn = !this.runOn;
      this.gpio.set('run', this.runOn);
    }, half);
  }

  setDiskPresent(present: boolean): void {
    this.gpio.set('link', present);
  }

  /** HALF above the reserve, FULL and the buzzer above the alarm threshold. */
  setDiskLevel(level: 'ok' | 'half' | 'full'): void {
    this.gpio.set('half', level !== 'ok');
    this.gpio.set('full', level === 'full');
    this.gpio.set('buzzer', level === 'full');
  }

  state(): Record<GpioLineName, boolean> {
    const lines: GpioLineName[] = ['pwr', 'run', 'link', 'half', 'full', 'buzzer'];
    return Object.fromEntries(lines.map((l) => [l, this.gpio.get(l)])) as Record<GpioLineName, boolean>;
  }

  shutdown(): void {
    this.setRunMode('stopped');
    this.gpio.set('pwr', false);
  }
}
