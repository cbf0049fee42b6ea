/** 账号管理 (manual 3.16): accounts with their role, subnet and validity; web access settings; sessions. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, notify, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { fmtTime } from '../time.ts';
import { Errors, PresenceWarning, Section, askConfirm, checkNumber, isAdmin, usePresence, THead } from '../ui.tsx';

interface AccountRow {
  username: string;
  role: string;
  subnetLimit: boolean;
  subnet: string | null;
  enabled: boolean;
  expiresAt: number | null;
  signedIn: boolean;
  lastLoginIp: string | null;
}

interface Access {
  multiUser: boolean;
  idleLogoutMinutes: number;
  loginConflict: 'replace' | 'refuse';
  allowList: { enabled: boolean; ranges: Array<{ from: string; to: string }> };
}

const ROLES = ['admin', 'super', 'user', 'temporary'];
const RANGE_ROWS = 8;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const isIp = (s: string) => IPV4.test(s) || (/^[0-9a-fA-F:]+$/.test(s) && s.includes(':'));

function AccessForm(props: { access: Access; onSaved: (a: Access) => void }) {
  const [a, setA] = useState(props.access);
  const [rows, setRows] = useState(() => Array.from({ length: RANGE_ROWS }, (_, i) => props.access.allowList.ranges[i] ?? { from: '', to: '' }));
  const [errors, setErrors] = useState<string[]>([]);
  const dis = !isAdmin.value;
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: string[] = [];
    const m = checkNumber(t('idleLogout'), String(a.idleLogoutMinutes), 1, 1440);
    if (m) errs.push(m);
    const ranges = rows.filter((r) => r.from.trim() || r.to.trim()).map((r) => ({ from: r.from.trim(), to: r.to.trim() || r.from.trim() }));
    for (const r of ranges) {
      if (!isIp(r.from)) errs.push(t('badIp', { f: `${t('startIp')} ${r.from}` }));
      if (!isIp(r.to)) errs.push(t('badIp', { f: `${t('endIp')} ${r.to}` }));
    }
    setErrors(errs);
    if (errs.length) return;
    try {
      const saved = await api('PUT', '/settings/access', { body: { ...a, idleLogoutMinutes: Number(a.idleLogoutMinutes), allowList: { enabled: a.allowList.enabled, ranges } } });
      props.onSaved(saved);
      notify('ok', t('saved'));
    } catch (x) {
      showError(x);
    }
  };
  return (
    <form onSubmit={submit}>
      <div class="conditions">
        <label>
          {t('multiUser')}{' '}
          <select name="multiUser" value={a.multiUser ? '1' : '0'} disabled={dis} onChange={(e) => setA({ ...a, multiUser: e.currentTarget.value === '1' })}>
            <option value="1">{t('allow')}</option>
            <option value="0">{t('deny')}</option>
          </select>
        </label>
        <label>{t('idleLogout')} <input name="idleLogoutMinutes" class="short" value={String(a.idleLogoutMinutes)} disabled={dis} onInput={(e) => setA({ ...a, idleLogoutMinutes: e.currentTarget.value as unknown as number })} /></label>
        <label>
          {t('allowTakeover')}{' '}
          <select name="loginConflict" value={a.loginConflict} disabled={dis} onChange={(e) => setA({ ...a, loginConflict: e.currentTarget.value as Access['loginConflict'] })}>
            <option value="replace">{t('takeover_replace')}</option>
            <option value="refuse">{t('takeover_refuse')}</option>
          </select>
        </label>
        <label>
          {t('ipFilter')}{' '}
          <select name="allowListEnabled" value={a.allowList.enabled ? '1' : '0'} disabled={dis} onChange={(e) => setA({ ...a, allowList: { ...a.allowList, enabled: e.currentTarget.value === '1' } })}>
            <option value="1">{t('enabled')}</option>
            <option value="0">{t('disabled')}</option>
          </select>
        </label>
      </div>
      <h3 class="sub">{t('webAccess')}</h3>
      <table class="grid narrow">
        <THead cols={['index', 'startIp', 'endIp']} />
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td>{i}</td>
              <td><input name={`from-${i}`} value={r.from} placeholder="----" disabled={dis} onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, from: e.currentTarget.value } : x)))} /></td>
              <td><input name={`to-${i}`} value={r.to} placeholder="----" disabled={dis} onInput={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, to: e.currentTarget.value } : x)))} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <Errors list={errors} />
      <div class="buttons"><button type="submit" disabled={dis}>{t('submit')}</button></div>
    </form>
  );
}

export function Accounts() {
  usePresence('accounts');
  const [rows, setRows] = useState<AccountRow[] | null>(null);
  const [access, setAccess] = useState<Access | null>(null);
  const [missing, setMissing] = useState(false);
  const [sessions, setSessions] = useState<any[]>([]);
  const [form, setForm] = useState({ username: '', password: '', role: 'user', validHours: '24', subnetLimit: false, subnet: '' });
  const [errors, setErrors] = useState<string[]>([]);
  const load = async () => {
    try {
      const r = await get('/accounts');
      setRows(r.items ?? []);
      get('/settings/access').then(setAccess, () => setAccess(null));
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
    if (!/^[\p{L}\p{N}_.@-]{1,32}$/u.test(form.username)) errs.push(t('badFormat', { f: t('username'), hint: 'A-Z a-z 0-9 _ . @ -, 1-32' }));
    if (form.password.length < 1) errs.push(`${t('password')}: ${t('required')}`);
    if (form.role === 'temporary') {
      const m = checkNumber(t('validHours'), form.validHours, 1, 65535);
      if (m) errs.push(m);
    }
    if (form.subnetLimit && !/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(form.subnet.trim())) errs.push(t('badFormat', { f: t('subnet'), hint: '192.168.1.0/24' }));
    setErrors(errs);
    if (errs.length) return;
    try {
      await api('POST', '/accounts', {
        body: {
          username: form.username,
          password: form.password,
          role: form.role,
          ...(form.role === 'temporary' ? { validHours: Number(form.validHours) } : {}),
          ...(form.subnetLimit ? { subnetLimit: true, subnet: form.subnet.trim() } : {}),
        },
      });
      notify('ok', t('saved'));
      setForm({ ...form, username: '', password: '' });
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
  const takeover = access ? (access.loginConflict === 'replace' ? t('allow') : t('deny')) : '';
  return (
    <div>
      <Section title={t('accountTable')}>
        <PresenceWarning />
        <div class="scroll">
          <table class="grid" id="accounts-table">
            <THead cols={['index', 'username', 'password', 'subnetOnly', 'loginIp', 'allowTakeover', 'grade', 'validUntil', 'enabledCol', 'status']} blank />
            <tbody>
              {rows.map((a, i) => (
                <tr key={a.username}>
                  <td>{i}</td>
                  <td>{a.username}</td>
                  <td>*****</td>
                  <td>{a.subnetLimit ? a.subnet ?? '' : t('unlimited')}</td>
                  <td>{a.lastLoginIp ?? ''}</td>
                  <td>{takeover}</td>
                  <td>
                    <select value={a.role} disabled={dis || a.username === 'admin'} onChange={(e) => patch(a.username, { role: e.currentTarget.value })}>
                      {ROLES.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
                    </select>
                  </td>
                  <td>{a.expiresAt ? fmtTime(a.expiresAt) : t('forever')}</td>
                  <td>
                    <select value={a.enabled ? '1' : '0'} disabled={dis || a.username === 'admin'} onChange={(e) => patch(a.username, { enabled: e.currentTarget.value === '1' })}>
                      <option value="1">{t('enabled')}</option>
                      <option value="0">{t('disabled')}</option>
                    </select>
                  </td>
                  <td>{a.signedIn ? t('online') : t('offlineS')}</td>
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
        </div>
        <p class="hint">{t('roleHelp')}</p>
      </Section>
      <Section title={t('newAccount')}>
        <form class="conditions" onSubmit={create}>
          <label>{t('username')} <input name="new-username" value={form.username} disabled={dis} onInput={(e) => setForm({ ...form, username: e.currentTarget.value })} /></label>
          <label>{t('password')} <input name="new-password" type="password" autoComplete="new-password" value={form.password} disabled={dis} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} /></label>
          <label>
            {t('grade')}{' '}
            <select name="new-role" value={form.role} disabled={dis} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}>
              {ROLES.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
            </select>
          </label>
          {form.role === 'temporary' ? (
            <label>{t('validHours')} <input name="new-hours" class="short" value={form.validHours} onInput={(e) => setForm({ ...form, validHours: e.currentTarget.value })} /></label>
          ) : null}
          <label class="check"><input type="checkbox" name="new-subnet-limit" checked={form.subnetLimit} disabled={dis} onChange={(e) => setForm({ ...form, subnetLimit: e.currentTarget.checked })} /> {t('subnetOnly')}</label>
          {form.subnetLimit ? <label>{t('subnet')} <input name="new-subnet" placeholder="192.168.1.0/24" value={form.subnet} onInput={(e) => setForm({ ...form, subnet: e.currentTarget.value })} /></label> : null}
          <Errors list={errors} />
          <div class="buttons"><button type="submit" disabled={dis}>{t('add')}</button></div>
        </form>
      </Section>
      {access ? (
        <Section title={t('accessSettings')}>
          <AccessForm access={access} onSaved={setAccess} />
        </Section>
      ) : null}
      <Section title={t('sessions')}>
        <table class="grid">
          <THead cols={['username', 'grade', 'ip', 'time']} />
          <tbody>
            {sessions.map((s) => (
              <tr key={String(s.id)} class={s.current ? 'here' : ''}>
                <td>{String(s.username ?? '')}</td>
                <td>{s.role ? t(`role_${s.role}`) : ''}</td>
                <td>{String(s.ip ?? '')}</td>
                <td>{fmtTime(s.since ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </div>
  );
}
