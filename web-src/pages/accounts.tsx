/** 账号管理 (manual 3.16): accounts with their role and validity, web access by address, sessions. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, notify, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { fmtTime, localInputToIso } from '../time.ts';
import { Errors, PresenceWarning, Section, askConfirm, isAdmin, usePresence } from '../ui.tsx';

interface AccountRow {
  username: string;
  role: string;
  expiresAt?: string | null;
  subnetOnly?: boolean;
  allowTakeover?: boolean;
  online?: boolean;
  loginIp?: string | null;
}

const ROLES = ['admin', 'super', 'user', 'temporary'];

export function Accounts() {
  usePresence('accounts');
  const [rows, setRows] = useState<AccountRow[] | null>(null);
  const [missing, setMissing] = useState(false);
  const [sessions, setSessions] = useState<any[]>([]);
  const [form, setForm] = useState({ username: '', password: '', role: 'user', expiresAt: '' });
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const r = await get('/accounts');
      setRows(Array.isArray(r) ? r : r.items ?? []);
      get('/sessions').then((s) => setSessions(Array.isArray(s) ? s : s.items ?? []), () => setSessions([]));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setMissing(true);
      else showError(e);
    }
  };
  useEffect(() => void load(), []);
  if (missing) return <Section title={t('accountTable')}><p class="empty">{t('notAvailable')}</p></Section>;
  if (!rows) return <p>{t('loading')}</p>;
  const dis = !isAdmin.value;
  const create = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    if (!/^[A-Za-z0-9_.-]{1,32}$/.test(form.username)) errs.push(t('badFormat', { f: t('username'), hint: 'A-Z a-z 0-9 _ . -, 1-32' }));
    if (form.password.length < 1) errs.push(`${t('password')}: ${t('required')}`);
    if (form.role === 'temporary' && !form.expiresAt) errs.push(`${t('validUntil')}: ${t('required')}`);
    setErrors(errs);
    if (errs.length) return;
    try {
      await api('POST', '/accounts', {
        body: { username: form.username, password: form.password, role: form.role, ...(form.role === 'temporary' ? { expiresAt: localInputToIso(form.expiresAt) } : {}) },
      });
      notify('ok', t('saved'));
      setForm({ username: '', password: '', role: 'user', expiresAt: '' });
      await load();
    } catch (x) {
      showError(x);
    }
  };
  const patch = async (u: string, body: object) => {
    try {
      await api('PATCH', `/accounts/${encodeURIComponent(u)}`, { body });
      await load();
    } catch (x) {
      showError(x);
    }
  };
  return (
    <div>
      <Section title={t('accountTable')}>
        <PresenceWarning />
        <table class="grid" id="accounts-table">
          <thead>
            <tr>
              <th>{t('index')}</th>
              <th>{t('username')}</th>
              <th>{t('password')}</th>
              <th>{t('subnetOnly')}</th>
              <th>{t('loginIp')}</th>
              <th>{t('allowTakeover')}</th>
              <th>{t('grade')}</th>
              <th>{t('validUntil')}</th>
              <th>{t('status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((a, i) => (
              <tr key={a.username}>
                <td>{i}</td>
                <td>{a.username}</td>
                <td>*****</td>
                <td>{a.subnetOnly ? t('on') : t('unlimited')}</td>
                <td>{a.loginIp ?? ''}</td>
                <td>
                  <select value={a.allowTakeover === false ? '0' : '1'} disabled={dis} onChange={(e) => patch(a.username, { allowTakeover: e.currentTarget.value === '1' })}>
                    <option value="1">{t('allow')}</option>
                    <option value="0">{t('deny')}</option>
                  </select>
                </td>
                <td>
                  <select value={a.role} disabled={dis || a.username === 'admin'} onChange={(e) => patch(a.username, { role: e.currentTarget.value })}>
                    {ROLES.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
                  </select>
                </td>
                <td>{a.expiresAt ? fmtTime(a.expiresAt) : t('forever')}</td>
                <td>{a.online ? t('online') : t('offlineS')}</td>
                <td>
                  <button
                    type="button"
                    disabled={dis || a.username === 'admin'}
                    onClick={() => askConfirm(`${t('remove')} ${a.username}`, () => void api('DELETE', `/accounts/${encodeURIComponent(a.username)}`).then(load, showError))}
                  >
                    {t('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">{t('roleHelp')}</p>
      </Section>
      <Section title={t('newAccount')}>
        <form class="conditions" onSubmit={create}>
          <label>{t('username')} <input name="new-username" value={form.username} disabled={dis} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} /></label>
          <label>{t('password')} <input name="new-password" type="password" autoComplete="new-password" value={form.password} disabled={dis} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} /></label>
          <label>
            {t('grade')}{' '}
            <select name="new-role" value={form.role} disabled={dis} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
              {ROLES.filter((r) => r !== 'admin').map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
            </select>
          </label>
          {form.role === 'temporary' ? (
            <label>{t('validUntil')} <input type="datetime-local" name="new-expires" value={form.expiresAt} onInput={(e) => setForm({ ...form, expiresAt: e.currentTarget.value })} /></label>
          ) : null}
          <Errors list={errors} />
          <div class="buttons"><button type="submit" disabled={dis}>{t('add')}</button></div>
        </form>
      </Section>
      <Section title={t('sessions')}>
        <table class="grid">
          <thead>
            <tr>
              <th>{t('username')}</th>
              <th>{t('ip')}</th>
              <th>{t('time')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s, i) => (
              <tr key={i}>
                <td>{String(s.username ?? s.account ?? '')}</td>
                <td>{String(s.ip ?? '')}</td>
                <td>{fmtTime(s.createdAt ?? s.since ?? s.lastSeenAt ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
