/** License升级 (manual 3.19): the license in force (trial or activated, channels and features) and installing a license file. */
import { useEffect, useState } from 'preact/hooks';
import { csrfHeaders, get, notify, showError, ApiError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { fmtTime } from '../../time.ts';
import { canEdit, infoRow, ReadOnlyNote, Section } from '../../ui.tsx';
import { licenseStateText } from './device-mgmt.tsx';
import './upgrade-labels.ts';

/** A licensed count or feature as the manual's table shows it (N 路, 已授权, 不支持). */
export function featureText(k: string, v: number | boolean): string {
  if (typeof v === 'boolean') return v ? t('licensed') : t('notSupported');
  if (!v) return t('notSupported');
  return k === 'analog' ? t('channelsN', { n: v }) : k === 'e1' ? t('portsN', { n: v }) : k === 'voip' ? t('callsN', { n: v }) : t('seatsN', { n: v });
}

export function LicensePage() {
  const [s, setS] = useState<any>(null);
  const [file, setFile] = useState<File | null>(null);
  const load = () => get('/license').then(setS, showError);
  useEffect(() => {
    load();
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    try {
      const res = await fetch('/api/v1/license', { method: 'POST', credentials: 'same-origin', headers: { ...csrfHeaders(), 'content-type': 'application/json' }, body: await file.text() });
      const body = await res.json();
      if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? String(res.status), body?.error?.message ?? res.statusText, body);
      setS(body);
      notify('ok', t('licenseInstalled'));
    } catch (err) {
      showError(err);
    }
  };
  return (
    <div class="page license">
      <ReadOnlyNote />
      <Section title={t('licenseInfo')}>
        {s ? (
          <table class="info" id="license-info">
            <tbody>
              {infoRow(t('licenseState'), licenseStateText(s))}
              {infoRow(t('serialNo'), s.serial)}
              {s.license ? infoRow(t('licenseId'), s.license.id) : null}
              {s.license ? infoRow(t('customer'), s.license.customer) : null}
              {s.license ? infoRow(t('issuedAt'), fmtTime(s.license.issuedAt)) : null}
              {(['analog', 'e1', 'voip'] as const).map((k) => infoRow(t(`lic_${k}`), featureText(k, s.channels[k])))}
              {Object.entries(s.features).map(([k, v]) => infoRow(t(`lic_${k}`), featureText(k, v as number | boolean)))}
            </tbody>
          </table>
        ) : null}
      </Section>
      <Section title={t('licenseUpgrade')}>
        <form class="license-upload" onSubmit={submit}>
          <label>{t('chooseFile')}: <input type="file" name="licenseFile" accept=".json,.lic,application/json" disabled={!canEdit.value} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
          <button type="submit" disabled={!file || !canEdit.value}>{t('submit2')}</button>
        </form>
      </Section>
    </div>
  );
}
