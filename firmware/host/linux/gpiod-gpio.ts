/**
 * Front-panel lines driven with the libgpiod `gpioset` tool, for kernels built
 * without sysfs GPIO. Board line numbers are offsets on one GPIO chip.
 *
 * Each change runs `gpioset` once (in order per line). The character-device
 * API does not promise the level is kept after the tool exits; the SoCs used
 * on these boards keep it, which is what this backend relies on.
 */
import type { Board } from '../../board/board-schema.ts';
import type { GpioBank, GpioLineName, Shell, ShellResult } from '../host.ts';

export interface GpiodOptions {
  /** Chip name or path (default `gpiochip0`). */
  chip?: string;
  /** libgpiod tools generation: v1 `gpioset <chip> <off>=<v>`, v2 `gpioset -t0 -c <chip> <off>=<v>`. */
  tools?: 'v1' | 'v2';
  /** Told about every `gpioset` run that failed. */
  onError?: (line: GpioLineName, result: ShellResult) => void;
}

export function gpiosetArgs(tools: 'v1' | 'v2', chip: string, offset: number, level: 0 | 1): string[] {
  return tools === 'v1' ? [chip, `${offset}=${level}`] : ['-t0', '-c', chip, `${offset}=${level}`];
}

export class GpiodGpio implements GpioBank {
  private readonly state = new Map<GpioLineName, boolean>();
  private readonly queues = new Map<GpioLineName, Promise<void>>();
  private closed = false;

  constructor(
    private readonly config: Board['gpio'],
    private readonly shell: Shell,
    private readonly options: GpiodOptions = {},
  ) {
    for (const name of Object.keys(config.lines) as GpioLineName[]) this.set(name, false);
  }

  set(line: GpioLineName, on: boolean): void {
    if (this.closed) return;
    this.state.set(line, on);
    const level = on !== this.config.activeLow ? 1 : 0;
    const args = gpiosetArgs(this.options.tools ?? 'v1', this.options.chip ?? 'gpiochip0', this.config.lines[line], level);
    const previous = this.queues.get(line) ?? Promise.resolve();
    const next = previous.then(async () => {
      const result = await this.shell
        .run('gpioset', args, { timeoutMs: 5000 })
        .catch((e: unknown): ShellResult => ({ code: -1, stdout: '', stderr: String(e) }));
      if (result.code !== 0) this.options.onError?.(line, result);
    });
    this.queues.set(line, next);
  }

  get(line: GpioLineName): boolean {
    return this.state.get(line) ?? false;
  }

  /** Waits for the changes already requested to be applied. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.queues.values());
  }
}
