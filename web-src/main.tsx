/** The web UI: login, the manual's layout (top bar, left navigation) and its pages. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { effect } from '@preact/signals';
import './style.css';
import { ApiError, api, authRedirect, errorText, get, notify, toast } from './api.ts';
import { lang, setLang, t } from './i18n.ts';
import { alarms, connected, linecardUp, refreshChannels, startLive, stopLive } from './live.ts';
import { navigate, pathOf, route } from './router.ts';
import { boxNow, boxZone, clockSkew, fmtClock } from './time.ts';
import { ConfirmDialog, Errors, SignInForm, account, authEnabled, isAdmin } from './ui.tsx';
import { Monitor } from './pages/monitor.tsx';
import { RecordingStatus } from './pages/status.tsx';
import { RecordingParams } from './pages/recording-params.tsx';
import { ChannelParams } from './pages/channel-params.tsx';
import { DoNotRecord } from './pages/do-not-record.tsx';
import { Search } from './pages/search.tsx';
import { Stats } from './pages/stats.tsx';
import { DeviceInfo } from './pages/device.tsx';
import { ActiveAlarms, AlarmHistory } from './pages/alarms.tsx';
import { OperationLog } from './pages/operations.tsx';
import { Accounts } from './pages/accounts.tsx';
import { CustodyPage } from './pages/custody.tsx';
import { E1Params } from './pages/trunk/e1-params.tsx';
import { E1Status } from './pages/trunk/e1-status.tsx';
import { VoipParams } from './pages/trunk/voip-params.tsx';
import { VoipStatus } from './pages/trunk/voip-status.tsx';
import { SystemSettings } from './pages/system/system-settings.tsx';
import { NetSettings } from './pages/system/net-settings.tsx';
import { TimeSettings } from './pages/system/time-settings.tsx';
import { NetConfirm } from './pages/system/net-confirm.tsx';
import { MailPush } from './pages/system/mail-push.tsx';
import { ProcessingInfo } from './pages/system/processing-page.tsx';
import { SystemLogPage } from './pages/system/syslog-page.tsx';
import { DebugPing } from './pages/system/debug-ping.tsx';
import { DeviceManagement } from './pages/system/device-mgmt.tsx';
import { LicensePage } from './pages/system/license.tsx';
import { SystemUpgrade } from './pages/system/system-upgrade.tsx';
import { SeatApp } from './pages/seat/seat-app.tsx';
import { SeatSettings } from './pages/seat/seat-settings.tsx';
import { NasPage } from './pages/cloud/nas.tsx';
import { WorkMode } from './pages/cloud/work-mode.tsx';
import { ObjectStore } from './pages/objectstore/object-store.tsx';

interface Page {
  path: string;
  label: string;
  view: () => any;
}

const NAV: Array<{ group: string; pages: Page[] }> = [
  {
    group: 'sysInfo',
    pages: [
      { path: '/device', label: 'deviceInfo', view: () => <DeviceInfo /> },
      { path: '/alarms', label: 'realtimeAlarms', view: () => <ActiveAlarms /> },
      { path: '/alarms/history', label: 'historyAlarms', view: () => <AlarmHistory /> },
      { path: '/operations', label: 'operationLog', view: () => <OperationLog /> },
      { path: '/custody', label: 'custody', view: () => <CustodyPage /> },
    ],
  },
  {
    group: 'recMgmt',
    pages: [
      { path: '/settings/recording', label: 'recParams', view: () => <RecordingParams /> },
      { path: '/settings/channels', label: 'chParams', view: () => <ChannelParams /> },
      { path: '/settings/do-not-record', label: 'doNotRecord', view: () => <DoNotRecord /> },
      { path: '/status', label: 'recStatus', view: () => <RecordingStatus /> },
      { path: '/settings/e1', label: 'e1Params', view: () => <E1Params /> },
      { path: '/e1/status', label: 'e1Status', view: () => <E1Status /> },
      { path: '/settings/voip', label: 'voipParams', view: () => <VoipParams /> },
      { path: '/voip/status', label: 'voipStatus', view: () => <VoipStatus /> },
      { path: '/stats', label: 'recStats', view: () => <Stats /> },
      { path: '/records/today', label: 'searchToday', view: () => <Search store="today" /> },
      { path: '/records/history', label: 'searchHistory', view: () => <Search store="history" /> },
    ],
  },
  {
    group: 'cloud',
    pages: [
      { path: '/settings/seats', label: 'seatSettings', view: () => <SeatSettings /> },
      { path: '/nas', label: 'nas', view: () => <NasPage /> },
      { path: '/objectstore', label: 'objectStore', view: () => <ObjectStore /> },
    ],
  },
  {
    // In the manual's order (3.13–3.23).
    group: 'sysMgmt',
    pages: [
      { path: '/system/settings', label: 'nsSystemSettings', view: () => <SystemSettings /> },
      { path: '/settings/work-mode', label: 'workMode', view: () => <WorkMode /> },
      { path: '/system/network', label: 'nsIpSettings', view: () => <NetSettings /> },
      { path: '/system/time', label: 'nsTimeSettings', view: () => <TimeSettings /> },
      { path: '/accounts', label: 'accounts', view: () => <Accounts /> },
      { path: '/system/device', label: 'deviceMgmt', view: () => <DeviceManagement /> },
      { path: '/system/mail', label: 'mailPush', view: () => <MailPush /> },
      { path: '/system/license', label: 'licenseUpgrade', view: () => <LicensePage /> },
      { path: '/system/processing', label: 'processingInfo', view: () => <ProcessingInfo /> },
      { path: '/system/logs', label: 'systemLog', view: () => <SystemLogPage /> },
      { path: '/system/upgrade', label: 'systemUpgrade', view: () => <SystemUpgrade /> },
      { path: '/system/debug', label: 'systemDebug', view: () => <DebugPing /> },
    ],
  },
];

const ALL_PAGES = NAV.flatMap((g) => g.pages.map((p) => ({ ...p, group: g.group })));

async function loadBox(): Promise<void> {
  const d = await get('/device');
  if (d.timeZone) boxZone.value = d.timeZone;
  if (d.now) clockSkew.value = Date.parse(d.now) - Date.now();
}

async function loadSession(): Promise<'ok' | 'login' | 'password'> {
  try {
    const me = await api('GET', '/me', { quiet401: true });
    account.value = me.account;
    authEnabled.value = true;
    watchIdle(Number(me.session?.idleLogoutMinutes) || 0);
    return me.account.mustChangePassword ? 'password' : 'ok';
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      // No accounts on this box yet: the local administrator.
      authEnabled.value = false;
      account.value = { username: 'admin', role: 'admin' };
      return 'ok';
    }
    if (e instanceof ApiError && e.status === 403 && /password_change_required/i.test(e.code)) return 'password';
    return 'login';
  }
}

/** 空闲自动退出: after this many minutes without a click or key the session ends (0: never). */
let idleTimer: ReturnType<typeof setTimeout> | undefined;
let idleMinutes = 0;
function watchIdle(minutes: number): void {
  idleMinutes = minutes;
  armIdle();
}
function armIdle(): void {
  clearTimeout(idleTimer);
  if (!idleMinutes || !account.value) return;
  idleTimer = setTimeout(() => {
    void api('POST', '/logout', { quiet401: true }).catch(() => undefined);
    authRedirect.value = '/login';
  }, idleMinutes * 60_000);
}
for (const ev of ['pointerdown', 'keydown', 'wheel']) window.addEventListener(ev, armIdle, { passive: true });

