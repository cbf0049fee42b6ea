/**
 * The trial's clock: seconds of recording-capable uptime (the line card up),
 * kept in `<config>/license/trial.json` across restarts. Each minute is
 * charged when it begins (written before it is used), so killing the daemon
 * never gives time back: at worst a restart costs the minute it cut short.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock, TimerHandle } from '../host/host.ts';
import { writeFileAtomic } from '../settings/settings-file.ts';

export const TRIAL_STEP_S = 60;
/** How often the meter looks whether the box can record. */
export const TRIAL_CHECK_MS = 5000;
export const LICENSE_DIR = 'license';
const TRIAL_FILE = 'trial.json';

export interface TrialMeterLog {
  error(obj: object, msg: string): void;
}

export class TrialMeter {
  private timer: TimerHandle | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    /** Seconds charged so far, including the minute running now. */
    private charged: number,
    private readonly log: TrialMeterLog,
  ) {}

  static async open(configDir: string, log: TrialMeterLog): Promise<TrialMeter> {
    const dir = path.join(configDir, LICENSE_DIR);
    await fs.mkdir(dir, { recursive: true });
    const file = path.join(dir, TRIAL_FILE);
    return new TrialMeter(file, await readUsed(file), log);
  }

  /** Seconds of trial used (the running minute counted). */
  get usedS(): number {
    return this.charged;
  }

  /**
   * Counts while `capable()` holds, checked every few seconds: a minute is
   * charged when the first capable moment of it begins, so the time is paid
   * before it is used. `limitS` stops the charging once reached.
   */
  async start(clock: Clock, capable: () => boolean, limitS: number, onTick: () => void): Promise<void> {
    let capableMs = 0;
    let paidMs = 0;
    const check = async () => {
      if (this.charged >= limitS || !capable()) return;
      if (capableMs >= paidMs) {
        paidMs += TRIAL_STEP_S * 1000;
        this.charged = Math.min(limitS, this.charged + TRIAL_STEP_S);
        const saved = this.save();
        onTick();
        await saved;
      }
      capableMs += TRIAL_CHECK_MS;
    };
    await check();
    this.timer = clock.setInterval(() => {
      check().catch((e: unknown) => this.log.error({ err: (e as Error).message }, 'trial time not saved'));
    }, TRIAL_CHECK_MS);
  }

  /** Stops counting; resolves once the last save has been tried. */
  stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    return this.writing;
  }

  private save(): Promise<void> {
    const text = `${JSON.stringify({ usedS: this.charged })}\n`;
    // Each save follows the one before, whether that one failed or not (its failure is its caller's).
    const saved = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, text));
    this.writing = saved.catch(() => undefined);
    return saved;
  }
}

/** The seconds used so far; a missing file is a new box, an unreadable one counts as used up. */
async function readUsed(file: string): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  try {
    const v = (JSON.parse(text) as { usedS?: unknown }).usedS;
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.floor(v);
  } catch {
    // falls through
  }
  return Number.MAX_SAFE_INTEGER;
}
