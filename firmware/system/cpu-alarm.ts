/**
 * CPU使用率过高报警 (manual 3.5): CPU use from two readings of the system's
 * CPU time; the alarm is raised when the use stays at or above the threshold
 * for `samples` readings in a row and cleared when it stays below as long.
 * Threshold 0 turns the check off. Pure.
 */

export type CpuAlarmDecision = { raise: number } | { clear: true } | null;

export class CpuAlarm {
  private last: { busyMs: number; totalMs: number } | null = null;
  private above = 0;
  private below = 0;
  private raised = false;
  /** The last computed use, percent. */
  percent: number | null = null;

  constructor(private readonly samples = 3) {}

  sample(times: { busyMs: number; totalMs: number }, thresholdPercent: number): CpuAlarmDecision {
    const prev = this.last;
    this.last = times;
    if (!prev || times.totalMs <= prev.totalMs) return null;
    const percent = Math.round((100 * (times.busyMs - prev.busyMs)) / (times.totalMs - prev.totalMs));
    this.percent = percent;
    if (thresholdPercent <= 0) return this.reset();
    if (percent >= thresholdPercent) {
      this.above++;
      this.below = 0;
      if (!this.raised && this.above >= this.samples) {
        this.raised = true;
        return { raise: percent };
      }
    } else {
      this.below++;
      this.above = 0;
      if (this.raised && this.below >= this.samples) return this.reset();
    }
    return null;
  }

  private reset(): CpuAlarmDecision {
    this.above = 0;
    this.below = 0;
    if (!this.raised) return null;
    this.raised = false;
    return { clear: true };
  }
}
