/**
 * 录音查询-当日 / 录音查询-历史 (manual 3.9, 3.10): every condition of the
 * page, paging with a page jump, play, download one or a zip of several,
 * level, delete / restore / purge with the typed confirmation, archive now,
 * CSV and Excel export of the current search.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, notify, query, raw, saveResponse, showError } from '../api.ts';
import { lang, t, t2 } from '../i18n.ts';
import { indexedCount } from '../live.ts';
import { boxNow, fmtDay, fmtDuration, fmtTime, localInputToIso, toLocalInput } from '../time.ts';
import { Errors, Pager, ReadOnlyNote, Section, askConfirm, canEdit } from '../ui.tsx';
import { channelLabel } from './monitor.tsx';
import { Player } from './player.tsx';
import { VerifyMark } from './custody.tsx';

export interface RecordItem {
  id: string;
  callId: string;
  part: number;
  ref: string;
  portType: string;
  port: number;
  channel: number;
  lineNumber: string;
  remoteNumber: string;
  callerName: string;
  callType: string;
  startTime: string;
  durationS: number;
  startMode: string;
  stopMode: string | null;
  level: string;
  stereo: boolean;
  deleted: boolean;
  audioUrl: string | null;
  linked?: boolean;
}

interface Conditions {
  from: string;
  to: string;
  lineNumber: string;
  remoteNumber: string;
  portType: string;
  channel: string;
  callType: string;
  level: string;
  minMin: string;
  maxMin: string;
  limit: string;
  deleted: boolean;
}

const blank = (store: string): Conditions => {
  const now = boxNow();
  const start = store === 'today' ? `${fmtDay(now)}T00:00` : toLocalInput(now - 30 * 86400_000);
  return { from: start, to: toLocalInput(now + 3600_000), lineNumber: '', remoteNumber: '', portType: '', channel: '', callType: '', level: '', minMin: '0', maxMin: '0', limit: '16', deleted: false };
};

function toQuery(c: Conditions, store: string, page: number, all: boolean): Record<string, string | number | undefined> {
  if (all) return { store, limit: Number(c.limit), page, deleted: c.deleted ? 'true' : undefined };
  return {
    store,
    from: localInputToIso(c.from),
    to: localInputToIso(c.to),
    lineNumber: c.lineNumber.trim() || undefined,
    remoteNumber: c.remoteNumber.trim() || undefined,
    portType: c.portType || undefined,
    channel: c.channel.trim() || undefined,
    callType: c.callType || undefined,
    level: c.level || undefined,
    minDurationS: Number(c.minMin) ? Number(c.minMin) * 60 : undefined,
    maxDurationS: Number(c.maxMin) ? Number(c.maxMin) * 60 : undefined,
    deleted: c.deleted ? 'true' : undefined,
    limit: Number(c.limit),
    page,
  };
}

function check(c: Conditions): string[] {
  const errs: string[] = [];
  if (c.remoteNumber.trim() && !/^[0-9*#A-D+%]{1,32}$/.test(c.remoteNumber.trim())) errs.push(t('badRemote'));
  if (c.lineNumber.trim() && !/^[0-9*#A-D]{1,32}$/.test(c.lineNumber.trim())) errs.push(t('badLine'));
  if (c.channel.trim() && !/^\d{1,4}$/.test(c.channel.trim())) errs.push(t('mustBeInt', { f: t('channelNo'), min: 0, max: 4095 }));
  for (const v of [c.minMin, c.maxMin]) if (v.trim() !== '' && !(Number(v) >= 0)) errs.push(t('badDuration'));
  if (c.from && c.to && c.from > c.to) errs.push(t('badRange'));
  return errs;
}

export function Search(props: { store: 'today' | 'history' }) {
  const { store } = props;
  const [cond, setCond] = useState<Conditions>(() => blank(store));
  const [all, setAll] = useState(false);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<{ total: number; pages: number; items: RecordItem[] } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<string[]>([]);
  const [playing, setPlaying] = useState<RecordItem | null>(null);
  const [lastQuery, setLastQuery] = useState<Record<string, string | number | undefined> | null>(null);

  // Searches can overlap (a click while a new recording refreshes the list): only the latest one's answer is shown.
  const latest = useRef(0);
  // The conditions the list shows: refreshes and pages use them, not what is typed in the form and not yet searched.
  const applied = useRef<Conditions>(blank(store));
  const run = async (p = page, isAll = all, c = cond) => {
    const errs = isAll ? [] : check(c);
    setErrors(errs);
    if (errs.length) return;
    const q = toQuery(c, store, p, isAll);
    const ticket = ++latest.current;
    try {
      const r = await api('GET', `/records${query(q)}`);
      if (ticket !== latest.current) return;
      const byCall = new Map<string, number>();
      for (const it of r.items as RecordItem[]) byCall.set(it.callId, (byCall.get(it.callId) ?? 0) + 1);
      const items = (r.items as RecordItem[]).map((it) => ({ ...it, linked: it.part > 1 || (byCall.get(it.callId) ?? 0) > 1 }));
      setResult({ total: r.total, pages: r.pages, items });
      setPage(p);
      setAll(isAll);
      setLastQuery(q);
      applied.current = c;
      setSelected(new Set());
    } catch (e) {
      if (ticket === latest.current) showError(e);
    }
  };
  useEffect(() => {
    setCond(blank(store));
    setResult(null);
    setPlaying(null);
    void run(1, false, blank(store));
  }, [store]);
  // A newly indexed recording appears on today's page without a click.
  useEffect(() => {
    if (store === 'today' && result && indexedCount.value > 0) void run(page, all, applied.current);
  }, [indexedCount.value]);

  const set = (k: keyof Conditions, v: string | boolean) => setCond({ ...cond, [k]: v });
  const inp = (k: keyof Conditions, attrs: Record<string, unknown> = {}) => (
    <input name={k} value={String(cond[k])} onInput={(e) => set(k, e.currentTarget.value)} {...attrs} />
  );
  const choice = (k: keyof Conditions, opts: Array<[string, string]>) => (
    <select name={k} value={String(cond[k])} onChange={(e) => set(k, e.currentTarget.value)}>
      {opts.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
    </select>
  );
  const ids = [...selected];
  const dis = !canEdit.value;

  const act = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      await run(page, all, applied.current);
    } catch (e) {
      showError(e);
    }
  };
  const removeSelected = (list: string[]) =>
    askConfirm(t('deleteWhat', { n: list.length }), () => void act(async () => {
      for (const id of list) await api('DELETE', `/records/${encodeURIComponent(id)}`);
    }));
  const zip = async () => {
    try {
      const res = await raw('POST', '/records/zip', { body: { ids } });
      await saveResponse(res, 'recordings.zip');
    } catch (e) {
      showError(e);
    }
  };
  const exportUrl = (ext: string) => {
    const q: Record<string, string | number | undefined> = { ...(lastQuery ?? {}), lang: lang.value };
    delete q.page;
    delete q.limit;
    return `/api/v1/records/export.${ext}${query(q)}`;
  };

  return (
    <div>
      <Section title={t('queryConditions')}>
        <form
          class="conditions"
          onSubmit={(e) => {
            e.preventDefault();
            void run(1, false);
          }}
        >
          <label>{t('fromDate')} {inp('from', { type: 'datetime-local' })}</label>
          <label>{t('toDate')} {inp('to', { type: 'datetime-local' })}</label>
          <label>{t('lineNumber')} {inp('lineNumber')}</label>
          <label>{t('remoteNumber')} {inp('remoteNumber', { placeholder: '5588%' })} <span class="hint">{t('fuzzyHint')}</span></label>
          <label>{t('portType')} {choice('portType', [['', t('any')], ['analog', t('pt_analog')], ['e1', 'E1'], ['voip', 'VoIP']])}</label>
          <label>{t('channelNo')} {inp('channel', { inputMode: 'numeric', class: 'short' })}</label>
          <label>{t('callType')} {choice('callType', [['', t('any')], ['incoming-answered', t('ct_incoming_answered')], ['incoming-missed', t('ct_incoming_missed')], ['outgoing', t('ct_outgoing')], ['idle', t('ct_idle')]])}</label>
          <label>{t('levelSet')} {choice('level', [['', t('any')], ['normal', t('lv_normal')], ['important', t('lv_important')]])}</label>
          <label>
            {t('durationRange')} {inp('minMin', { class: 'short', inputMode: 'numeric' })} - {inp('maxMin', { class: 'short', inputMode: 'numeric' })} <span class="hint">{t('minutes')}</span>
          </label>
          <label>{t('pageSize')} {choice('limit', ['8', '16', '32', '64', '100'].map((n) => [n, n]))}</label>
          <label class="check"><input type="checkbox" name="deleted" checked={cond.deleted} onChange={(e) => set('deleted', e.currentTarget.checked)} /> {t('showDeleted')}</label>
          <Errors list={errors} />
          <p class="hint blue-hint">{t('blueHint')}</p>
          <div class="buttons">
            <button type="submit" id="search-btn">{t('conditionSearch')}</button>
            <button type="button" onClick={() => void run(1, true)}>{t('allSearch')}</button>
            {store === 'today' ? (
              <button type="button" disabled={dis} onClick={() => void act(async () => notify('ok', t('archived', { n: (await api('POST', '/storage/archive'))?.archived ?? '' })))}>
                {t('archiveNow')}
              </button>
            ) : null}
          </div>
        </form>
      </Section>
      {playing ? <Player record={playing} onClose={() => setPlaying(null)} /> : null}
      <Section title={t('results')}>
        <ReadOnlyNote />
        <div class="buttons">
          <button type="button" disabled={!ids.length} onClick={zip}>{t('zip')}</button>
          <a class="button" href={exportUrl('csv')} download>{t('exportCsv')}</a>
          <a class="button" href={exportUrl('xlsx')} download>{t('exportXlsx')}</a>
          <button type="button" disabled={dis || !ids.length} onClick={() => removeSelected(ids)}>{t('del')}</button>
          <button type="button" disabled={dis} onClick={() => askConfirm(t('purgeWhat'), () => void act(() => api('POST', '/records/purge-deleted')))}>{t('purge')}</button>
        </div>
        {result && result.items.length === 0 ? <p class="empty">{t('noResults')}</p> : null}
        <div class="scroll">
          <table class="grid" id="results">
            <thead>
              <tr>
                <th>
                  <input
                    type="checkbox"
                    aria-label={t('select')}
                    checked={!!result?.items.length && selected.size === result.items.length}
                    onChange={(e) => setSelected(e.currentTarget.checked ? new Set(result?.items.map((i) => i.id)) : new Set())}
                  />
                </th>
                <th>{t('index')}</th>
                <th>{t('channelNo')}</th>
                <th>{t('lineNumber')}</th>
                <th>{t('remoteNumber')}</th>
                <th>{t('recStart')}</th>
                <th>{t('recDuration')}</th>
                <th>{t('startMode')}</th>
                <th>{t('stopMode')}</th>
                <th>{t('callType')}</th>
                <th>{t('download')}</th>
                <th>{t('verifyCol')}</th>
                <th>{t('level')}</th>
                <th>{t('play')}</th>
                <th>{t('del')}</th>
              </tr>
            </thead>
            <tbody>
              {result?.items.map((r, i) => (
                <tr key={r.id} data-id={r.id} class={r.deleted ? 'deleted' : ''}>
                  <td>
                    <input
                      type="checkbox"
                      checked={selected.has(r.id)}
                      onChange={(e) => {
                        const s = new Set(selected);
                        if (e.currentTarget.checked) s.add(r.id);
                        else s.delete(r.id);
                        setSelected(s);
                      }}
                    />
                  </td>
                  <td>{(page - 1) * Number(cond.limit) + i}</td>
                  <td>{channelLabel(r)}</td>
                  <td>{r.lineNumber}</td>
                  <td class="remote">
                    {r.remoteNumber}
                    {r.callerName ? <span class="caller-name"> {r.callerName}</span> : null}
                  </td>
                  <td>{fmtTime(r.startTime)}</td>
                  <td>{fmtDuration(r.durationS)}</td>
                  <td>{t2('sm', r.startMode)}</td>
                  <td>{t2('sp', r.stopMode)}</td>
                  <td>{t2('ct', r.callType)}</td>
                  <td>
                    <a class="icon" href={`/api/v1/records/${encodeURIComponent(r.id)}/download`} download title={t('download')} aria-label={t('download')}>⤓</a>
                  </td>
                  <td>{r.audioUrl ? <VerifyMark id={r.id} /> : null}</td>
                  <td>
                    <select
                      aria-label={t('level')}
                      value={r.level}
                      disabled={dis}
                      onChange={(e) => {
                        const level = e.currentTarget.value;
                        void act(() => api('PATCH', `/records/${encodeURIComponent(r.id)}`, { body: { level } }));
                      }}
                    >
                      <option value="normal">{t('lv_normal')}</option>
                      <option value="important">{t('lv_important')}</option>
                    </select>
                  </td>
                  <td>
                    <button type="button" class={`icon play${r.linked ? ' linked' : ''}`} title={t('play')} aria-label={t('play')} onClick={() => setPlaying(r)}>▶</button>
                  </td>
                  <td>
                    {r.deleted ? (
                      <button type="button" disabled={dis} onClick={() => void act(() => api('POST', `/records/${encodeURIComponent(r.id)}/restore`))}>{t('restore')}</button>
                    ) : (
                      <button type="button" class="icon" disabled={dis} title={t('del')} aria-label={t('del')} onClick={() => removeSelected([r.id])}>✕</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {result ? <Pager page={page} pages={result.pages} total={result.total} onPage={(p) => void run(p, all, applied.current)} /> : null}
      </Section>
    </div>
  );
}