function Login(props: { onDone: () => void }) {
  const signIn = async (username: string, password: string): Promise<string[] | null> => {
    try {
      const r = await api('POST', '/login', { body: { username, password }, quiet401: true });
      account.value = r.account;
      void api('GET', '/me', { quiet401: true }).then((me) => watchIdle(Number(me.session?.idleLogoutMinutes) || 0), () => undefined);
      props.onDone();
      return null;
    } catch (x) {
      if (x instanceof ApiError) {
        const c = x.code.toLowerCase();
        if (c === 'bad_credentials' || x.status === 401) return [t('badCredentials')];
        if (c === 'locked') return [t('locked', { s: x.body?.error?.retryAfterSeconds ?? x.body?.retryAfterSeconds ?? '?' })];
        if (c === 'address_not_allowed') return [t('addressNotAllowed')];
        if (c === 'account_in_use') return [t('accountInUse')];
        if (c === 'account_expired') return [t('accountExpired')];
      }
      return [errorText(x)];
    }
  };
  return <SignInForm title={t('app')} nameLabel={t('username')} nameField="username" initialName="admin" signIn={signIn} />;
}

function PasswordPage(props: { onDone: () => void }) {
  const [oldPassword, setOld] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [err, setErr] = useState<string[]>([]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (newPassword !== repeat) return setErr([t('passwordsDiffer')]);
    try {
      await api('POST', '/me/password', { body: { oldPassword, newPassword } });
      notify('ok', t('passwordChanged'));
      if (account.value) account.value = { ...account.value, mustChangePassword: false };
      props.onDone();
    } catch (x) {
      if (x instanceof ApiError && /weak_password/i.test(x.code)) return setErr([t('weakPassword', { m: x.message })]);
      if (x instanceof ApiError && x.status === 401) return setErr([t('badCredentials')]);
      setErr([errorText(x)]);
    }
  };
  return (
    <div class="login-page">
      <form class="login" onSubmit={submit}>
        <h1>{t('changePassword')}</h1>
        {account.value?.mustChangePassword ? <p class="warn">{t('mustChange')}</p> : null}
        <label>
          {t('oldPassword')}
          <input name="oldPassword" type="password" autoComplete="current-password" value={oldPassword} onInput={(e) => setOld(e.currentTarget.value)} />
        </label>
        <label>
          {t('newPassword')}
          <input name="newPassword" type="password" autoComplete="new-password" value={newPassword} onInput={(e) => setNew(e.currentTarget.value)} />
        </label>
        <label>
          {t('repeatPassword')}
          <input name="repeatPassword" type="password" autoComplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} />
        </label>
        <Errors list={err} />
        <button type="submit">{t('submit')}</button>
      </form>
    </div>
  );
}

