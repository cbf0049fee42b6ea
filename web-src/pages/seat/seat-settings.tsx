/**
 * 云座席 settings (manual 3.11, 云管理 >> 云座席): every channel's seat with
 * its switch, 座席状态 (online, or who listens), account, password, channel
 * name, line number, monitored channel, group, the three rights and the
 * level; one row edited at a time, 16 rows a page.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorText, notify } from '../../api.ts';
import { t } from '../../i18n.ts';
import { Errors, Pager, ReadOnlyNote, canEdit } from '../../ui.tsx';
import './labels.ts';

interface Seat {
  ref: string;
  enabled: boolean;
  account: string;
  passwordSet: boolean;
  name: string;
  lineNumber: string;
  monitoredRef: string;
  group: number;
  sync: string;
  fetch: string;
  monitor: string;
  level: string;
  popOn: string;
  online: boolean;
  listeners: Array<{ account: string }>;
}

const PER_PAGE = 16;
const REACH = ['own', 'group', 'all'];
const LEVELS = ['agent', 'lead', 'manager'];
const POPS = ['auto', 'ring', 'answer'];

function Select(props: { name: string; value: string; options: string[]; prefix: string; onChange: (v: string) => void }) {
  return (
    <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      {props.options.map((o) => <option key={o} value={o}>{t(`${props.prefix}_${o}`)}</option>)}
    </select>
  );
}

function EditRow(props: { seat: Seat; onDone: (s: Seat | null) => void }) {
  const [s, setS] = useState(props.seat);
  const [password, setPassword] = useState('');
  const [err, setErr] = useState<string[]>([]);
  const set = (patch: Partial<Seat>) => setS({ ...s, ...patch });
  const save = async () => {
    const body: Record<string, unknown> = {
      enabled: s.enabled, account: s.account, name: s.name, lineNumber: s.lineNumber, monitoredRef: s.monitoredRef, group: Number(s.group),
      sync: s.sync, fetch: s.fetch, monitor: s.monitor, level: s.level, popOn: s.popOn,
    };
    if (password) body.password = password;
    try {
      const saved = await api('PATCH', `/seats/${encodeURIComponent(s.ref)}`, { body });
      notify('ok', t('saved'));
      props.onDone(saved);
    } catch (e) {
      setErr([errorText(e)]);
    }
  };
  return (
    <tr data-ref={s.ref} class="editing">
      <td>{s.ref}</td>
      <td><Select name="enabled" value={s.enabled ? 'on' : 'off'} options={['on', 'off']} prefix="seatSw" onChange={(v) => set({ enabled: v === 'on' })} /></td>
      <td />
      <td><input name="account" size={8} value={s.account} onInput={(e) => set({ account: e.currentTarget.value })} /></td>
      <td><input name="password" type="password" size={8} placeholder={t('passwordNew')} value={password} onInput={(e) => setPassword(e.currentTarget.value)} /></td>
      <td><input name="name" size={8} value={s.name} onInput={(e) => set({ name: e.currentTarget.value })} /></td>
      <td><input name="lineNumber" size={8} value={s.lineNumber} onInput={(e) => set({ lineNumber: e.currentTarget.value })} /></td>
      <td><input name="monitoredRef" size={10} value={s.monitoredRef} onInput={(e) => set({ monitoredRef: e.currentTarget.value })} /></td>
      <td><input name="group" type="number" min={0} max={31} value={s.group} onInput={(e) => set({ group: Number(e.currentTarget.value) })} /></td>
      <td><Select name="sync" value={s.sync} options={REACH} prefix="reach" onChange={(v) => set({ sync: v })} /></td>
      <td><Select name="fetch" value={s.fetch} options={REACH} prefix="reach" onChange={(v) => set({ fetch: v })} /></td>
      <td><Select name="monitor" value={s.monitor} options={REACH} prefix="reach" onChange={(v) => set({ monitor: v })} /></td>
      <td><Select name="level" value={s.level} options={LEVELS} prefix="level" onChange={(v) => set({ level: v })} /></td>
      <td><Select name="popOn" value={s.popOn} options={POPS} prefix="pop" onChange={(v) => set({ popOn: v })} /></td>
      <td class="actions">
        <button type="button" onClick={() => void save()}>{t('save')}</button>
        <button type="button" onClick={() => props.onDone(null)}>{t('cancel')}</button>
        <Errors list={err} />
      </td>
    </tr>
  );
}

export function SeatSettings() {
  const [seats, setSeats] = useState<Seat[]>([]);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<string | null>(null);
  const [err, setErr] = useState<string[]>([]);
  const load = () => api('GET', '/seats').then((r) => setSeats(r.items), (e) => setErr([errorText(e)]));
  useEffect(() => {
    void load();
    const id = setInterval(() => void load(), 5000);
    return () => clearInterval(id);
  }, []);
  const pages = Math.max(1, Math.ceil(seats.length / PER_PAGE));
  const shown = seats.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const cols = ['channelNo', 'seatSwitch', 'seatState', 'seatAccount', 'password', 'channelName', 'lineNumber', 'monitoredRef', 'group', 'rightSync', 'rightFetch', 'rightMonitor', 'seatLevel', 'popOn'];
  return (
    <section class="panel">
      <h2>{t('seatSettings')}</h2>
      <ReadOnlyNote />
      <p class="hint">{t('seatHint')}</p>
      <Errors list={err} />
      <div class="scroll">
        <table class="grid" id="seat-table">
          <thead><tr>{cols.map((c) => <th key={c}>{t(c)}</th>)}<th /></tr></thead>
          <tbody>
            {shown.map((s) =>
              editing === s.ref ? (
                <EditRow key={s.ref} seat={s} onDone={(saved) => {
                  setEditing(null);
                  if (saved) setSeats(seats.map((x) => (x.ref === saved.ref ? saved : x)));
                }} />
              ) : (
                <tr key={s.ref} data-ref={s.ref}>
                  <td>{s.ref}</td>
                  <td>{s.enabled ? t('seatOn') : t('seatOff')}</td>
                  <td class="seat-state">{s.online ? t('online') : t('seatOffline')}{s.listeners.length ? ` · ${t('listening')}: ${s.listeners.map((l) => l.account).join(', ')}` : ''}</td>
                  <td>{s.account}</td>
                  <td>{s.passwordSet ? '***' : ''}</td>
                  <td>{s.name}</td>
                  <td>{s.lineNumber}</td>
                  <td>{s.monitoredRef || '-'}</td>
                  <td>{s.group}</td>
                  <td>{t(`reach_${s.sync}`)}</td>
                  <td>{t(`reach_${s.fetch}`)}</td>
                  <td>{t(`reach_${s.monitor}`)}</td>
                  <td>{t(`level_${s.level}`)}</td>
                  <td>{t(`pop_${s.popOn}`)}</td>
                  <td class="actions"><button type="button" disabled={!canEdit.value} onClick={() => setEditing(s.ref)}>{t('edit')}</button></td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} total={seats.length} onPage={setPage} />
    </section>
  );
}
