/** 对象存储: the S3-compatible archive's settings (the secret write-only) and its live upload status. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { fmtTime } from '../../time.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, checkNumber, infoRow, usePresence } from '../../ui.tsx';
import './labels.ts';

type Form = Record<string, string | boolean>;
const TEXTS = ['endpoint', 'region', 'bucket', 'accessKeyId', 'prefix'] as const;

function toForm(s: Record<string, any>): Form {
  return {
    enabled: s.enabled, pathStyle: s.pathStyle, uploadWhen: s.uploadWhen, secretAccessKey: '',
    ...Object.fromEntries(TEXTS.map((k) => [k, String(s[k] ?? '')])),
    keepLocalDays: s.keepLocalDays === null ? '' : String(s.keepLocalDays), multipartMiB: String(s.multipartMiB), behindMinutes: String(s.behindMinutes),
  };
}

function rate(bps: number): string {
  return bps >= 1 << 20 ? `${(bps / (1 << 20)).toFixed(1)} MiB/s` : `${(bps / 1024).toFixed(1)} KiB/s`;
}

export function ObjectStore() {
  usePresence('settings/objectstore');
  const [loaded, setLoaded] = useState<Record<string, any> | null>(null);
  const [status, setStatus] = useState<Record<string, any> | null>(null);
  const [form, setForm] = useState<Form>({});
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const s = await get('/objectstore/settings');
      setLoaded(s);
      setForm(toForm(s));
      setStatus(await get('/objectstore/status'));
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  useEffect(() => onLiveEvent(['objectstore.status'], (e) => setStatus(e)), []);
  if (!loaded) return <p>{t('loading')}</p>;
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });
  const text = (k: string, type: 'text' | 'password' = 'text', cls?: string) => (
    <input name={k} type={type as "text"} class={cls} value={String(form[k] ?? '')} disabled={!canEdit.value} autocomplete="off" onInput={(e) => set(k, e.currentTarget.value)} />
  );
  const check = (k: string) => <input type="checkbox" name={k} checked={Boolean(form[k])} disabled={!canEdit.value} onChange={(e) => set(k, e.currentTarget.checked)} />;
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    if (form.endpoint && !/^https?:\/\/\S+$/.test(String(form.endpoint))) errs.push(t('osBadEndpoint'));
    if (form.bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(String(form.bucket))) errs.push(t('osBadBucket'));
    if (form.prefix && !String(form.prefix).endsWith('/')) errs.push(t('osBadPrefix'));
    if (form.keepLocalDays !== '') errs.push(...[checkNumber(t('osKeepLocal'), String(form.keepLocalDays), 0, 3650)].filter((m): m is string => !!m));
    for (const [k, min, max] of [['multipartMiB', 5, 1024], ['behindMinutes', 1, 10080]] as const) {
      const m = checkNumber(t(k === 'multipartMiB' ? 'osMultipart' : 'osBehind'), String(form[k]), min, max);
      if (m) errs.push(m);
    }
    setErrors(errs);
    if (errs.length) return;
    const patch: Record<string, unknown> = {};
    for (const k of [...TEXTS, 'enabled', 'pathStyle', 'uploadWhen'] as const) if (form[k] !== loaded[k]) patch[k] = form[k];
    const keep = form.keepLocalDays === '' ? null : Number(form.keepLocalDays);
    if (keep !== loaded.keepLocalDays) patch.keepLocalDays = keep;
    for (const k of ['multipartMiB', 'behindMinutes'] as const) if (Number(form[k]) !== loaded[k]) patch[k] = Number(form[k]);
    if (form.secretAccessKey) patch.secretAccessKey = form.secretAccessKey;
    try {
      const s = await api('PATCH', '/objectstore/settings', { body: { ...patch, revision: loaded.revision } });
      setLoaded(s);
      setForm(toForm(s));
      notify('ok', t('osSaved'));
    } catch (x) {
      showError(x);
    }
  };
  const testConnection = async () => {
    try {
      const r = await api('POST', '/objectstore/check');
      notify(r.ok ? 'ok' : 'error', r.ok ? t('osCheckOk') : t('osCheckFailed', { m: r.message ?? '' }));
    } catch (x) {
      showError(x);
    }
  };
  const retention = async () => {
    try {
      const r = await api('POST', '/objectstore/retention');
      notify('ok', t('osRetentionDone', { n: r.freed }));
    } catch (x) {
      showError(x);
    }
  };
  const at = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? fmtTime(v) : '-');
  return (
    <>
      <Section title={t('osStatus')}>
        <table class="info" data-testid="os-status">
          <tbody>
            {infoRow(t('osState'), status ? t(`osState_${status.state}`) : '-')}
            {infoRow(t('osQueue'), status?.queueLength)}
            {infoRow(t('osUploaded'), status?.uploaded)}
            {infoRow(t('osThroughput'), status ? rate(status.throughputBps) : '-')}
            {infoRow(t('osLastUpload'), at(status?.lastUploadAt))}
            {infoRow(t('osLastError'), status?.lastError ?? '-')}
            {infoRow(t('osFreed'), status?.freed)}
          </tbody>
        </table>
      </Section>
      <Section title={t('osSettings')}>
        <PresenceWarning />
        <ReadOnlyNote />
        <form id="objectstore" onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm(toForm(loaded)), setErrors([]))}>
          <table class="form">
            <tbody>
              <Row label={t('osEnabled')}>{check('enabled')}</Row>
              <Row label={t('osEndpoint')} hint={t('osEndpointHint')}>{text('endpoint')}</Row>
              <Row label={t('osRegion')}>{text('region', 'text', 'short')}</Row>
              <Row label={t('osBucket')}>{text('bucket')}</Row>
              <Row label={t('osAccessKey')}>{text('accessKeyId')}</Row>
              <Row label={t('osSecret')} hint={loaded.secretSet ? t('osSecretSet') : t('osSecretUnset')}>{text('secretAccessKey', 'password')}</Row>
              <Row label={t('osPathStyle')}>{check('pathStyle')}</Row>
              <Row label={t('osPrefix')} hint={t('osPrefixHint')}>{text('prefix')}</Row>
              <Row label={t('osUploadWhen')}>
                <select name="uploadWhen" value={String(form.uploadWhen)} disabled={!canEdit.value} onChange={(e) => set('uploadWhen', e.currentTarget.value)}>
                  {['finished', 'archived'].map((w) => <option value={w} key={w}>{t(`osWhen_${w}`)}</option>)}
                </select>
              </Row>
              <Row label={t('osKeepLocal')} hint={t('osKeepLocalHint')}>{text('keepLocalDays', 'text', 'short')}</Row>
              <Row label={t('osMultipart')}>{text('multipartMiB', 'text', 'short')}</Row>
              <Row label={t('osBehind')}>{text('behindMinutes', 'text', 'short')}</Row>
            </tbody>
          </table>
          {errors.length > 0 && <ul class="errors">{errors.map((m) => <li key={m}>{m}</li>)}</ul>}
          {canEdit.value && (
            <div class="buttons">
              <button type="submit">{t('save')}</button>
              <button type="reset">{t('reset')}</button>
              <button type="button" id="os-check" onClick={() => void testConnection()}>{t('osCheck')}</button>
              <button type="button" id="os-retention" onClick={() => void retention()}>{t('osRetention')}</button>
            </div>
          )}
        </form>
      </Section>
    </>
  );
}
