/** 邮件推送 (manual 3.18): the sending mailbox, up to 5 recipients with their last send, alarm mails, and the test mail. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { fmtTime } from '../../time.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, checkNumber, usePresence } from '../../ui.tsx';
import { FormFoot, OnOff } from '../trunk/common.tsx';
import './maint-labels.ts';

const SLOTS = 5;
const EMAIL = /^[^\s@<>()"',;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.?$/;

interface Form {
  enabled: boolean;
  server: string;
  port: string;
  security: string;
  allowUntrustedCertificate: boolean;
  sender: string;
  authCode: string;
  clearAuthCode: boolean;
  recipients: string[];
  alarmSeverity: string;
  mailClears: boolean;
  minIntervalMinutes: string;
}

function toForm(s: any): Form {
  return {
    enabled: s.enabled, server: s.server, port: String(s.port), security: s.security, allowUntrustedCertificate: s.allowUntrustedCertificate,
    sender: s.sender, authCode: '', clearAuthCode: false,
    recipients: Array.from({ length: SLOTS }, (_, i) => s.recipients[i] ?? ''),
    alarmSeverity: s.alarmSeverity, mailClears: s.mailClears, minIntervalMinutes: String(s.minIntervalMinutes),
  };
}

/** The form's messages in the UI's language; empty when it may be sent. */
function check(f: Form): string[] {
  const errs: string[] = [];
  if (f.server.trim() && !HOST.test(f.server.trim())) errs.push(t('badHost'));
  const port = checkNumber(t('mailPort'), f.port, 1, 65535);
  if (port) errs.push(port);
  const interval = checkNumber(t('minInterval'), f.minIntervalMinutes, 1, 1440);
  if (interval) errs.push(interval);
  if (f.sender.trim() && !EMAIL.test(f.sender.trim())) errs.push(t('badEmail', { f: t('mailSender'), v: f.sender.trim() }));
  const recipients = f.recipients.map((r) => r.trim()).filter(Boolean);
  f.recipients.forEach((r, i) => {
    if (r.trim() && !EMAIL.test(r.trim())) errs.push(t('badEmail', { f: t('recipientN', { n: i + 1 }), v: r.trim() }));
  });
  if (new Set(recipients.map((r) => r.toLowerCase())).size !== recipients.length) errs.push(t('duplicateRecipient'));
  if (f.enabled && (!f.server.trim() || !f.sender.trim() || !recipients.length)) errs.push(t('mailNeeds'));
  return errs;
}

