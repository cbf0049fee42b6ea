/**
 * Is the recording path healthy, for the watchdog: the daemon's 100 ms tick
 * (which drives the channels and flushes the open files) has run lately, and
 * the queue of recordings being closed and indexed moves. Pure: samples in,
 * verdict out.
 */

export interface HealthSample {
  at: number;
  /** The daemon's tick count. */
  ticks: number;
  /** Closing and indexing jobs queued and finished so far. */
  queued: number;
  done: number;
}

export interface HealthVerdict {
  healthy: boolean;
  reasons: string[];
}

export class RecordingPathHealth {
  private tickSeen: { ticks: number; at: number } | null = null;
  private doneSeen: { done: number; at: number } | null = null;

  constructor(
    /** The tick may not stall longer than this. */
    private readonly tickStallMs = 2000,
    /** A recording may not wait longer than this to be closed and indexed. */
    private readonly queueStallMs = 60_000,
  ) {}

  check(s: HealthSample): HealthVerdict {
    const reasons: string[] = [];
    if (!this.tickSeen || s.ticks !== this.tickSeen.ticks) this.tickSeen = { ticks: s.ticks, at: s.at };
    else if (s.at - this.tickSeen.at >= this.tickStallMs) reasons.push(`the recording tick has not run for ${Math.round((s.at - this.tickSeen.at) / 1000)} s`);
    if (!this.doneSeen || s.done !== this.doneSeen.done || s.queued === s.done) this.doneSeen = { done: s.done, at: s.at };
    else if (s.at - this.doneSeen.at >= this.queueStallMs) {
      reasons.push(`${s.queued - s.done} recordings have waited ${Math.round((s.at - this.doneSeen.at) / 1000)} s to be closed and indexed`);
    }
    return { healthy: reasons.length === 0, reasons };
  }
}
