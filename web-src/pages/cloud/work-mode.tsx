/** 工作模式 (manual 3.13): standalone, cascade master or slave; the boxes of the cascade and their state; one search over them (master). */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { fmtDuration, fmtTime } from '../../time.ts';
import { Row, Section, canEdit } from '../../ui.tsx';
import './labels.ts';

export function WorkMode() {
  const [settings, setSettings] = useState<any>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<any>(null);
  const [found, setFound] = useState<any>(null);
  const load = async () => {
    try {
      const s = await get('/settings/cascade');
      setSettings(s);
      setForm({ mode: s.mode, boxId: s.boxId, secret: '', masterUrl: s.masterUrl, advertisedUrl: s.advertisedUrl });
      setStatus(await get('/cascade'));
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  useEffect(() => onLiveEvent(['cascade.box'], () => void get('/cascade').then(setStatus).catch(() => undefined)), []);
  if (!settings) return <p>{t('loading')}</p>;
  const set = (k: string, v: string) => setForm({ ...form, [k]: v });
  const input = (k: string, type: 'text' | 'password' = 'text') => <input name={k} type={type as 'text'} value={form[k] ?? ''} disabled={!canEdit.value} onInput={(e) => set(k, e.currentTarget.value)} />;
  const save = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = { mode: form.mode!, boxId: form.boxId!, masterUrl: form.masterUrl!, advertisedUrl: form.advertisedUrl! };
    if (form.secret) body.secret = form.secret;
    try {
      await api('PATCH', '/settings/cascade', { body, ifMatch: settings.revision });
      notify('ok', t('nasSaved'));
      await load();
    } catch (err) {
      showError(err);
    }
  };
  const search = async () => {
    try {
      setFound(await get('/cascade/records?limit=16'));
    } catch (err) {
      showError(err);
    }
  };
  return (
    <div>
      <Section title={t('workMode')}>
        <form onSubmit={save}>
          <Row label={t('workMode')}>
            <select name="mode" value={form.mode} disabled={!canEdit.value} onChange={(e) => set('mode', e.currentTarget.value)}>
              {['standalone', 'master', 'slave'].map((m) => <option key={m} value={m}>{t(`wm_${m}`)}</option>)}
            </select>
          </Row>
          <Row label={t('boxId')} hint={`${t('boxIdHint')} ${settings.effectiveBoxId}`}>{input('boxId')}</Row>
          {form.mode !== 'standalone' && <Row label={t('cascadeSecret')} hint={t('cascadeSecretHint')}>{input('secret', 'password')}</Row>}
          {form.mode === 'slave' && <Row label={t('masterUrl')} hint="http://192.168.123.100">{input('masterUrl')}</Row>}
          {form.mode === 'slave' && <Row label={t('advertisedUrl')} hint="http://192.168.123.101">{input('advertisedUrl')}</Row>}
          {canEdit.value && <button type="submit">{t('nasSave')}</button>}
        </form>
      </Section>
      {status?.master && (
        <Section title={t('cascadeMaster')}>
          <p class="cascade-master">{`${settings.masterUrl} · ${t(`bs_${status.master.state}`)} ${status.master.detail ?? ''}`}</p>
        </Section>
      )}
      {status?.mode === 'master' && (
        <Section title={t('cascadeBoxes')} extra={<button type="button" name="search-all" onClick={() => void search()}>{t('searchAll')}</button>}>
          <table class="grid cascade-slaves">
            <thead><tr><th>{t('box')}</th><th>URL</th><th>{t('nasState')}</th><th>{t('lastSeen')}</th></tr></thead>
            <tbody>
              {status.slaves.map((s: any) => (
                <tr key={s.box}><td>{s.box}</td><td>{s.url}</td><td title={s.detail}>{t(`bs_${s.state}`)}</td><td>{fmtTime(s.lastSeenAt)}</td></tr>
              ))}
              {status.slaves.length === 0 && <tr><td colSpan={4} class="empty">{t('noSlaves')}</td></tr>}
            </tbody>
          </table>
          {found && (
            <table class="grid cascade-records">
              <thead><tr><th>{t('box')}</th><th>ID</th><th>{t('nasFrom')}</th><th>{t('nasSync')}</th><th /></tr></thead>
              <tbody>
                {found.items.map((r: any) => (
                  <tr key={`${r.box}/${r.id}`}>
                    <td>{r.box}</td><td>{r.id}</td><td>{fmtTime(r.startTime)}</td><td>{fmtDuration(r.durationS)}</td>
                    <td>{r.audioUrl && <audio controls preload="none" src={r.audioUrl} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      )}
    </div>
  );
}
