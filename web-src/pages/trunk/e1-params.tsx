/** E1通道参数: one E1 port's settings (recording on, signalling, sides, timeslots, CRC-4, storage, name), checked, in effect at once. */
import { useLayoutEffect, useState } from 'preact/hooks';
import { api, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { PresenceWarning, ReadOnlyNote, Row, Section, canEdit, usePresence } from '../../ui.tsx';
import { FormFoot, NoE1, OnOff, PortTabs, useE1Ports } from './common.tsx';

type Form = { enabled: boolean; signalling: string; sideA: string; timeslots: string; crc4: boolean; storage: string; name: string };

const VOICE = (n: number) => n >= 1 && n <= 31 && n !== 16;

/** The same rule as the box: timeslots or ranges of 1-15 and 17-31, separated by commas. */
export function timeslotsValid(text: string): boolean {
  return text.split(',').every((part) => {
    const m = /^\s*(\d{1,2})(?:-(\d{1,2}))?\s*$/.exec(part);
    if (!m) return false;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) return false;
    for (let n = from; n <= to; n++) if (!VOICE(n)) return false;
    return true;
  });
}

export function E1Params() {
  usePresence('settings/e1');
  const [ports, setPorts] = useE1Ports();
  const [port, setPort] = useState<number | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const list = Array.isArray(ports) ? ports : [];
  const current = list.find((p) => p.port === port) ?? list[0];
  // Before the page shows the picked port: never its fields with another port's values, which typing would then lose.
  useLayoutEffect(() => {
    if (current) {
      setForm({ ...current.settings });
      setErrors([]);
    }
  }, [current?.port, ports]);
  if (ports === 'none') return <NoE1 title={t('e1Params')} />;
  if (!ports || !form || !current) return <p>{t('loading')}</p>;
  const set = (k: keyof Form, v: string | boolean) => setForm({ ...form, [k]: v });
  const choice = (k: keyof Form, values: string[], prefix: string) => (
    <select name={k} value={String(form[k])} disabled={!canEdit.value} onChange={(e) => set(k, e.currentTarget.value)}>
      {values.map((v) => (
        <option key={v} value={v}>{t(`${prefix}_${v}`)}</option>
      ))}
    </select>
  );
  const onOff = (k: keyof Form) => <OnOff name={k} value={Boolean(form[k])} onChange={(v) => set(k, v)} />;
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    const timeslots = form.timeslots.replace(/\s+/g, '');
    if (!timeslotsValid(timeslots)) errs.push(t('badTimeslots'));
    if (form.name.length > 40) errs.push(t('nameTooLong'));
    setErrors(errs);
    if (errs.length) return;
    const patch: Record<string, unknown> = {};
    for (const [k, v] of Object.entries({ ...form, timeslots })) if (v !== current.settings[k]) patch[k] = v;
    try {
      const p = await api('PATCH', `/e1/ports/${current.port}`, { body: patch });
      setPorts(list.map((x) => (x.port === p.port ? p : x)));
      notify('ok', t('appliedNow'));
    } catch (x) {
      showError(x);
    }
  };
  return (
    <Section title={t('e1Params')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <PortTabs ports={list} port={current.port} onPick={setPort} />
      <form id="e1-params" onSubmit={submit} onReset={(e) => (e.preventDefault(), setForm({ ...current.settings }), setErrors([]))}>
        <table class="form">
          <tbody>
            <Row label={t('trunkName')} hint={t('trunkNameHint')}>
              <input name="name" value={form.name} maxLength={40} disabled={!canEdit.value} onInput={(e) => set('name', e.currentTarget.value)} />
            </Row>
            <Row label={t('portEnabled')}>{onOff('enabled')}</Row>
            <Row label={t('signalling')}>{choice('signalling', ['pri', 'china-no1'], 'sig')}</Row>
            <Row label={t('sideA')}>{choice('sideA', ['network', 'user'], 'side')}</Row>
            <Row label={t('timeslots')} hint={t('timeslotsHint')}>
              <input name="timeslots" value={form.timeslots} disabled={!canEdit.value} onInput={(e) => set('timeslots', e.currentTarget.value)} />
            </Row>
            <Row label={t('crc4')}>{onOff('crc4')}</Row>
            <Row label={t('storage')}>{choice('storage', ['stereo', 'mixed'], 'storage')}</Row>
          </tbody>
        </table>
        <FormFoot errors={errors} />
      </form>
    </Section>
  );
}
