/**
 * Email push (邮件推送, manual 3.18): the SMTP settings (the authorization
 * code is written, never read back), each recipient's last send, and the
 * test mail. Alarm mails go out by themselves (mail/alarm-mailer.ts).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { RecorderError } from '../errors.ts';
import type { SettingsStore } from '../settings/settings-store.ts';
import type { MailPatch, MailSettings } from '../settings/mail-settings.ts';
import type { RecipientStatus, RecipientStatusBook } from '../mail/recipient-status.ts';
import { testMail, type BoxIdentity } from '../mail/mail-text.ts';
import type { MailMessage, RecipientResult } from '../mail/smtp-sender.ts';
import type { Auditor } from './audit.ts';
import type { Principal } from './principal.ts';
import { revisionOf } from './settings-service.ts';
import { SettingsTurn } from './settings-turn.ts';

export { mailPatchSchema, MAX_RECIPIENTS } from '../settings/mail-settings.ts';

/** The settings as anyone may read them: the authorization code replaced by whether one is set. */
export type MailSettingsView = Omit<MailSettings, 'authCode'> & {
  authCodeSet: boolean;
  /** Each recipient with its last send, null before the first. */
  recipientStatus: Array<{ address: string; last: RecipientStatus | null }>;
};

export interface TestMailResult {
  at: number;
  results: RecipientResult[];
}

export const DEFAULT_TEST_TEXT = '这是一封来自录音设备的测试邮件。This is a test mail from the call recorder.';

export class MailService {
  /** Stands for the authorization code in revisions: a digest that changes with it and tells nothing outside this process. */
  private readonly codeKey = randomBytes(16);
  private readonly turns = new SettingsTurn();

  constructor(
    private readonly store: SettingsStore,
    private readonly statuses: RecipientStatusBook,
    private readonly send: (settings: Readonly<MailSettings>, message: MailMessage) => Promise<RecipientResult[]>,
    private readonly box: () => BoxIdentity,
    private readonly audit: Auditor,
    private readonly now: () => number,
  ) {}

  settings(): MailSettingsView {
    const { authCode, ...rest } = this.store.mail;
    return {
      ...rest,
      authCodeSet: authCode !== '',
      recipientStatus: rest.recipients.map((address) => ({ address, last: this.statuses.of(address) })),
    };
  }

  revision(): string {
    const { authCode, ...rest } = this.store.mail;
    return revisionOf({ ...rest, code: createHmac('sha256', this.codeKey).update(authCode).digest('base64url') });
  }

  /** `authCode` left out keeps the one set; '' removes it. Refused (stale) when the page changed since `ifRevision`. */
  async update(principal: Principal, patch: MailPatch, ifRevision?: string): Promise<MailSettingsView> {
    const shown = { ...patch, ...(patch.authCode !== undefined ? { authCode: patch.authCode ? '(changed)' : '(removed)' } : {}) };
    await this.audit.run(principal, { item: 'system', operation: 'set', parameter: `mail:${Object.keys(patch).join(',') || 'none'}`, detail: JSON.stringify(shown) }, () =>
      this.inTurn(ifRevision, () => this.store.updateMail(patch)),
    );
    return this.settings();
  }

  /** The test mail (邮件测试) with the text given, to every recipient; each one's result is also its last status. */
  async sendTest(principal: Principal, text: string = DEFAULT_TEST_TEXT): Promise<TestMailResult> {
    return this.audit.run(
      principal,
      { item: 'system', operation: 'test', parameter: 'mail' },
      async () => {
        const s = this.store.mail;
        const missing = !s.server ? 'the server (发送邮箱服务器)' : !s.sender ? 'the sender (发送邮箱)' : !s.recipients.length ? 'a recipient (接收邮箱)' : null;
        if (missing) throw new RecorderError('MAIL_NOT_CONFIGURED', `set ${missing} first`);
        const at = this.now();
        const results = await this.send(s, testMail(this.box(), text.trim() || DEFAULT_TEST_TEXT, at));
        this.statuses.record('test', at, results, s.recipients);
        return { at, results };
      },
      (r) => r.results.map((x) => `${x.address}: ${x.ok ? 'sent' : `failed (${x.detail})`}`).join('; '),
    );
  }

  private inTurn<T>(ifRevision: string | undefined, change: () => Promise<T>): Promise<T> {
    return this.turns.run(() => this.revision(), ifRevision, change);
  }
}
