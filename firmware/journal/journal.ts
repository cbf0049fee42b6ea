/**
 * The journal: the operation log and the alarm history in one LevelDB
 * (`<config dir>/journal`, key layout in journal-keys.ts), with bounded
 * retention by count and by age. `openJournal` is the start-up entry: a
 * database that cannot be opened is moved aside (`journal.damaged-<time>`)
 * and a new one created, and the caller is told so.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { TimerHandle } from '../host/host.ts';
import { AlarmHistory } from './alarm-history.ts';
import { OperationLog } from './operation-log.ts';
import { JournalStore, type TrimStepResult, type TrimStep } from './journal-store.ts';

export const JOURNAL_DIR = 'journal';
const DAY_MS = 86_400_000;

const bound = (maxEntries: number, maxAgeDays: number) =>
  z.object({
    maxEntries: z.number().int().min(1).default(maxEntries),
    maxAgeDays: z.number().int().min(1).default(maxAgeDays),
  });

export const journalRetentionSchema = z.object({
  operations: bound(100_000, 365).prefault({}),
  alarms: bound(10_000, 365).prefault({}),
  /** Entries removed per atomic step; the event loop gets a turn between steps. */
  batchSize: z.number().int().min(1).max(5000).default(500),
});
export type JournalRetention = z.output<typeof journalRetentionSchema>;
export type JournalRetentionInput = z.input<typeof journalRetentionSchema>;

export interface JournalLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JournalOptions {
  /** The box's clock (virtual in tests). */
  now?: () => number;
  retention?: JournalRetentionInput;
  /** Repeats of an active alarm are written at most this often (ms). */
  alarmUpdateIntervalMs?: number;
  log?: JournalLogger;
}

export interface TrimReport {
  operations: number;
  alarms: number;
}

const HOUR_MS = 3_600_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Journal {
  readonly operations: OperationLog;
  readonly alarms: AlarmHistory;
  /** Alarm history entries left open by the previous run and closed at this start-up. */
  closedAtStart = 0;
  private retention: JournalRetention;
  private readonly now: () => number;
  private readonly log: JournalLogger | null;
  private trimming: Promise<TrimReport> | null = null;
  private timer: TimerHandle | null = null;

  private constructor(private readonly store: JournalStore, opts: JournalOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? null;
    this.retention = journalRetentionSchema.parse(opts.retention ?? {});
    this.operations = new OperationLog(store, {
      now: this.now,
      onWriteError: (err, entry) => this.log?.error({ err: err.message, item: entry.item, operation: entry.operation }, 'operation log entry not written'),
    });
    this.alarms = new AlarmHistory(store, opts.alarmUpdateIntervalMs);
  }

  /** Opens (or creates) the journal at `location` and closes alarm entries left open by the previous run. */
  static async open(location: string, opts: JournalOptions = {}): Promise<Journal> {
    const store = new JournalStore(location);
    try {
      await store.open();
    } catch (e) {
      await store.db.close().catch(() => undefined);
      throw e;
    }
    const journal = new Journal(store, opts);
    journal.closedAtStart = await journal.alarms.closeLeftOpen(journal.now());
    return journal;
  }

  get location(): string {
    return this.store.location;
  }

  get retentionSettings(): JournalRetention {
    return this.retention;
  }

  /** Applies new bounds from the next retention run on. */
  setRetention(r: JournalRetentionInput): void {
    this.retention = journalRetentionSchema.parse(r);
  }

  /**
   * Removes what the bounds no longer allow, oldest first, in atomic steps
   * of `batchSize` entries with a turn of the event loop between them
   * (appends go on meanwhile). A run already going is joined.
   */
  trim(now = this.now()): Promise<TrimReport> {
    this.trimming ??= this.runTrim(now).finally(() => {
      this.trimming = null;
    });
    return this.trimming;
  }

  private async runTrim(now: number): Promise<TrimReport> {
    const r = this.retention;
    const part = async (count: () => Promise<number>, step: (s: TrimStep) => Promise<TrimStepResult>, bounds: { maxEntries: number; maxAgeDays: number }) => {
      let excess = (await count()) - bounds.maxEntries;
      const cutoff = now - bounds.maxAgeDays * DAY_MS;
      let removed = 0;
      let after: Buffer | null = null;
      for (;;) {
        const res = await step({ excess: Math.max(0, excess), cutoff, batchSize: r.batchSize, after });
        removed += res.removed;
        excess -= res.removed;
        after = res.after;
        if (res.done) return removed;
        await nextTurn();
      }
    };
    const operations = await part(() => this.operations.count(), (s) => this.operations.trimStep(s), r.operations);
    const alarms = await part(() => this.alarms.count(), (s) => this.alarms.trimStep(s), r.alarms);
    if (operations || alarms) this.log?.info({ operations, alarms }, 'journal trimmed to its retention bounds');
    return { operations, alarms };
  }

  /** Runs retention now and then every `everyMs` on the given clock; `close` stops it. */
  startRetention(clock: { setInterval(fn: () => void, ms: number): TimerHandle }, everyMs = HOUR_MS): void {
    this.timer?.cancel();
    const run = () => {
      this.trim().catch((e: unknown) => this.log?.error({ err: (e as Error).message }, 'journal retention failed'));
    };
    run();
    this.timer = clock.setInterval(run, everyMs);
  }

  async close(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.trimming?.catch(() => undefined);
    await this.alarms.flush().catch(() => undefined);
    await this.store.close();
  }
}

export interface OpenedJournal {
  journal: Journal;
  /** Where a journal that could not be opened was moved; null when it opened. */
  movedAside: string | null;
}

/**
 * Opens `<dir>/journal`; when it cannot be opened (damaged, or not a
 * journal), moves it aside to `<dir>/journal.damaged-<time>`, logs it, and
 * starts a new, empty one.
 */
export async function openJournal(dir: string, log: JournalLogger, opts: Omit<JournalOptions, 'log'> = {}): Promise<OpenedJournal> {
  const location = path.join(dir, JOURNAL_DIR);
  fs.mkdirSync(dir, { recursive: true });
  try {
    return { journal: await Journal.open(location, { ...opts, log }), movedAside: null };
  } catch (e) {
    if (!fs.existsSync(location)) throw e;
    const aside = `${location}.damaged-${(opts.now ?? Date.now)()}`;
    log.error({ err: (e as Error).message, movedTo: aside }, 'operation log and alarm history damaged; kept aside, starting a new one');
    fs.renameSync(location, aside);
    return { journal: await Journal.open(location, { ...opts, log }), movedAside: aside };
  }
}
