/** 通道参数 (manual 3.6): the table of every channel, and a form applied to one channel or a range of them. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { channels } from '../live.ts';
import { Errors, PresenceWarning, ReadOnlyNote, Section, canEdit, checkNumber, usePresence } from '../ui.tsx';
import { channelLabel } from './monitor.tsx';

interface Config {
  ref: string;
  recordingEnabled: boolean;
  name: string;
  lineNumber: string;
  controlMode: string;
  callerIdMode: string;
  offhookVoltage: number;
  disconnectVoltage: number;
  speechThreshold: number;
  silenceThreshold: number;
  silenceMs: number;
  level: string;
  revision?: string | number;
}

const MODES = ['voltage', 'voice', 'dtmf', 'polarity', 'ring', 'continuous'];
const CID = [['fsk-dtmf', 'FSK/DTMF'], ['fsk', 'FSK'], ['dtmf', 'DTMF']];
const NUMERIC: Array<[keyof Config, number, number, boolean]> = [
  ['offhookVoltage', 1, 60, false],
  ['disconnectVoltage', 0, 30, false],
  ['speechThreshold', 0, 32767, true],
  ['silenceThreshold', 0, 32767, true],
  ['silenceMs', 100, 600000, true],
];

export function ChannelParams() {
  usePresence('settings/channels');
  const [configs, setConfigs] = useState<Config[] | null>(null);
  const [from, setFrom] = useState(0);
  const [to, setTo] = useState(0);
  const [form, setForm] = useState<Record<string, string | boolean>>({});
  const [errors, setErrors] = useState<string[]>([]);
  const list = channels.value;
  const load = async () => {
    try {
      const items: Config[] = await Promise.all(list.map((c) => get(`/channels/${encodeURIComponent(c.ref)}/settings`)));
      setConfigs(items);
      return items;
    } catch (e) {
      showError(e);
      return null;
    }
  };
  const pick = (items: Config[] | null, i: number) => {
    const c = items?.[i];
    if (!c) return;
    const f: Record<string, string | boolean> = {};
    for (const [k, v] of Object.entries(c)) f[k] = typeof v === 'boolean' ? v : String(v);
    setForm(f);
  };
  useEffect(() => {
    if (!list.length || configs) return;
    void load().then((items) => pick(items, 0));
  }, [list.length]);
  if (!configs) return <p>{t('loading')}</p>;
  const single = from === to;
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });
  const dis = !canEdit.value;
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    if (from > to) errs.push(t('badRange'));
    for (const [k, min, max, int] of NUMERIC) {
      const m = checkNumber(t(k), String(form[k]), min, max, int);
      if (m) errs.push(m);
    }
    if (!errs.length && Number(form.disconnectVoltage) >= Number(form.offhookVoltage)) errs.push(t('voltsRule'));
    if (String(form.name ?? '').length > 32) errs.push(t('tooLong', { f: t('channelName'), n: 32 }));
    if (String(form.lineNumber ?? '').length > 32) errs.push(t('tooLong', { f: t('lineNumber'), n: 32 }));
    setErrors(errs);
    if (errs.length) return;
    const settings: Record<string, unknown> = {
      recordingEnabled: String(form.recordingEnabled) === 'true',
      controlMode: form.controlMode,
      callerIdMode: form.callerIdMode,
      level: form.level,
    };
    for (const [k] of NUMERIC) settings[k] = Number(form[k]);
    if (single) {
      settings.name = form.name;
      settings.lineNumber = form.lineNumber;
    }
    const refs = list.slice(from, to + 1).map((c) => c.ref);
    try {
      if (single) {
        await api('PATCH', `/channels/${encodeURIComponent(refs[0]!)}/settings`, { body: settings, ifMatch: configs[from]?.revision });
      } else {
        await api('POST', '/channels/settings', { body: { channels: refs, settings }, ifMatch: configs[from]?.revision });
      }
      notify('ok', t('saved'));
      await load();
    } catch (x) {
      showError(x);
    }
  };
  const sel = (k: string, opts: Array<[string, string]>) => (
    <select name={k} value={String(form[k])} disabled={dis} onChange={(e) => set(k, e.currentTarget.value)}>
      {opts.map(([v, l]) => (
        <option key={v} value={v}>{l}</option>
      ))}
    </select>
  );
  const num = (k: string) => <input name={k} class="short" value={String(form[k] ?? '')} disabled={dis} onInput={(e) => set(k, e.currentTarget.value)} />;
  return (
    <Section title={t('chParamsTitle')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <form class="batch" onSubmit={submit}>
        <div class="inline">
          <label>
            {t('batchRange')}{' '}
            <select name="from" value={from} disabled={dis} onChange={(e) => {
              const v = Number(e.currentTarget.value);
              setFrom(v);
              if (to < v) setTo(v);
              pick(configs, v);
            }}>
              {list.map((c, i) => <option key={c.ref} value={i}>{channelLabel(c)}</option>)}
            </select>
          </label>
          <label>
            {t('to')}{' '}
            <select name="to" value={to} disabled={dis} onChange={(e) => setTo(Number(e.currentTarget.value))}>
              {list.map((c, i) => <option key={c.ref} value={i}>{channelLabel(c)}</option>)}
            </select>
          </label>
          {!single ? <span class="hint">{t('batchHint')}</span> : null}
        </div>
        <div class="fields">
          <label>{t('recordingEnabled')} {sel('recordingEnabled', [['true', t('on')], ['false', t('off')]])}</label>
          <label>{t('channelName')} <input name="name" value={String(form.name ?? '')} disabled={dis || !single} onInput={(e) => set('name', e.currentTarget.value)} /></label>
          <label>{t('lineNumber')} <input name="lineNumber" value={String(form.lineNumber ?? '')} disabled={dis || !single} onInput={(e) => set('lineNumber', e.currentTarget.value)} /></label>
          <label>{t('controlMode')} {sel('controlMode', MODES.map((m) => [m, t(`cm_${m}`)]))}</label>
          <label>{t('callerIdMode')} {sel('callerIdMode', CID as Array<[string, string]>)}</label>
          <label>{t('offhookVoltage')} &lt; {num('offhookVoltage')} v</label>
          <label>{t('disconnectVoltage')} &lt; {num('disconnectVoltage')} v</label>
          <label>{t('speechThreshold')} &gt; {num('speechThreshold')}</label>
          <label>{t('silenceThreshold')} &lt; {num('silenceThreshold')}</label>
          <label>{t('silenceMs')} {num('silenceMs')} ms</label>
          <label>{t('level')} {sel('level', [['normal', t('lv_normal')], ['important', t('lv_important')]])}</label>
        </div>
        <Errors list={errors} />
        <div class="buttons">
          <button type="submit" disabled={dis}>{t('submit')}</button>
          <button type="button" disabled={dis} onClick={() => (pick(configs, from), setErrors([]))}>{t('reset')}</button>
        </div>
      </form>
      <div class="scroll">
        <table class="grid">
          <thead>
            <tr>
              <th rowSpan={2}>{t('channelNo')}</th>
              <th colSpan={5}>{t('general')}</th>
              <th colSpan={3}>{t('voltageParams')}</th>
              <th colSpan={3}>{t('voiceParams')}</th>
              <th>{t('otherParams')}</th>
            </tr>
            <tr>
              <th>{t('recordingEnabled')}</th>
              <th>{t('channelState')}</th>
              <th>{t('channelName')}</th>
              <th>{t('lineNumber')}</th>
              <th>{t('controlMode')}</th>
              <th>{t('callerIdMode')}</th>
              <th>{t('offhookVoltage')}</th>
              <th>{t('disconnectVoltage')}</th>
              <th>{t('speechThreshold')}</th>
              <th>{t('silenceThreshold')}</th>
              <th>{t('silenceMs')}</th>
              <th>{t('level')}</th>
            </tr>
          </thead>
          <tbody>
            {configs.map((c, i) => {
              const ch = list[i];
              return (
                <tr key={c.ref} data-ref={c.ref}>
                  <td>{ch ? channelLabel(ch) : c.ref}</td>
                  <td>{c.recordingEnabled ? t('on') : t('off')}</td>
                  <td>{ch ? t(`st_${ch.state}`) : ''}</td>
                  <td>{c.name || '-'}</td>
                  <td>{c.lineNumber}</td>
                  <td>{t(`cm_${c.controlMode}`)}</td>
                  <td>{CID.find(([v]) => v === c.callerIdMode)?.[1] ?? c.callerIdMode}</td>
                  <td>&lt; {c.offhookVoltage} v</td>
                  <td>&lt; {c.disconnectVoltage} v</td>
                  <td>&gt; {c.speechThreshold}</td>
                  <td>&lt; {c.silenceThreshold}</td>
                  <td>{c.silenceMs} ms</td>
                  <td>{t(`lv_${c.level}`)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
