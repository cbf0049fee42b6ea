/**
 * 时间设置 (manual 2.6, 3.15): NTP on or off, primary and backup server and
 * port, sync period, time zone; the date and time by hand while NTP is off;
 * the box's clock and chrony's state.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, checkNumber, usePresence } from '../../ui.tsx';
import { FormFoot, OnOff } from '../trunk/common.tsx';
import { boxZone, clockSkew } from '../../time.ts';
import './netsys-labels.ts';

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** GMT-12:00 … GMT+14:00: every half hour and the quarter-hour zones in use. */
export const ZONES: string[] = (() => {
  const minutes: number[] = [];
  for (let m = -720; m <= 840; m += 30) minutes.push(m);
  minutes.push(345, 525, 765);
  return minutes.sort((a, b) => a - b).map((m) => `GMT${m < 0 ? '-' : '+'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`);
})();

const offsetOf = (zone: string) => {
  const m = /^GMT([+-])(\d\d):(\d\d)$/.exec(zone);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
};

/** An instant as `YYYY-MM-DD` and `HH:MM:SS` in a zone given as minutes east of UTC. */
function wallOf(ms: number, offsetMin: number): { date: string; time: string } {
  const iso = new Date(ms + offsetMin * 60_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 19) };
}

type Form = Record<string, string | boolean>;

function toForm(s: any): Form {
  const wall = wallOf(Date.parse(s.now), s.utcOffsetMinutes);
  return {
    ntp: s.ntp, primaryServer: s.primaryServer, primaryPort: String(s.primaryPort), backupServer: s.backupServer, backupPort: String(s.backupPort),
    syncPeriodS: String(s.syncPeriodS), zone: s.zone, date: wall.date, time: wall.time,
  };
}

export function TimeSettings() {
  usePresence('system/time');
  const [loaded, setLoaded] = useState<any>(null);
  const [form, setForm] = useState<Form>({});
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const s = await get('/system/time');
      setLoaded(s);
      setForm(toForm(s));
      setErrors([]);
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  if (!loaded) return <p>{t('loading')}</p>;
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });
  const text = (k: string, cls?: string, disabled = false) => (
    <input name={k} class={cls} value={String(form[k] ?? '')} disabled={!canEdit.value || disabled} onInput={(e) => set(k, e.currentTarget.value)} />
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    const ntp = Boolean(form.ntp);
    for (const [k, min, max] of [['primaryPort', 1, 65535], ['backupPort', 1, 65535], ['syncPeriodS', 16, 86400]] as const) {
      const m = checkNumber(t(k === 'primaryPort' ? 'nsPrimaryPort' : k === 'backupPort' ? 'nsBackupPort' : 'nsSyncPeriod'), String(form[k]), min, max);
      if (m) errs.push(m);
    }
    const primary = String(form.primaryServer).trim();
    const backup = String(form.backupServer).trim();
    if (ntp && !primary) errs.push(t('nsNeedServer'));
    if (primary && !HOST.test(primary)) errs.push(t('nsBadServer', { f: t('nsPrimaryServer') }));
    if (backup && !HOST.test(backup)) errs.push(t('nsBadServer', { f: t('nsBackupServer') }));
    let dateTime: string | undefined;
    if (!ntp) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(form.date)) || !/^\d{2}:\d{2}(:\d{2})?$/.test(String(form.time))) errs.push(t('nsBadDate'));
      else {
        const off = offsetOf(String(form.zone));
        const sign = off < 0 ? '-' : '+';
        const hhmm = `${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
        const time = String(form.time).length === 5 ? `${form.time}:00` : String(form.time);
        dateTime = `${form.date}T${time}${sign}${hhmm}`;
      }
    }
    setErrors(errs);
    if (errs.length) return;
    try {
      const body = {
        ntp, primaryServer: primary, primaryPort: Number(form.primaryPort), backupServer: backup, backupPort: Number(form.backupPort),
        syncPeriodS: Number(form.syncPeriodS), zone: String(form.zone), ...(dateTime ? { dateTime } : {}),
      };
      const s = await api('PUT', '/system/time', { body, ifMatch: loaded.revision });
      setLoaded(s);
      setForm(toForm(s));
      // The top bar's clock follows the box's new time and zone.
      clockSkew.value = Date.parse(s.now) - Date.now();
      if (s.utcOffsetMinutes % 60 === 0) boxZone.value = s.utcOffsetMinutes === 0 ? 'Etc/GMT' : `Etc/GMT${s.utcOffsetMinutes > 0 ? '-' : '+'}${Math.abs(s.utcOffsetMinutes) / 60}`;
      notify('ok', t('nsTimeSaved'));
    } catch (x) {
      showError(x);
      const m = (x as { message?: string }).message;
      if (m) setErrors([m]);
    }
  };
  const st = loaded.ntpStatus;
  const ntpState = !loaded.ntp ? t('nsNtpOff') : st?.synchronised ? t('nsSynced', { server: st.server, stratum: st.stratum, offset: st.offsetS }) : t('nsNotSynced');
  const wall = wallOf(Date.parse(loaded.now), loaded.utcOffsetMinutes);
  return (
    <Section title={t('nsTimeSettings')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <form id="time-settings" onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm(toForm(loaded)), setErrors([]))}>
        <h3>{t('nsNtpParams')}</h3>
        <table class="form">
          <tbody>
            <Row label={t('nsBoxTime')}>
              <span data-testid="box-time">{`${wall.date} ${wall.time} (${loaded.zone})`}</span>
            </Row>
            <Row label={t('nsNtpState')}>
              <span data-testid="ntp-state">{ntpState}</span>
            </Row>
            <Row label={t('nsNtp')}>
              <OnOff name="ntp" value={Boolean(form.ntp)} onChange={(v) => set('ntp', v)} />
            </Row>
            <Row label={t('nsPrimaryServer')}>{text('primaryServer')}</Row>
            <Row label={t('nsPrimaryPort')} hint="(1 ~ 65535)">{text('primaryPort', 'short')}</Row>
            <Row label={t('nsBackupServer')}>{text('backupServer')}</Row>
            <Row label={t('nsBackupPort')} hint="(1 ~ 65535)">{text('backupPort', 'short')}</Row>
            <Row label={t('nsSyncPeriod')} hint={t('nsSeconds')}>{text('syncPeriodS', 'short')}</Row>
            <Row label={t('nsZone')}>
              <select name="zone" value={String(form.zone)} disabled={!canEdit.value} onChange={(e) => set('zone', e.currentTarget.value)}>
                {ZONES.map((z) => (
                  <option key={z} value={z}>{z}</option>
                ))}
              </select>
            </Row>
            <Row label={t('nsDateTime')} hint={t('nsNtpOffOnly')}>
              <input type="date" name="date" value={String(form.date)} disabled={!canEdit.value || Boolean(form.ntp)} onInput={(e) => set('date', e.currentTarget.value)} />{' '}
              <input type="time" name="time" step={1} value={String(form.time)} disabled={!canEdit.value || Boolean(form.ntp)} onInput={(e) => set('time', e.currentTarget.value)} />
            </Row>
          </tbody>
        </table>
        <FormFoot errors={errors} onReload={() => void load()} />
      </form>
    </Section>
  );
}
