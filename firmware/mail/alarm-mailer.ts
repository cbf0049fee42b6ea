/**
 * Alarms mailed to the recipients of the email push settings. The alarm
 * list's listener only notes the change (no I/O, nothing awaited), so
 * recording never waits for a mail server; the mail goes out later from a
 * timer, gathered and paced by `AlarmDigest`/`sendAt`. A failed send is
 * recorded per recipient and logged; its alarms are not sent again.
 */
import type { AlarmChange } from '../alarms/alarm-list.ts';
import type { Clock, TimerHandle } from '../host/host.ts';
import type { MailSettings } from '../settings/mail-settings.ts';
import { AlarmDigest, sendAt, severityAtLeast } from './alarm-digest.ts';
import { alarmMail, type BoxIdentity } from './mail-text.ts';
import type { RecipientStatusBook } from './recipient-status.ts';
import type { MailMessage, RecipientResult } from './smtp-sender.ts';

export interface AlarmMailerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface AlarmMailerDeps {
  alarms: { onChange(listener: (c: AlarmChange) => void): () => void };
  clock: Clock;
  settings: () => Readonly<MailSettings>;
  send: (settings: Readonly<MailSettings>, message: MailMessage) => Promise<RecipientResult[]>;
  statuses: RecipientStatusBook;
  box: () => BoxIdentity;
  log: AlarmMailerLog;
  /** How long the first change waits for others (a burst is one mail). */
  gatherMs?: number;
}

export const GATHER_MS = 10_000;

export class AlarmMailer {
  private readonly digest = new AlarmDigest();
  private timer: TimerHandle | null = null;
  /** Stopped: nothing more is scheduled (a mail being sent finishes). */
  private stopped = false;
  private timerAt = 0;
  private lastSentAt: number | null = null;
  private sending: Promise<void> | null = null;
  private stopListening: (() => void) | null = null;
  /** Alarm changes noted, mails sent (to at least one recipient), mails that reached nobody. */
  readonly stats = { noted: 0, mails: 0, failedMails: 0 };

  constructor(private readonly deps: AlarmMailerDeps) {}

  start(): void {
    this.stopListening ??= this.deps.alarms.onChange((c) => this.note(c));
  }

  /** Stops listening; a mail being sent finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopListening?.();
    this.stopListening = null;
    this.timer?.cancel();
    this.timer = null;
    await this.sending;
    await this.deps.statuses.flushed();
  }

  /** Settles when no mail is being sent. */
  async idle(): Promise<void> {
    await this.sending;
  }

  /** Alarm changes waiting for the next mail. */
  get waiting(): boolean {
    return !this.digest.empty;
  }

  private note(c: AlarmChange): void {
    if (c.kind === 'updated') return; // a repeat of an active alarm: already mailed or waiting
    const s = this.deps.settings();
    if (!s.enabled || !s.recipients.length) return;
    if (!severityAtLeast(c.alarm.severity, s.alarmSeverity)) return;
    if (c.kind === 'cleared' && !s.mailClears) return;
    this.stats.noted++;
    this.digest.add({ kind: c.kind, id: c.alarm.id, severity: c.alarm.severity, area: c.alarm.area, message: c.alarm.message, at: c.at });
    this.schedule();
  }

  private schedule(): void {
    const since = this.digest.pendingSince;
    if (since === null || this.sending || this.stopped) return;
    const at = sendAt({
      pendingSince: since, lastSentAt: this.lastSentAt, gatherMs: this.deps.gatherMs ?? GATHER_MS, intervalMs: this.deps.settings().minIntervalMinutes * 60_000,
    });
    if (this.timer && this.timerAt === at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, Math.max(0, at - this.deps.clock.now()));
  }

  private flush(): void {
    const s = this.deps.settings();
    const digest = this.digest.take();
    if (!digest || !s.enabled || !s.recipients.length) return;
    const at = this.deps.clock.now();
    this.lastSentAt = at;
    const message = alarmMail(this.deps.box(), digest);
    this.sending = this.deps
      .send(s, message)
      .then((results) => {
        this.deps.statuses.record('alarm', at, results, this.deps.settings().recipients);
        const failed = results.filter((r) => !r.ok);
        if (failed.length === results.length) this.stats.failedMails++;
        else this.stats.mails++;
        if (failed.length) this.deps.log.warn({ failed: failed.map((f) => `${f.address}: ${f.detail}`) }, 'alarm mail not delivered to every recipient');
        else this.deps.log.info({ recipients: results.length, alarms: digest.entries.length }, 'alarm mail sent');
      })
      .catch((e: unknown) => this.deps.log.warn({ err: (e as Error).message }, 'alarm mail failed'))
      .finally(() => {
        this.sending = null;
        this.schedule();
      });
  }
}
