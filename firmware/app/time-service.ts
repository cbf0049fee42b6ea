/**
 * Time settings (时间设置): NTP through chrony, the time zone, and the date and
 * time set by hand while NTP is off (the system clock and the RTC). Each step
 * of a change that fails puts back what the steps before it changed; the
 * settings are saved once all are applied.
 */
import type { NtpStatus, TimeControl } from '../host/host.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import type { SystemConfigStore } from '../settings/system-config.ts';
import { posixZone, processZone, renderChronyConf, timeProblems, timeSettingsSchema, zoneOffsetMinutes, type TimeSettings } from '../system/time-settings.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';

export interface TimeView {
  settings: TimeSettings;
  revision: string;
  /** The box's clock, epoch ms. */
  now: number;
  /** Minutes east of UTC of the zone in force. */
  utcOffsetMinutes: number;
  /** chrony's state; null when NTP is off or chrony does not answer. */
  ntp: NtpStatus | null;
}

/** Dates the box accepts by hand: 2000-01-01 … 2099-12-31. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

export class TimeService {
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      store: SystemConfigStore;
      time: TimeControl;
      audit: Auditor;
      now: () => number;
      /** Told after the clock was stepped by hand, with the step (ms). */
      onClockStep?: (stepMs: number) => void;
    },
  ) {}

  /** At start-up: the zone and NTP as saved (the box's files may predate them). */
  async start(): Promise<void> {
    const s = this.deps.store.config.time;
    await this.deps.time.setZone(posixZone(s.zone), processZone(s.zone));
    await this.deps.time.applyNtp(s.ntp ? renderChronyConf(s) : null);
  }

  async view(): Promise<TimeView> {
    const settings = this.deps.store.config.time;
    return {
      settings,
      revision: revisionOf(settings),
      now: this.deps.now(),
      utcOffsetMinutes: zoneOffsetMinutes(settings.zone) ?? 0,
      ntp: settings.ntp ? await this.deps.time.ntpStatus().catch(() => null) : null,
    };
  }

  /** chrony's state (the console's `ntp`). */
  ntpStatus(): Promise<NtpStatus | null> {
    return this.deps.time.ntpStatus();
  }

  check(input: unknown): TimeSettings {
    const parsed = timeSettingsSchema.safeParse(input);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', `time settings: ${describeZodError(parsed.error)}`);
    const problems = timeProblems(parsed.data);
    if (problems.length) throw new RecorderError('BAD_REQUEST', `time settings: ${problems.join('; ')}`, { problems });
    return parsed.data;
  }

  /** Applies and saves time settings; `dateTime` (epoch ms) sets the clock and is only taken while NTP is off. */
  set(principal: Principal, input: unknown, options: { ifRevision?: string; dateTime?: number } = {}): Promise<TimeView> {
    return this.inTurn(() =>
      this.deps.audit.run(
        principal,
        { item: 'system', operation: 'set', parameter: 'time', detail: (JSON.stringify({ ...(input as object), dateTime: options.dateTime }) ?? '').slice(0, 900) },
        async () => {
          const next = this.check(input);
          if (options.dateTime !== undefined) {
            if (next.ntp) throw new RecorderError('BAD_REQUEST', 'dateTime (日期-时间): set by hand only while NTP is off (NTP启用开关 关闭)');
            checkDate(options.dateTime);
          }
          const prev = this.deps.store.config.time;
          if (options.ifRevision !== undefined && options.ifRevision !== revisionOf(prev)) throw new RecorderError('stale');
          const { time } = this.deps;
          const undo: Array<() => Promise<void>> = [];
          try {
            if (next.zone !== prev.zone) {
              await time.setZone(posixZone(next.zone), processZone(next.zone));
              undo.push(() => time.setZone(posixZone(prev.zone), processZone(prev.zone)));
            }
            if (JSON.stringify({ ...next, zone: '' }) !== JSON.stringify({ ...prev, zone: '' })) {
              await time.applyNtp(next.ntp ? renderChronyConf(next) : null);
              undo.push(() => time.applyNtp(prev.ntp ? renderChronyConf(prev) : null));
            }
            if (options.dateTime !== undefined) await this.step(options.dateTime);
            await this.deps.store.update((c) => ({ next: { ...c, time: next }, value: undefined }));
          } catch (e) {
            for (const u of undo.reverse()) await u().catch(() => undefined);
            if (e instanceof RecorderError) throw e;
            throw new RecorderError('TIME_APPLY_FAILED', `The time settings could not be applied (${(e as Error).message}); the previous settings are in force`);
          }
          return this.view();
        },
      ),
    );
  }

  /** Sets the date and time by hand (the console's `date`); refused while NTP is on. */
  setClock(principal: Principal, ms: number): Promise<TimeView> {
    return this.inTurn(() =>
      this.deps.audit.run(principal, { item: 'system', operation: 'set', parameter: 'date', detail: new Date(ms).toISOString() }, async () => {
        if (this.deps.store.config.time.ntp) throw new RecorderError('BAD_REQUEST', 'the clock follows NTP; turn NTP off (时间设置) to set it by hand');
        checkDate(ms);
        try {
          await this.step(ms);
        } catch (e) {
          throw new RecorderError('TIME_APPLY_FAILED', `The clock could not be set (${(e as Error).message})`);
        }
        return this.view();
      }),
    );
  }

  private async step(ms: number): Promise<void> {
    const before = this.deps.now();
    await this.deps.time.setClock(ms);
    this.deps.onClockStep?.(this.deps.now() - before);
  }

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    const run = this.turn.then(op);
    this.turn = run.catch(() => undefined);
    return run;
  }
}

function checkDate(ms: number): void {
  if (!Number.isFinite(ms) || ms < EARLIEST || ms >= LATEST) {
    throw new RecorderError('BAD_REQUEST', 'dateTime (日期-时间): a date between 2000-01-01 and 2099-12-31');
  }
}
