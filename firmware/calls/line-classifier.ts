/**
 * Turns the card's line voltage into a debounced line class using the
 * channel's off-hook and disconnect thresholds. Pure: time is passed in.
 */
export type LineClass = 'disconnected' | 'onhook' | 'offhook';

/** How long a new class must hold before it counts (hook-flash and glitch filter). */
export const DEBOUNCE_MS: Record<LineClass, number> = { offhook: 100, onhook: 400, disconnected: 300 };

export function classifyVoltage(voltage: number, offhookVoltage: number, disconnectVoltage: number): LineClass {
  const v = Math.abs(voltage);
  if (v < disconnectVoltage) return 'disconnected';
  if (v < offhookVoltage) return 'offhook';
  return 'onhook';
}

export class LineClassifier {
  private committed: LineClass | null = null;
  private pending: LineClass | null = null;
  private pendingSince = 0;

  get current(): LineClass | null {
    return this.committed;
  }

  /** Forget the line (e.g. the card went away); the next sample commits at once. */
  reset(): void {
    this.committed = null;
    this.pending = null;
  }

  /** The wall clock was stepped by `stepMs`: the debounce keeps its elapsed time. */
  shiftTime(stepMs: number): void {
    this.pendingSince += stepMs;
  }

  /** Feeds a sample; returns the new class when it changes. */
  sample(cls: LineClass, now: number): LineClass | null {
    if (cls !== this.pending) {
      this.pending = cls;
      this.pendingSince = now;
    }
    return this.evaluate(now);
  }

  /** Re-checks the pending class against the debounce time. */
  evaluate(now: number): LineClass | null {
    if (this.pending === null || this.pending === this.committed) return null;
    if (this.committed !== null && now - this.pendingSince < DEBOUNCE_MS[this.pending]) return null;
    this.committed = this.pending;
    return this.committed;
  }
}
