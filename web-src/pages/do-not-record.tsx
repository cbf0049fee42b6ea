/** 免录名单: remote numbers (or % patterns) whose calls are not kept, each with a note. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { Errors, PresenceWarning, ReadOnlyNote, Section, canEdit, usePresence, THead } from '../ui.tsx';

interface Entry {
  number: string;
  note: string;
}

const NUMBER = /^[0-9*#A-D+%]{1,32}$/;

export function DoNotRecord() {
  usePresence('settings/do-not-record');
  const [items, setItems] = useState<Entry[] | null>(null);
  const [revision, setRevision] = useState<string | undefined>();
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const r = await get('/settings/do-not-record');
      setItems(r.items);
      setRevision(r.revision);
      setErrors([]);
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  if (!items) return <p>{t('loading')}</p>;
  const dis = !canEdit.value;
  const update = (i: number, patch: Partial<Entry>) => setItems(items.map((e, j) => (j === i ? { ...e, ...patch } : e)));
  const submit = async (ev: Event) => {
    ev.preventDefault();
    const errs: string[] = [];
    const seen = new Set<string>();
    const entries = items.map((e) => ({ number: e.number.trim(), note: e.note })).filter((e) => e.number !== '' || e.note !== '');
    for (const e of entries) {
      if (!NUMBER.test(e.number) || !/[^%]/.test(e.number)) errs.push(`${t('numberRule')}: ${e.number || '""'}`);
      else if (seen.has(e.number)) errs.push(t('duplicate', { n: e.number }));
      if (e.note.length > 64) errs.push(t('tooLong', { f: t('note'), n: 64 }));
      seen.add(e.number);
    }
    setErrors(errs);
    if (errs.length) return;
    try {
      const r = await api('PUT', '/settings/do-not-record', { body: { entries }, ifMatch: revision });
      setItems(r.items);
      if (r.revision) setRevision(r.revision);
      notify('ok', t('saved'));
    } catch (x) {
      showError(x);
    }
  };
  return (
    <Section title={t('dnrTitle')}>
      <PresenceWarning />
      <ReadOnlyNote />
      <p class="hint">{t('dnrHint')}</p>
      <form onSubmit={submit}>
        <table class="grid narrow">
          <THead cols={['index', 'number', 'note']} blank />
          <tbody>
            {items.map((e, i) => (
              <tr key={i}>
                <td>{i}</td>
                <td><input name={`number-${i}`} value={e.number} disabled={dis} onInput={(x) => update(i, { number: x.currentTarget.value })} /></td>
                <td><input name={`note-${i}`} value={e.note} disabled={dis} onInput={(x) => update(i, { note: x.currentTarget.value })} /></td>
                <td><button type="button" disabled={dis} onClick={() => setItems(items.filter((_, j) => j !== i))}>{t('remove')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        <Errors list={errors} />
        <div class="buttons">
          <button type="button" disabled={dis} onClick={() => setItems([...items, { number: '', note: '' }])}>{t('add')}</button>
          <button type="submit" disabled={dis}>{t('submit')}</button>
          <button type="button" onClick={load}>{t('reset')}</button>
        </div>
      </form>
    </Section>
  );
}
