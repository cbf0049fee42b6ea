/**
 * The box saves its log by itself on a fault (在遇到故障时，系统会自动保存日志):
 * when an alarm of a fault is raised (the line card lost, the data disk
 * gone, damaged files, a broken custody chain), and at start-up after a run
 * that did not stop cleanly (a crash or a power loss). The save waits a
 * moment so the log holds the lines around the fault, and the same fault
 * saves again only after a hold-off, so a flapping line card cannot fill
 * the log budget.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AlarmChange } from '../alarms/alarm-list.ts';
import type { Clock, TimerHandle } from '../host/host.ts';

/** Alarms that save the log when raised. */
export const FAULT_ALARMS: ReadonlySet<string> = new Set([
  'linecard-down', 'linecard-channels', 'disk-missing', 'settings-damaged', 'accounts-damaged', 'journal-damaged', 'custody-damaged', 'custody-chain', 'custody-key',
]);

export const RUNNING_MARKER = 'recorder.running';

export interface FaultSaveOptions {
  clock: Clock;
  save: (reason: string) => Promise<unknown>;
  onError: (reason: string, e: Error) => void;
  /** Wait after the fault before saving, ms. */
  delayMs?: number;
  /** The same fault saves again only after this long, ms. */
  holdOffMs?: number;
}

export class FaultSaves {
  private readonly lastSave = new Map<string, number>();
  private readonly timers = new Set<TimerHandle>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly opts: FaultSaveOptions) {}

  /** The alarm list's listener. */
  onAlarm(c: AlarmChange): void {
    if (c.kind === 'raised' && FAULT_ALARMS.has(c.alarm.id)) this.fault(c.alarm.id);
  }

  /** A fault of this reason: a save soon, unless one was made within the hold-off. */
  fault(reason: string): void {
    const now = this.opts.clock.now();
    const last = this.lastSave.get(reason);
    if (last !== undefined && now - last < (this.opts.holdOffMs ?? 30 * 60_000)) return;
    this.lastSave.set(reason, now);
    const timer = this.opts.clock.setTimeout(() => {
      this.timers.delete(timer);
      const p = this.opts.save(reason).catch((e: unknown) => this.opts.onError(reason, e as Error));
      this.running.add(p);
      void p.finally(() => this.running.delete(p));
    }, this.opts.delayMs ?? 3000);
    this.timers.add(timer);
  }

  /** Cancels the saves not started; waits for those under way. */
  async stop(): Promise<void> {
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    await Promise.all(this.running);
  }
}

/**
 * Marks the daemon running in the log folder; true when the marker of an
 * earlier run was still there (that run did not stop cleanly).
 */
export async function markRunning(logDir: string, at: number): Promise<boolean> {
  const file = path.join(logDir, RUNNING_MARKER);
  await fs.mkdir(logDir, { recursive: true });
  const left = await fs.stat(file).then(() => true, () => false);
  await fs.writeFile(file, `${new Date(at).toISOString()} ${process.pid}\n`);
  return left;
}

/** Removes the marker at a clean stop. */
export async function markStopped(logDir: string): Promise<void> {
  await fs.rm(path.join(logDir, RUNNING_MARKER), { force: true });
}