function TopBar(props: { onMenu: () => void }) {
  const a = account.value;
  const logout = async () => {
    try {
      await api('POST', '/logout', { quiet401: true });
    } catch {
      /* gone already */
    }
    account.value = null;
    stopLive();
    navigate('/login');
  };
  return (
    <header class="top">
      <button type="button" class="menu" aria-label="menu" onClick={props.onMenu}>☰</button>
      <span class="brand">{t('app')}</span>
      <a href="/monitor" class="top-link" onClick={(e) => (e.preventDefault(), navigate('/monitor'))}>{t('monitor')}</a>
      <a href="/alarms" class={`top-link alarm-count${alarms.value.length ? ' active' : ''}`} onClick={(e) => (e.preventDefault(), navigate('/alarms'))}>
        {t('alarms')} <b data-testid="alarm-count">{alarms.value.length}</b>
      </a>
      <button type="button" class="lang" onClick={() => setLang(lang.value === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
      <div class="userbox">
        <span>{t('user')}: <b data-testid="user">{a?.username}</b></span>
        <span>{t('role')}: {a ? t(`role_${a.role}`) : ''}</span>
        <span class="clock" data-testid="clock">{fmtClock(boxNow())}</span>
        {authEnabled.value ? <button type="button" class="link" onClick={logout}>{t('logout')}</button> : null}
        {authEnabled.value ? <button type="button" class="link" onClick={() => navigate('/password')}>{t('changePassword')}</button> : null}
      </div>
    </header>
  );
}

function Nav(props: { open: boolean; onPick: () => void }) {
  const here = pathOf(route.value);
  return (
    <nav class={`side${props.open ? ' open' : ''}`}>
      {NAV.map((g) => (
        <div class="group" key={g.group}>
          <h3>{t(g.group)}</h3>
          {g.pages.length === 0 ? <p class="empty">{t('cloudEmpty')}</p> : null}
          {g.pages
            .filter((p) => p.path !== '/accounts' || isAdmin.value || !authEnabled.value)
            .map((p) => (
              <a
                key={p.path}
                href={p.path}
                class={here === p.path ? 'here' : ''}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(p.path);
                  props.onPick();
                }}
              >
                {t(p.label)}
              </a>
            ))}
        </div>
      ))}
    </nav>
  );
}

