/** 录音参数 (manual 3.5): every field of the page, checked before it is sent, with the settings' revision. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { Errors, PresenceWarning, ReadOnlyNote, Row, Section, canEdit, checkNumber, usePresence } from '../ui.tsx';

type Form = Record<string, string | boolean>;

const NUMBERS: Array<[string, number, number]> = [
  ['maxFileS', 10, 7200],
  ['minFileS', 0, 600],
  ['digitGapS', 0, 60],
  ['diskAlarmPercent', 50, 99],
  ['reservePercent', 1, 50],
  ['deletePerRound', 1, 100000],
];
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];
const CODECS = ['alaw', 'ulaw', 'pcm16'];
const ARCHIVE = ['alaw', 'ulaw', 'pcm16', 'ima-adpcm', 'mp3'];
const MP3 = [8, 16, 24, 32, 40, 48, 56, 64];
const CODEC_NAMES: Record<string, string> = { alaw: 'ALAW (G.711 A)', ulaw: 'ULAW (G.711 µ)', pcm16: 'PCM 16 bit', 'ima-adpcm': 'IMA ADPCM', mp3: 'MP3' };

function toForm(s: Record<string, unknown>): Form {
  const f: Form = {};
  for (const [k, v] of Object.entries(s)) f[k] = typeof v === 'boolean' ? v : String(v);
  return f;
}

export function RecordingParams() {
  usePresence('settings/recording');
  const [loaded, setLoaded] = useState<Record<string, unknown> | null>(null);
  const [form, setForm] = useState<Form>({});
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const s = await get('/settings/recording');
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
  const text = (k: string) => (
    <input name={k} value={String(form[k] ?? '')} disabled={!canEdit.value} onInput={(e) => set(k, e.currentTarget.value)} inputMode="numeric" />
  );
  const choice = (k: string, values: Array<string | number>, label: (v: string) => string = (v) => v) => (
    <select name={k} value={String(form[k])} disabled={!canEdit.value} onChange={(e) => set(k, e.currentTarget.value)}>
      {values.map((v) => (
        <option key={v} value={String(v)}>{label(String(v))}</option>
      ))}
    </select>
  );
  const yesNo = (k: string, yes = 'yes', no = 'no') => (
    <select name={k} value={form[k] ? '1' : '0'} disabled={!canEdit.value} onChange={(e) => set(k, e.currentTarget.value === '1')}>
      <option value="1">{t(yes)}</option>
      <option value="0">{t(no)}</option>
    </select>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    for (const [k, min, max] of NUMBERS) {
      if (k in form) {
        const m = checkNumber(t(k), String(form[k]), min, max);
        if (m) errs.push(m);
      }
    }
    if ('archiveTime' in form && !/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(String(form.archiveTime))) errs.push(t('badFormat', { f: t('archiveTime'), hint: 'HH:MM:SS' }));
    if (!errs.length && Number(form.minFileS) >= Number(form.maxFileS)) errs.push(t('minMaxRule'));
    if (form.startKey === form.stopKey) errs.push(t('keysRule'));
    setErrors(errs);
    if (errs.length) return;
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form)) {
      if (k === 'revision') continue;
      const was = loaded[k];
      const value = typeof was === 'number' ? Number(v) : v;
      if (value !== was) patch[k] = value;
    }
    try {
      const s = await api('PATCH', '/settings/recording', { body: patch, ifMatch: loaded.revision as string | undefined });
      setLoaded(s);
      setForm(toForm(s));
      notify('ok', t('saved'));
    } catch (x) {
      showError(x);
    }
  };
  return (
    <Section title={t('recParamsTitle')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <form onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm(toForm(loaded)), setErrors([]))}>
        <table class="form">
          <tbody>
            <Row label={t('startKey')} hint={t('startKeyHint')}>{choice('startKey', KEYS)}</Row>
            <Row label={t('stopKey')} hint={t('startKeyHint')}>{choice('stopKey', KEYS)}</Row>
            <Row label={t('maxFileS')} hint={t('maxFileHint')}>{text('maxFileS')}</Row>
            <Row label={t('minFileS')} hint={t('minFileHint')}>{text('minFileS')}</Row>
            <Row label={t('digitGapS')} hint={t('digitGapHint')}>{text('digitGapS')}</Row>
            <Row label={t('codec')}>{choice('codec', CODECS, (v) => CODEC_NAMES[v] ?? v)}</Row>
            <Row label={t('stopAtMaxFile')} hint={t('stopAtMaxHint')}>{yesNo('stopAtMaxFile')}</Row>
            <Row label={t('keepStarHash')} hint={t('keepStarHashHint')}>{yesNo('keepStarHash')}</Row>
            <Row label={t('twoPartyLayout')}>{choice('twoPartyLayout', ['stereo', 'mono'], (v) => t(`layout_${v}`))}</Row>
            <Row label={t('diskAlarmPercent')} hint="(50 ~ 99)">{text('diskAlarmPercent')}</Row>
            <Row label={t('reservePercent')} hint="(1 ~ 50)">{text('reservePercent')}</Row>
            <Row label={t('autoMaintenance')} hint={t('autoMaintenanceHint')}>{yesNo('autoMaintenance', 'on', 'off')}</Row>
            <Row label={t('deletePerRound')}>{text('deletePerRound')}</Row>
            <Row label={t('archiveTime')} hint={t('archiveTimeHint')}>
              <input name="archiveTime" value={String(form.archiveTime ?? '')} disabled={!canEdit.value} onInput={(e) => set('archiveTime', e.currentTarget.value)} />
            </Row>
            <Row label={t('archiveFormat')}>{choice('archiveFormat', ARCHIVE, (v) => CODEC_NAMES[v] ?? v)}</Row>
            <Row label={t('mp3Kbps')}>{choice('mp3Kbps', MP3)}</Row>
          </tbody>
        </table>
        <Errors list={errors} />
        <div class="buttons">
          <button type="submit" disabled={!canEdit.value}>{t('submit')}</button>
          <button type="reset" disabled={!canEdit.value}>{t('reset')}</button>
          <button type="button" onClick={load}>{t('reload')}</button>
        </div>
      </form>
    </Section>
  );
}
