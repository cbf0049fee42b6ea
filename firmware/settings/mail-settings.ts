/**
 * Email push (邮件推送, manual 3.18): the SMTP server of the sending mailbox,
 * its port and security, the sender and its authorization code (授权码, a
 * secret: kept in the settings file, never answered by the API), up to 5
 * recipients, and how alarms are mailed: from which severity, and at most
 * one mail per interval (alarms that come and go in between are gathered
 * into the next mail). Off from the factory.
 */
import { z } from 'zod';
import { patchSchema } from './patch-schema.ts';

export const MAX_RECIPIENTS = 5;

/** A host name (letters, digits, dots, hyphens) or an IPv4 address; never an option or a URL. */
export const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?$/;

const EMAIL = /^[^\s@<>()"',;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const address = z.string().trim().max(254).regex(EMAIL, 'an email address such as alerts@example.com');

export const mailSettingsSchema = z.object({
  /** 启用开关 */
  enabled: z.boolean().default(false),
  /** 发送邮箱服务器 */
  server: z.union([z.literal(''), z.string().trim().regex(HOST_NAME, 'a host name such as smtp.163.com or an IPv4 address')]).default('smtp.163.com'),
  /** 端口 (465: TLS from the start; 587 or 25: STARTTLS). */
  port: z.number().int().min(1).max(65535).default(465),
  /** tls: TLS from the first byte; starttls: plain, then STARTTLS (required); none: no encryption (a local relay only). */
  security: z.enum(['tls', 'starttls', 'none']).default('tls'),
  /** Accept a server certificate no known authority signed (a relay with its own certificate). */
  allowUntrustedCertificate: z.boolean().default(false),
  /** 发送邮箱 */
  sender: z.union([z.literal(''), address]).default(''),
  /** 发送邮箱授权码 (not the mailbox password). */
  authCode: z.string().max(256).default(''),
  /** 接收邮箱: up to 5. */
  recipients: z.array(address).max(MAX_RECIPIENTS, `at most ${MAX_RECIPIENTS} recipients`).default([]),
  /** Alarms of this severity and worse are mailed. */
  alarmSeverity: z.enum(['critical', 'major', 'minor']).default('major'),
  /** Cleared alarms are mailed too. */
  mailClears: z.boolean().default(true),
  /** At least this many minutes between two alarm mails. */
  minIntervalMinutes: z.number().int().min(1).max(1440).default(10),
});

export type MailSettings = z.infer<typeof mailSettingsSchema>;
export const DEFAULT_MAIL_SETTINGS: Readonly<MailSettings> = Object.freeze(mailSettingsSchema.parse({}));
export const mailPatchSchema = patchSchema(mailSettingsSchema);
export type MailPatch = Partial<MailSettings>;

/** Rules between fields; a message naming them, or null. */
export function mailRuleBroken(m: MailSettings): string | null {
  if (new Set(m.recipients.map((r) => r.toLowerCase())).size !== m.recipients.length) return 'recipients (接收邮箱) must differ';
  if (!m.enabled) return null;
  if (!m.server) return 'server (发送邮箱服务器) is needed to send mail';
  if (!m.sender) return 'sender (发送邮箱) is needed to send mail';
  if (!m.recipients.length) return 'at least one recipient (接收邮箱) is needed to send mail';
  return null;
}