export function MailPush() {
  usePresence('settings/mail');
  const [loaded, setLoaded] = useState<any>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [text, setText] = useState(t('testTextDefault'));
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<any>(null);
  const show = (s: any) => {
    setLoaded(s);
    setForm(toForm(s));
    setErrors([]);
  };
  const load = () => get('/settings/mail').then(show, showError);
  useEffect(() => void load(), []);
  if (!loaded || !form) return <p>{t('loading')}</p>;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const input = (k: 'server' | 'port' | 'sender' | 'minIntervalMinutes', short = false) => (
    <input name={k} class={short ? 'short' : undefined} value={form[k]} disabled={!canEdit.value} onInput={(e) => set(k, e.currentTarget.value)} />
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs = check(form);
    setErrors(errs);
    if (errs.length) return;
    const body: Record<string, unknown> = {
      enabled: form.enabled, server: form.server.trim(), port: Number(form.port), security: form.security, allowUntrustedCertificate: form.allowUntrustedCertificate,
      sender: form.sender.trim(), recipients: form.recipients.map((r) => r.trim()).filter(Boolean),
      alarmSeverity: form.alarmSeverity, mailClears: form.mailClears, minIntervalMinutes: Number(form.minIntervalMinutes),
    };
    if (form.clearAuthCode) body.authCode = '';
    else if (form.authCode) body.authCode = form.authCode;
    try {
      show(await api('PATCH', '/settings/mail', { body, ifMatch: loaded.revision }));
      notify('ok', t('appliedNow'));
    } catch (x) {
      showError(x);
    }
  };
  const sendTest = async () => {
    setTesting(true);
    setTestResult(null);
    try {
      const r = await api('POST', '/mail/test', { body: { text } });
      setTestResult(r);
      await load();
    } catch (x) {
      showError(x);
    } finally {
      setTesting(false);
    }
  };
  const statusOf = (address: string) => loaded.recipientStatus.find((r: any) => r.address === address)?.last ?? null;
  return (
    <>
      <Section title={t('mailSettings')}>
        <PresenceWarning />
        <ReadOnlyNote />
        <form id="mail-settings" onSubmit={submit} onReset={(e) => (e.preventDefault(), show(loaded))}>
          <table class="form">
            <tbody>
              <Row label={t('mailEnabled')} hint={t('mailEnabledHint')}><OnOff name="enabled" value={form.enabled} onChange={(v) => set('enabled', v)} /></Row>
              <Row label={t('mailServer')} hint={t('mailServerHint')}>{input('server')}</Row>
              <Row label={t('mailPort')} hint="(1 ~ 65535)">{input('port', true)}</Row>
              <Row label={t('mailSecurity')}>
                <select name="security" value={form.security} disabled={!canEdit.value} onChange={(e) => set('security', e.currentTarget.value)}>
                  {['tls', 'starttls', 'none'].map((s) => <option key={s} value={s}>{t(`sec_${s}`)}</option>)}
                </select>{' '}
                <label class="inline">
                  <input type="checkbox" name="allowUntrustedCertificate" checked={form.allowUntrustedCertificate} disabled={!canEdit.value} onChange={(e) => set('allowUntrustedCertificate', e.currentTarget.checked)} /> {t('untrustedCert')}
                </label>
              </Row>
              <Row label={t('mailSender')}>{input('sender')}</Row>
              <Row label={t('mailAuthCode')} hint={t('authCodeHint')}>
                <input
                  name="authCode" type="password" autoComplete="new-password" value={form.authCode} disabled={!canEdit.value || form.clearAuthCode}
                  placeholder={loaded.authCodeSet ? t('authCodeSet') : t('authCodeNotSet')} onInput={(e) => set('authCode', e.currentTarget.value)}
                />{' '}
                <span data-testid="auth-code-state">{loaded.authCodeSet ? t('authCodeSet') : t('authCodeNotSet')}</span>{' '}
                {loaded.authCodeSet ? (
                  <label class="inline">
                    <input type="checkbox" name="clearAuthCode" checked={form.clearAuthCode} disabled={!canEdit.value} onChange={(e) => set('clearAuthCode', e.currentTarget.checked)} /> {t('clearAuthCode')}
                  </label>
                ) : null}
              </Row>
              {form.recipients.map((r, i) => {
                const saved: string | undefined = loaded.recipients[i];
                const last = saved && saved === r.trim() ? statusOf(saved) : null;
                return (
                  <Row key={i} label={t('recipientN', { n: i + 1 })}>
                    <input name={`recipient${i}`} value={r} disabled={!canEdit.value} onInput={(e) => set('recipients', form.recipients.map((x, j) => (j === i ? e.currentTarget.value : x)))} />{' '}
                    <span class={`send-status ${last ? (last.ok ? 'ok' : 'warn') : ''}`} data-testid={`recipient-status-${i}`} title={last?.detail ?? ''}>
                      {last ? `${last.ok ? t('sendOk') : t('sendFailed')} (${t(`kind_${last.kind}`)} ${fmtTime(last.at)})${last.ok ? '' : `: ${last.detail}`}` : r.trim() ? t('neverSent') : ''}
                    </span>
                  </Row>
                );
              })}
              <Row label={t('alarmSeverity')}>
                <select name="alarmSeverity" value={form.alarmSeverity} disabled={!canEdit.value} onChange={(e) => set('alarmSeverity', e.currentTarget.value)}>
                  {['critical', 'major', 'minor'].map((s) => <option key={s} value={s}>{t(`sevFloor_${s}`)}</option>)}
                </select>
              </Row>
              <Row label={t('mailClears')}><OnOff name="mailClears" value={form.mailClears} onChange={(v) => set('mailClears', v)} /></Row>
              <Row label={t('minInterval')} hint={t('minIntervalHint')}>{input('minIntervalMinutes', true)}</Row>
            </tbody>
          </table>
          <FormFoot errors={errors} onReload={load} />
        </form>
      </Section>
      <Section title={t('mailTest')}>
        <form id="mail-test" onSubmit={(e) => (e.preventDefault(), void sendTest())}>
          <table class="form">
            <tbody>
              <Row label={t('testText')}>
                <textarea name="testText" rows={3} value={text} onInput={(e) => setText(e.currentTarget.value)} />
              </Row>
            </tbody>
          </table>
          <div class="buttons">
            <button type="submit" disabled={!canEdit.value || testing}>{testing ? t('testSending') : t('testSend')}</button>
          </div>
        </form>
        {testResult ? (
          <div id="mail-test-result">
            <p>{t('testResult', { ok: testResult.sent, failed: testResult.failed })}</p>
            <ul>
              {testResult.results.map((r: any) => (
                <li key={r.address} class={r.ok ? 'ok' : 'warn'}>{r.address}: {r.ok ? t('sendOk') : t('sendFailed')} — {r.detail}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </Section>
    </>
  );
}
