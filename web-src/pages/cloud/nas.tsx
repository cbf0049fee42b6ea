/** Nas私人网盘 (manual 3.12): the four targets with link state, sync time and progress, their settings, manual backup of a time range, the runs. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { fmtTime, localInputToIso, toLocalInput } from '../../time.ts';
import { Row, Section, canEdit } from '../../ui.tsx';
import './labels.ts';

type Target = Record<string, any>;

function progress(s: any): string {
  if (!s) return '';
  const r = s.run;
  const sync = s.lastSyncAt ? fmtTime(s.lastSyncAt) : '-';
  if (r && r.state === 'running') return `${sync} · ${r.done + r.skipped + r.failed}/${r.total}`;
  return sync;
}

function TargetForm(props: { target: Target; onSaved: (v: any) => void; revision: string }) {
  const [f, setF] = useState<Target>({ ...props.target, password: '' });
  const set = (k: string, v: unknown) => setF({ ...f, [k]: v });
  const input = (k: string, type: 'text' | 'password' = 'text') => <input name={k} type={type as 'text'} value={String(f[k] ?? '')} disabled={!canEdit.value} onInput={(e) => set(k, e.currentTarget.value)} />;
  const save = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      enabled: f.enabled, protocol: f.protocol, host: f.host, port: Number(f.port) || 0, share: f.share, account: f.account, directory: f.directory, autoBackup: f.autoBackup,
    };
    if (f.password) body.password = f.password;
    try {
      props.onSaved(await api('PATCH', `/nas/targets/${props.target.slot}`, { body, ifMatch: props.revision }));
      notify('ok', t('nasSaved'));
    } catch (err) {
      showError(err);
    }
  };
  return (
    <form class="nas-target" onSubmit={save}>
      <Row label={t('nasSwitch')}>
        <select name="enabled" value={f.enabled ? 'on' : 'off'} disabled={!canEdit.value} onChange={(e) => set('enabled', e.currentTarget.value === 'on')}>
          <option value="on">{t('nasEnabled')}</option>
          <option value="off">{t('nasDisabled')}</option>
        </select>
      </Row>
      <Row label={t('nasProtocol')}>
        <select name="protocol" value={f.protocol} disabled={!canEdit.value} onChange={(e) => set('protocol', e.currentTarget.value)}>
          <option value="smb">SMB 2/3</option>
          <option value="ftp">FTP</option>
          <option value="ftps">FTPS</option>
        </select>
      </Row>
      <Row label={t('nasHost')}>{input('host')}</Row>
      <Row label={t('nasPort')} hint="(0: 445 / 21)">{input('port')}</Row>
      {f.protocol === 'smb' && <Row label={t('nasShare')}>{input('share')}</Row>}
      <Row label={t('nasAccount')}>{input('account')}</Row>
      <Row label={t('nasPassword')} hint={props.target.passwordSet ? t('nasPasswordKeep') : undefined}>{input('password', 'password')}</Row>
      <Row label={t('nasDirectory')}>{input('directory')}</Row>
      <Row label={t('nasAuto')}>
        <input type="checkbox" name="autoBackup" checked={Boolean(f.autoBackup)} disabled={!canEdit.value} onChange={(e) => set('autoBackup', e.currentTarget.checked)} />
      </Row>
      {canEdit.value && <button type="submit">{t('nasSave')}</button>}
    </form>
  );
}

function ManualBackup(props: { slot: number; onQueued: () => void }) {
  const now = Date.now();
  const [from, setFrom] = useState(toLocalInput(now - 86_400_000));
  const [to, setTo] = useState(toLocalInput(now));
  const start = async (e: Event) => {
    e.preventDefault();
    try {
      const run = await api('POST', `/nas/targets/${props.slot}/backup`, { body: { from: localInputToIso(from), to: localInputToIso(to) } });
      notify('ok', t('nasQueuedRun', { n: run.total }));
      props.onQueued();
    } catch (err) {
      showError(err);
    }
  };
  return (
    <form class="nas-manual" onSubmit={start}>
      {t('nasFrom')} <input type="datetime-local" name="from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />{' '}
      {t('nasTo')} <input type="datetime-local" name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />{' '}
      <button type="submit" disabled={!canEdit.value}>{t('nasStart')}</button>
    </form>
  );
}

export function NasPage() {
  const [view, setView] = useState<any>(null);
  const [revision, setRevision] = useState('');
  const [runs, setRuns] = useState<any[]>([]);
  const [editing, setEditing] = useState<number | null>(null);
  const [manual, setManual] = useState<number | null>(null);
  const load = async () => {
    try {
      const v = await get('/nas');
      setView(v);
      setRevision(v.revision);
      setRuns((await get('/nas/runs?limit=10')).items);
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  useEffect(
    () =>
      onLiveEvent(['nas.target'], (e) => {
        setView((v: any) => (v ? { ...v, targets: v.targets.map((x: any) => (x.slot === e.slot ? { ...x, status: e } : x)) } : v));
        if (e.run && e.run.state !== 'running') void get('/nas/runs?limit=10').then((r) => setRuns(r.items)).catch(() => undefined);
      }),
    [],
  );
  if (!view) return <p>{t('loading')}</p>;
  return (
    <div>
      <Section title={t('nasTargets')}>
        <table class="grid nas-targets">
          <thead>
            <tr>{['nasNo', 'nasSwitch', 'nasProtocol', 'nasHost', 'nasAccount', 'nasPassword', 'nasDirectory', 'nasSync', 'nasManual', 'nasLink', 'nasState'].map((k) => <th key={k}>{t(k)}</th>)}<th /></tr>
          </thead>
          <tbody>
            {view.targets.map((x: any) => (
              <tr key={x.slot} data-slot={x.slot}>
                <td>{x.slot}</td>
                <td>{x.enabled ? t('nasEnabled') : t('nasDisabled')}</td>
                <td>{x.enabled ? x.protocol.toUpperCase() : '-'}</td>
                <td>{x.host || '----'}</td>
                <td>{x.account || '-'}</td>
                <td>{x.passwordSet ? '***' : '-'}</td>
                <td>{x.directory || '-'}</td>
                <td class="nas-progress">{progress(x.status)}</td>
                <td><button type="button" name={`manual-${x.slot}`} disabled={!x.enabled} onClick={() => setManual(manual === x.slot ? null : x.slot)}>{t('nasManual')}</button></td>
                <td class="nas-link">{t(`link_${x.status?.link ?? 'disconnected'}`)}</td>
                <td class="nas-state" title={x.status?.lastError?.message ?? ''}>
                  {t(`ns_${x.status?.state ?? 'disabled'}`)}
                  {x.status?.queued ? ` · ${t('nasQueued')} ${x.status.queued}` : ''}
                  {x.status?.lastError ? ` · ${x.status.lastError.message}` : ''}
                </td>
                <td><button type="button" name={`edit-${x.slot}`} onClick={() => setEditing(editing === x.slot ? null : x.slot)}>{t('nasEdit')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        {manual !== null && <ManualBackup slot={manual} onQueued={() => void load()} />}
        {editing !== null && (
          <TargetForm
            key={`${editing}-${revision}`}
            target={view.targets[editing]}
            revision={revision}
            onSaved={(v) => {
              setView(v);
              setRevision(v.revision);
              setEditing(null);
            }}
          />
        )}
        <p class="hint">{t('nasTips')}</p>
      </Section>
      <Section title={t('nasRuns')}>
        <table class="grid nas-runs">
          <thead>
            <tr>{['nasNo', 'nasKind', 'nasFrom', 'nasTo', 'nasSync', 'nasState'].map((k) => <th key={k}>{t(k)}</th>)}</tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>{r.slot}</td>
                <td>{t(`run_${r.kind}`)}</td>
                <td>{fmtTime(r.from)}</td>
                <td>{fmtTime(r.to)}</td>
                <td>{`${r.done}/${r.total}`}{r.endedAt ? ` · ${fmtTime(r.endedAt)}` : ''}</td>
                <td>{t(`run_${r.state}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
