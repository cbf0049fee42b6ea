/**
 * System settings (系统设置): web port, watchdog and its time, SSH, FTP and
 * the CPU-use alarm threshold. A change is applied step by step (SSH, FTP,
 * watchdog, web port) and each step already taken is put back when a later
 * one fails, so the previous settings stay in force; then it is saved. At
 * start-up the saved SSH, FTP and watchdog settings are applied. Multi-user
 * operation and the automatic sign-out time are the web access settings
 * (`auth.access`).
 */
import type { Clock, CpuMeter, SystemDaemon, SystemDaemons, TimerHandle } from '../host/host.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import type { SystemConfigStore } from '../settings/system-config.ts';
import { systemSettingsSchema, type SystemSettings } from '../system/system-settings.ts';
import { CpuAlarm } from '../system/cpu-alarm.ts';
import type { Auditor } from './audit.ts';
import type { AlarmSink } from './network-service.ts';
import type { Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';
import type { FeederLog, WatchdogFeeder, WatchdogStatus } from './watchdog-feeder.ts';

export const CPU_SAMPLE_MS = 5000;

/** The HTTP listener, moved to another port by a change of the web port. */
export interface WebListener {
  readonly port: number;
  /** Listens on `port` (rejecting when it cannot), then closes the old listener. */
  move(port: number): Promise<void>;
}

export interface SystemView {
  settings: SystemSettings;
  revision: string;
  watchdog: WatchdogStatus;
  /** System CPU use over the last sample, percent; null before the second sample. */
  cpuPercent: number | null;
}

export class SystemService {
  private web: WebListener | null = null;
  private readonly cpuAlarm = new CpuAlarm();
  private cpuTimer: TimerHandle | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      store: SystemConfigStore;
      daemons: SystemDaemons;
      cpu: CpuMeter;
      feeder: WatchdogFeeder;
      audit: Auditor;
      clock: Clock;
      alarms: AlarmSink;
      log: FeederLog;
      /** The port the daemon was started with (used until a web port is saved). */
      startPort?: number;
    },
  ) {}

  /** The interface that serves HTTP attaches its listener so a web port change moves it. */
  attachWebListener(listener: WebListener): void {
    this.web = listener;
  }

  /** The web port saved in the settings, null while none is (the entry point's port is used). */
  get savedWebPort(): number | null {
    return this.deps.store.config.system.webPort ?? null;
  }

  settings(): SystemSettings {
    const s = this.deps.store.config.system;
    return { ...s, webPort: this.web?.port ?? s.webPort ?? this.deps.startPort ?? 80 };
  }

  view(): SystemView {
    const settings = this.settings();
    return { settings, revision: revisionOf(settings), watchdog: this.deps.feeder.status, cpuPercent: this.cpuAlarm.percent };
  }

  /** At start-up: SSH, FTP and the watchdog as saved (a failure is an alarm, recording goes on), and the CPU check. */
  async start(): Promise<void> {
    const s = this.deps.store.config.system;
    for (const d of ['ssh', 'ftp'] as const) {
      await this.deps.daemons.set(d, s[d]).then(
        () => this.deps.alarms.clear(`${d}-service`),
        (e: unknown) => this.deps.alarms.raise(`${d}-service`, 'minor', 'device', `${d.toUpperCase()} not ${s[d] ? 'started' : 'stopped'}: ${(e as Error).message}`, this.deps.clock.now()),
      );
    }
    if (s.watchdog) {
      await this.deps.feeder.enable(s.watchdogTimeoutS).then(
        () => this.deps.alarms.clear('watchdog'),
        (e: unknown) => this.deps.alarms.raise('watchdog', 'major', 'device', `watchdog not available: ${(e as Error).message}`, this.deps.clock.now()),
      );
    }
    this.cpuAlarm.sample(this.deps.cpu.times(), 0);
    this.cpuTimer = this.deps.clock.setInterval(() => this.sampleCpu(), CPU_SAMPLE_MS);
  }

  check(input: unknown): SystemSettings {
    const parsed = systemSettingsSchema.safeParse(input);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', `system settings: ${describeZodError(parsed.error)}`);
    return parsed.data;
  }

  set(principal: Principal, input: unknown, ifRevision?: string): Promise<SystemView> {
    return this.inTurn(() =>
      this.deps.audit.run(principal, { item: 'system', operation: 'set', parameter: 'system-settings', detail: (JSON.stringify(input) ?? '').slice(0, 900) }, async () => {
        const next = this.check(input);
        const prev = this.settings();
        if (ifRevision !== undefined && ifRevision !== revisionOf(prev)) throw new RecorderError('stale');
        const undo: Array<() => Promise<void>> = [];
        try {
          for (const d of ['ssh', 'ftp'] as const satisfies SystemDaemon[]) {
            if (next[d] === prev[d]) continue;
            await this.deps.daemons.set(d, next[d]);
            undo.push(() => this.deps.daemons.set(d, prev[d]));
          }
          if (next.watchdog !== prev.watchdog || next.watchdogTimeoutS !== prev.watchdogTimeoutS) {
            if (next.watchdog) await this.deps.feeder.enable(next.watchdogTimeoutS);
            else await this.deps.feeder.disable();
            undo.push(() => (prev.watchdog ? this.deps.feeder.enable(prev.watchdogTimeoutS) : this.deps.feeder.disable()));
          }
          if (next.webPort !== prev.webPort && this.web) {
            const web = this.web;
            await web.move(next.webPort);
            undo.push(() => web.move(prev.webPort));
          }
          await this.deps.store.update((c) => ({ next: { ...c, system: next }, value: undefined }));
        } catch (e) {
          for (const u of undo.reverse()) await u().catch(() => undefined);
          throw new RecorderError('SYSTEM_APPLY_FAILED', `The system settings could not be applied (${(e as Error).message}); the previous settings are in force`);
        }
        if (!next.watchdog) this.deps.alarms.clear('watchdog');
        if (next.cpuAlarmPercent === 0) this.deps.alarms.clear('cpu-high');
        return this.view();
      }),
    );
  }

  private sampleCpu(): void {
    const threshold = this.deps.store.config.system.cpuAlarmPercent;
    const d = this.cpuAlarm.sample(this.deps.cpu.times(), threshold);
    if (!d) return;
    if ('raise' in d) this.deps.alarms.raise('cpu-high', 'major', 'device', `CPU use ${d.raise}% at or above the alarm threshold ${threshold}% (CPU使用率过高)`, this.deps.clock.now());
    else this.deps.alarms.clear('cpu-high');
  }

  async stop(): Promise<void> {
    this.cpuTimer?.cancel();
    await this.deps.feeder.disable();
  }

  private inTurn<T>(op: () => Promise<T>): Promise<T> {
    const run = this.turn.then(op);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