function Toast() {
  const m = toast.value;
  useEffect(() => {
    if (!m) return;
    const id = setTimeout(() => (toast.value = null), m.kind === 'ok' ? 3000 : 8000);
    return () => clearTimeout(id);
  }, [m]);
  if (!m) return null;
  return (
    <div class={`toast ${m.kind}`} role={m.kind === 'error' ? 'alert' : 'status'} onClick={() => (toast.value = null)}>
      {m.text}
    </div>
  );
}

function Shell() {
  const [navOpen, setNavOpen] = useState(false);
  const path = pathOf(route.value);
  const page = ALL_PAGES.find((p) => p.path === path);
  const crumb = page ? `${t(page.group)} >> ${t(page.label)}` : t('monitor');
  return (
    <div class="shell">
      <TopBar onMenu={() => setNavOpen(!navOpen)} />
      <Nav open={navOpen} onPick={() => setNavOpen(false)} />
      <main>
        {!linecardUp.value ? <div class="banner" role="alert">{t('linecardDown')}</div> : null}
        {!connected.value ? <div class="banner soft">{t('offline')}</div> : null}
        <div class="crumb">
          {crumb}
          {page && path !== '/monitor' ? (
            <>
              {' | '}
              <a href="/monitor" onClick={(e) => (e.preventDefault(), navigate('/monitor'))}>{t('backToMonitor')}</a>
            </>
          ) : null}
        </div>
        {page ? page.view() : <Monitor />}
      </main>
    </div>
  );
}

function App() {
  const [phase, setPhase] = useState<'loading' | 'ready'>('loading');
  const path = pathOf(route.value);
  const enter = () => {
    if (!clockSkew.value) void loadBox().catch(() => undefined);
    void refreshChannels().catch(() => undefined);
    startLive();
    if (path === '/login' || path === '/password' || path === '/') navigate('/monitor', true);
  };
  useEffect(() => {
    // The IP settings' confirmation at a new address needs no session (net-confirm.tsx).
    if (path === '/network-confirm') return;
    void (async () => {
      const s = await loadSession();
      // The box's zone and clock before any page computes a default time.
      if (s === 'ok') await loadBox().catch(() => undefined);
      setPhase('ready');
      if (s === 'ok') enter();
      else navigate(s === 'login' ? '/login' : '/password', true);
    })();
  }, []);
  useEffect(
    () =>
      effect(() => {
        const to = authRedirect.value;
        if (!to) return;
        authRedirect.value = null;
        if (to === '/login') {
          account.value = null;
          stopLive();
        }
        navigate(to);
      }),
    [],
  );
  if (path === '/network-confirm') return <NetConfirm />;
  if (phase === 'loading') return <p class="loading">{t('loading')}</p>;
  if (path === '/login' || !account.value) {
    return <Login onDone={() => (account.value?.mustChangePassword ? navigate('/password') : (navigate('/monitor'), enter()))} />;
  }
  if (path === '/password') return <PasswordPage onDone={() => (navigate('/monitor'), enter())} />;
  return <Shell />;
}

function Root() {
  // Read the language so a switch re-renders every label.
  void lang.value;
  // A seat's own page (/seat) has its own sign-in and layout.
  const seat = pathOf(route.value) === '/seat';
  return (
    <>
      {seat ? <SeatApp /> : <App />}
      <Toast />
      <ConfirmDialog />
    </>
  );
}

document.documentElement.lang = lang.value === 'zh' ? 'zh-CN' : 'en';
effect(() => {
  document.title = t('app');
});
render(<Root />, document.getElementById('app')!);
