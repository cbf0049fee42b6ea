/**
 * 系统设置 (manual 3.13): web port, multi-user operation and the automatic
 * sign-out time (the web access settings, administrators only), watchdog and
 * its time, SSH, FTP, and the CPU-use alarm threshold (manual 3.5).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, checkNumber, isAdmin, usePresence } from '../../ui.tsx';
import { FormFoot, OnOff } from '../trunk/common.tsx';
import './netsys-labels.ts';

type Form = Record<string, string | boolean>;
const NUMBERS: Array<[string, string, number, number]> = [
  ['webPort', 'nsWebPort', 1, 65535],
  ['watchdogTimeoutS', 'nsWatchdogTime', 20, 255],
  ['cpuAlarmPercent', 'nsCpuAlarm', 0, 100],
  ['idleLogoutMinutes', 'nsIdleLogout', 1, 1440],
];

function toForm(s: any, access: any): Form {
  return {
    webPort: String(s.webPort), watchdog: s.watchdog, watchdogTimeoutS: String(s.watchdogTimeoutS), ssh: s.ssh, ftp: s.ftp, cpuAlarmPercent: String(s.cpuAlarmPercent),
    multiUser: Boolean(access?.multiUser), idleLogoutMinutes: String(access?.idleLogoutMinutes ?? ''),
  };
}

export function SystemSettings() {
  usePresence('system/settings');
  const [loaded, setLoaded] = useState<any>(null);
  const [access, setAccess] = useState<any>(null);
  const [form, setForm] = useState<Form>({});
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const [s, a] = await Promise.all([get('/system/settings'), get('/settings/access').catch(() => null)]);
      setLoaded(s);
      setAccess(a);
      setForm(toForm(s, a));
      setErrors([]);
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  if (!loaded) return <p>{t('loading')}</p>;
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });
  const num = (k: string, disabled = false) => (
    <input name={k} class="short" inputMode="numeric" value={String(form[k] ?? '')} disabled={!canEdit.value || disabled} onInput={(e) => set(k, e.currentTarget.value)} />
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    for (const [k, label, min, max] of NUMBERS) {
      if (k === 'idleLogoutMinutes' && !(isAdmin.value && access)) continue;
      const m = checkNumber(t(label), String(form[k]), min, max);
      if (m) errs.push(m);
    }
    setErrors(errs);
    if (errs.length) return;
    try {
      const body = {
        webPort: Number(form.webPort), watchdog: Boolean(form.watchdog), watchdogTimeoutS: Number(form.watchdogTimeoutS),
        ssh: Boolean(form.ssh), ftp: Boolean(form.ftp), cpuAlarmPercent: Number(form.cpuAlarmPercent),
      };
      const s = await api('PUT', '/system/settings', { body, ifMatch: loaded.revision });
      let a = access;
      if (isAdmin.value && access && (Boolean(form.multiUser) !== access.multiUser || Number(form.idleLogoutMinutes) !== access.idleLogoutMinutes)) {
        a = await api('PUT', '/settings/access', { body: { ...access, revision: undefined, multiUser: Boolean(form.multiUser), idleLogoutMinutes: Number(form.idleLogoutMinutes) } });
      }
      setLoaded(s);
      setAccess(a);
      setForm(toForm(s, a));
      if (s.webPort !== loaded.webPort) {
        notify('ok', t('nsMovingPort', { p: s.webPort }));
        setTimeout(() => (location.port = String(s.webPort)), 1500);
      } else notify('ok', t('nsSystemSaved'));
    } catch (x) {
      showError(x);
      const m = (x as { message?: string }).message;
      if (m) setErrors([m]);
    }
  };
  const wd = loaded.watchdogStatus;
  const wdText = !wd?.active ? t('nsWdOff') : wd.healthy ? t('nsWdActive', { n: wd.feeds }) : t('nsWdUnhealthy', { r: wd.reasons.join('; ') });
  const accessEditable = isAdmin.value && access !== null;
  return (
    <Section title={t('nsSystemSettings')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <form id="system-settings" onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm(toForm(loaded, access)), setErrors([]))}>
        <h3>{t('nsWebMgmt')}</h3>
        <table class="form">
          <tbody>
            <Row label={t('nsWebPort')} hint="(1 ~ 65535)">{num('webPort')}</Row>
            <Row label={t('nsMultiUser')} hint={accessEditable ? '' : t('nsAdminOnly')}>
              <select name="multiUser" value={form.multiUser ? '1' : '0'} disabled={!accessEditable} onChange={(e) => set('multiUser', e.currentTarget.value === '1')}>
                <option value="1">{t('on')}</option>
                <option value="0">{t('off')}</option>
              </select>
            </Row>
            <Row label={t('nsIdleLogout')} hint={accessEditable ? '(1 ~ 1440)' : t('nsAdminOnly')}>{num('idleLogoutMinutes', !accessEditable)}</Row>
            <Row label={t('nsWatchdog')} hint={t('nsWatchdogHint')}>
              <OnOff name="watchdog" value={Boolean(form.watchdog)} onChange={(v) => set('watchdog', v)} />
            </Row>
            <Row label={t('nsWatchdogTime')} hint={t('nsWatchdogTimeHint')}>{num('watchdogTimeoutS')}</Row>
            <Row label={t('nsWatchdogState')}>
              <span data-testid="watchdog-state">{wdText}</span>
            </Row>
            <Row label={t('nsSsh')}>
              <OnOff name="ssh" value={Boolean(form.ssh)} onChange={(v) => set('ssh', v)} />
            </Row>
            <Row label={t('nsFtp')} hint={t('nsFtpHint')}>
              <OnOff name="ftp" value={Boolean(form.ftp)} onChange={(v) => set('ftp', v)} />
            </Row>
            <Row label={t('nsCpuAlarm')} hint={t('nsCpuHint', { p: loaded.cpuPercent === null ? '-' : `${loaded.cpuPercent}%` })}>{num('cpuAlarmPercent')}</Row>
          </tbody>
        </table>
        <FormFoot errors={errors} onReload={() => void load()} />
      </form>
      <div class="note">
        <b>{t('nsWarning')}</b> {t('nsWebPortTip')}
      </div>
    </Section>
  );
}
