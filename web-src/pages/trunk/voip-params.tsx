/** VoIP平台参数: the listeners and their ports, the RTP range, the senders allowed, storage, jitter, silence timeout; the licensed capacity shown. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, checkNumber, usePresence } from '../../ui.tsx';
import { FormFoot, OnOff } from './common.tsx';

type Form = Record<string, string | boolean>;

const IPV4 = /^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)$/;
const MAC = /^[0-9a-f]{2}([:-]?[0-9a-f]{2}){5}$/i;
const NUMBERS: Array<[string, number, number]> = [
  ['phoneControlPort', 0, 65535],
  ['sipPort', 0, 65535],
  ['sipMinSessionExpires', 90, 86400],
  ['rtpPortMin', 1024, 65535],
  ['rtpPortMax', 1024, 65535],
  ['jitterMs', 20, 400],
  ['silenceTimeoutS', 0, 3600],
];

export function senderValid(v: string): boolean {
  if (MAC.test(v)) return true;
  const [ip, bits, more] = v.split('/');
  return more === undefined && IPV4.test(ip!) && (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32));
}

function toForm(s: Record<string, unknown>): Form {
  const f: Form = {};
  for (const [k, v] of Object.entries(s)) f[k] = typeof v === 'boolean' ? v : Array.isArray(v) ? v.join('\n') : String(v);
  return f;
}

export function VoipParams() {
  usePresence('settings/voip');
  const [loaded, setLoaded] = useState<Record<string, any> | null>(null);
  const [status, setStatus] = useState<any>(null);
  const [form, setForm] = useState<Form>({});
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const s = await get('/voip/settings');
      setLoaded(s);
      setForm(toForm(s));
      setErrors([]);
      setStatus(await get('/voip/sessions').catch(() => null));
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  if (!loaded) return <p>{t('loading')}</p>;
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });
  const text = (k: string, numeric = true) => (
    <input name={k} class={numeric ? 'short' : undefined} value={String(form[k] ?? '')} disabled={!canEdit.value} inputMode={numeric ? 'numeric' : undefined} onInput={(e) => set(k, e.currentTarget.value)} />
  );
  const onOff = (k: string) => <OnOff name={k} value={Boolean(form[k])} onChange={(v) => set(k, v)} />;
  const check = (k: string) => (
    <label class="inline">
      <input type="checkbox" name={k} checked={Boolean(form[k])} disabled={!canEdit.value} onChange={(e) => set(k, e.currentTarget.checked)} /> {k === 'sipUdp' ? 'UDP' : 'TCP'}
    </label>
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    for (const [k, min, max] of NUMBERS) {
      const m = checkNumber(t(k), String(form[k]), min, max);
      if (m) errs.push(m);
    }
    if (!IPV4.test(String(form.bindAddress))) errs.push(t('badIp', { f: t('bindAddress') }));
    if (form.sipAdvertisedAddress !== '' && !IPV4.test(String(form.sipAdvertisedAddress))) errs.push(t('badIp', { f: t('sipAdvertisedAddress') }));
    const senders = String(form.allowedSenders).split(/[\s,]+/).filter(Boolean);
    for (const v of senders) if (!senderValid(v)) errs.push(t('badSender', { v }));
    if (senders.length > 256) errs.push(t('tooManySenders'));
    const n = (k: string) => Number(form[k]);
    if (!errs.length) {
      if (n('rtpPortMin') >= n('rtpPortMax')) errs.push(t('rtpOrder'));
      const inRange = (p: number) => p !== 0 && p >= n('rtpPortMin') && p <= n('rtpPortMax');
      if (inRange(n('phoneControlPort')) || inRange(n('sipPort'))) errs.push(t('listenerInRange'));
    }
    setErrors(errs);
    if (errs.length) return;
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(form)) {
      const was = loaded[k];
      const value = Array.isArray(was) ? senders : typeof was === 'number' ? Number(v) : v;
      if (JSON.stringify(value) !== JSON.stringify(was)) patch[k] = value;
    }
    try {
      const s = await api('PATCH', '/voip/settings', { body: patch });
      setLoaded(s);
      setForm(toForm(s));
      notify('ok', t('appliedNow'));
      setStatus(await get('/voip/sessions').catch(() => status));
    } catch (x) {
      showError(x);
    }
  };
  const licensed = status?.licensed;
  return (
    <Section title={t('voipParams')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <form id="voip-params" onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm(toForm(loaded)), setErrors([]))}>
        <table class="form">
          <tbody>
            <Row label={t('capacity')}>
              <span data-testid="voip-capacity">{licensed ? t('capacityValue', { n: licensed, a: status.active }) : status ? t('notLicensed') : '-'}</span>
            </Row>
            <Row label={t('voipEnabled')}>{onOff('enabled')}</Row>
            <Row label={t('bindAddress')} hint={t('bindHint')}>{text('bindAddress', false)}</Row>
            <Row label={t('phoneControlPort')} hint="(0 ~ 65535)">{text('phoneControlPort')}</Row>
            <Row label={t('sipPort')} hint="(0 ~ 65535)">{text('sipPort')}</Row>
            <Row label={t('sipTransports')}>{check('sipUdp')} {check('sipTcp')}</Row>
            <Row label={t('sipAdvertisedAddress')} hint={t('advertisedHint')}>{text('sipAdvertisedAddress', false)}</Row>
            <Row label={t('sipMinSessionExpires')} hint="(90 ~ 86400)">{text('sipMinSessionExpires')}</Row>
            <Row label={t('rtpRange')} hint={t('rtpHint')}>
              {text('rtpPortMin')} ~ {text('rtpPortMax')}
            </Row>
            <Row label={t('allowedSenders')} hint={t('allowedHint')}>
              <textarea name="allowedSenders" rows={4} value={String(form.allowedSenders ?? '')} disabled={!canEdit.value} onInput={(e) => set('allowedSenders', e.currentTarget.value)} />
            </Row>
            <Row label={t('layout')}>
              <select name="layout" value={String(form.layout)} disabled={!canEdit.value} onChange={(e) => set('layout', e.currentTarget.value)}>
                <option value="stereo">{t('layout_stereo')}</option>
                <option value="mono">{t('layout_mono')}</option>
              </select>
            </Row>
            <Row label={t('jitterMs')} hint="(20 ~ 400)">{text('jitterMs')}</Row>
            <Row label={t('silenceTimeoutS')} hint={t('silenceHint')}>{text('silenceTimeoutS')}</Row>
          </tbody>
        </table>
        <FormFoot errors={errors} onReload={load} />
      </form>
    </Section>
  );
}
