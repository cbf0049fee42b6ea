/**
 * Sends one mail through the configured SMTP server (nodemailer): TLS from
 * the first byte, STARTTLS (required, never silently plain) or plain, with
 * the sender and its authorization code as the login. Each recipient gets
 * its own message (sent side by side), so each has its own outcome and
 * none sees the others.
 * A send never throws: every recipient's result says what happened.
 */
import nodemailer from 'nodemailer';
import type { MailSettings } from '../settings/mail-settings.ts';

export interface MailMessage {
  subject: string;
  text: string;
}

export interface RecipientResult {
  address: string;
  ok: boolean;
  /** The server's answer or the reason it failed, short enough to show. */
  detail: string;
}

export type SmtpAccount = Pick<MailSettings, 'server' | 'port' | 'security' | 'allowUntrustedCertificate' | 'sender' | 'authCode'>;

export interface SendOptions {
  /** Limits for connecting, the greeting and a quiet socket, ms. */
  timeoutMs?: number;
}

const MAX_DETAIL = 300;

export async function sendToEach(account: SmtpAccount, recipients: readonly string[], message: MailMessage, options: SendOptions = {}): Promise<RecipientResult[]> {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: account.server,
    port: account.port,
    secure: account.security === 'tls',
    requireTLS: account.security === 'starttls',
    ignoreTLS: account.security === 'none',
    auth: account.authCode ? { user: account.sender, pass: account.authCode } : undefined,
    tls: { rejectUnauthorized: !account.allowUntrustedCertificate, minVersion: 'TLSv1.2' },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout * 2,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    // In parallel, so an unreachable server costs one timeout, not one per recipient.
    return await Promise.all(
      recipients.map(async (address): Promise<RecipientResult> => {
        try {
          const info = await transport.sendMail({ from: account.sender, to: address, subject: message.subject, text: message.text });
          const accepted = info.accepted.map(String).some((a) => a.toLowerCase() === address.toLowerCase());
          return { address, ok: accepted, detail: short(accepted ? String(info.response ?? 'accepted') : `refused by the server: ${String(info.response ?? '')}`) };
        } catch (e) {
          return { address, ok: false, detail: short(reasonOf(e)) };
        }
      }),
    );
  } finally {
    transport.close();
  }
}

function reasonOf(e: unknown): string {
  const err = e as { code?: string; response?: string; message?: string };
  const text = err.response ?? err.message ?? String(e);
  return err.code && !text.includes(err.code) ? `${err.code}: ${text}` : text;
}

function short(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_DETAIL ? `${one.slice(0, MAX_DETAIL - 1)}…` : one;
}
