/**
 * Wiring of the field-maintenance services (docs/maintenance.md): email push
 * with alarm mails, saved system logs (on demand, on a fault, after an
 * unclean stop) with the running log kept within its budget, processing
 * info and ping. Called by the daemon once its parts exist.
 */
import type { Logger } from 'pino';
import type { Host, TimerHandle } from './host/host.ts';
import type { Board } from './board/board-schema.ts';
import type { AlarmList } from './alarms/alarm-list.ts';
import type { SettingsStore } from './settings/settings-store.ts';
import type { EventBus } from './events/event-bus.ts';
import type { LineCardLink } from './linecard/linecard-link.ts';
import type { Recorder } from './recording/recorder.ts';
import type { Auditor } from './app/audit.ts';
import type { DeviceService } from './app/device-service.ts';
import type { AlarmService } from './app/alarm-service.ts';
import type { JournalService } from './app/journal-service.ts';
import { MailService } from './app/mail-service.ts';
import { SystemLogService } from './app/system-log-service.ts';
import { DiagnosticsService } from './app/diagnostics-service.ts';
import { AlarmMailer } from './mail/alarm-mailer.ts';
import { RecipientStatusBook } from './mail/recipient-status.ts';
import { sendToEach, type MailMessage } from './mail/smtp-sender.ts';
import type { MailSettings } from './settings/mail-settings.ts';
import type { BoxIdentity } from './mail/mail-text.ts';
import { SavedLogs, DEFAULT_SAVED_LOG_LIMITS, type SavedLogLimits } from './logs/saved-logs.ts';
import { FaultSaves, markRunning, markStopped } from './logs/fault-saves.ts';
import { rotateIfLarge, DEFAULT_ROTATION, type RotationLimits } from './logs/log-rotation.ts';
import { RUNNING_LOG } from './app/system-log-service.ts';
import { VERSION } from './version.ts';

export interface MaintenanceOptions {
  savedLogs?: SavedLogLimits;
  rotation?: RotationLimits;
  /** Wait after a fault before its log is saved, ms. */
  faultSaveDelayMs?: number;
  /** Wait after the first alarm for others before mailing, ms. */
  mailGatherMs?: number;
}

export interface MaintenanceDeps {
  host: Host;
  board: Board;
  log: Logger;
  alarms: AlarmList;
  settings: SettingsStore;
  events: EventBus;
  link: LineCardLink;
  recorder: Recorder;
  auditor: Auditor;
  device: DeviceService;
  alarmService: AlarmService;
  journal: JournalService;
  channels: () => { analog: number; e1Timeslots: number; recording: number };
  startedAt: number;
  /** Recordings a power loss left open that start-up closed. */
  recoveredAtStart: number;
  options?: MaintenanceOptions;
}

export interface Maintenance {
  mail: MailService;
  systemLog: SystemLogService;
  diagnostics: DiagnosticsService;
  stop(): Promise<void>;
}

const ROTATE_CHECK_MS = 60_000;

export async function startMaintenance(d: MaintenanceDeps): Promise<Maintenance> {
  const { host, log, alarms, settings, auditor } = d;
  const now = () => host.clock.now();
  const serial = await host.sensors.boardId().catch(() => null);
  const box = (): BoxIdentity => ({ model: d.board.model, serial });
  const mailLog = log.child({ part: 'mail' });
  const statuses = await RecipientStatusBook.open(host.paths.config, (e) => mailLog.warn({ err: e.message }, 'mail status not saved'));
  const send = (s: Readonly<MailSettings>, message: MailMessage) => sendToEach(s, s.recipients, message);
  const mailer = new AlarmMailer({ alarms, clock: host.clock, settings: () => settings.mail, send, statuses, box, log: mailLog, gatherMs: d.options?.mailGatherMs });
  mailer.start();
  const mail = new MailService(settings, statuses, send, box, auditor, now);

  const diagnostics = new DiagnosticsService({
    shell: host.shell, audit: auditor, now, startedAt: d.startedAt,
    sources: {
      link: () => ({ up: d.link.up, stats: d.link.stats }),
      recorder: () => ({ ...d.recorder.queue, stats: { ...d.recorder.stats } }),
      events: () => ({ ...d.events.queueStats(), ...d.events.stats }),
      mail: () => ({ ...mailer.stats, waiting: mailer.waiting }),
      channels: d.channels,
    },
  });

  const snapshot = async (reason: string) => {
    const [info, history, operations] = await Promise.all([
      d.device.info().catch((e: unknown) => ({ error: (e as Error).message })),
      d.alarmService.history({ limit: 100 }).catch(() => null),
      d.journal.operations({ limit: 100 }).catch(() => null),
    ]);
    const { authCode: _secret, ...mailSettings } = settings.mail;
    return {
      reason, savedAt: new Date(now()).toISOString(), version: VERSION, board: d.board.model,
      device: info, status: d.device.status(), processing: diagnostics.processing(),
      activeAlarms: d.alarmService.active(), alarmHistory: history?.items ?? null, operations: operations?.items ?? null,
      settings: { recording: settings.recording, mail: mailSettings },
    };
  };
  const kernelLog = async (): Promise<Record<string, string>> => {
    const r = await host.shell.run('dmesg', [], { timeoutMs: 3000 }).catch(() => null);
    return r && r.code === 0 && r.stdout ? { 'dmesg.txt': r.stdout.slice(-512 * 1024) } : {};
  };
  const savedLogs = new SavedLogs(host.paths.log, d.options?.savedLogs ?? DEFAULT_SAVED_LOG_LIMITS);
  const systemLog = new SystemLogService({ logs: savedLogs, logDir: host.paths.log, snapshot, texts: kernelLog, audit: auditor, now });

  const faults = new FaultSaves({
    clock: host.clock,
    save: (reason) => systemLog.saveForFault(reason),
    onError: (reason, e) => log.error({ reason, err: e.message }, 'system log not saved after a fault'),
    delayMs: d.options?.faultSaveDelayMs,
  });
  const stopFaults = alarms.onChange((c) => faults.onAlarm(c));
  const unclean = await markRunning(host.paths.log, now()).catch((e: unknown) => {
    log.warn({ err: (e as Error).message }, 'log folder not writable');
    return false;
  });
  if (unclean || d.recoveredAtStart > 0) faults.fault('restart-after-fault');

  const rotation = d.options?.rotation ?? DEFAULT_ROTATION;
  let rotating = false;
  const rotate: TimerHandle = host.clock.setInterval(() => {
    if (rotating) return;
    rotating = true;
    rotateIfLarge(host.paths.log, RUNNING_LOG, rotation)
      .catch((e: unknown) => log.warn({ err: (e as Error).message }, 'log not rotated'))
      .finally(() => (rotating = false));
  }, ROTATE_CHECK_MS);

  return {
    mail,
    systemLog,
    diagnostics,
    stop: async () => {
      rotate.cancel();
      stopFaults();
      await faults.stop();
      await mailer.stop();
      diagnostics.close();
      await markStopped(host.paths.log).catch(() => undefined);
    },
  };
}
