/**
 * The seat's own page (/seat, 云座席客户端 in the browser): a seat signs in
 * with its seat account and sees its channel, the screen pop of an incoming
 * call (with a desktop notification where the browser allows), the
 * channels it may see with a listen button where its monitor right reaches,
 * and its recordings to play and download, kept up to date by sync.
 */
import { useEffect, useState } from 'preact/hooks';
import { signal } from '@preact/signals';
import { ApiError, api, errorText } from '../../api.ts';
import { lang, setLang, t, t2 } from '../../i18n.ts';
import { fmtDuration, fmtTime } from '../../time.ts';
import { Errors, SignInForm } from '../../ui.tsx';
import { channelLabel } from '../monitor.tsx';
import { ListenControl, ListenError } from './listen-control.ts';
import { seatConnected, seatSocket } from './seat-socket.ts';
import './labels.ts';

interface SeatSelf {
  ref: string;
  account: string;
  name: string;
  lineNumber: string;
  group: number;
  level: string;
  rights: Record<string, string>;
}

interface Pop {
  ref: string;
  callId: string;
  phase: 'ringing' | 'answered' | 'ended';
  remoteNumber: string;
  callerName: string;
  at: string;
}

const me = signal<SeatSelf | null>(null);
const pop = signal<Pop | null>(null);
const seatChannels = signal<any[]>([]);
const calls = signal<any[]>([]);
const cursor = signal(0);

async function refreshChannels(): Promise<void> {
  seatChannels.value = (await api('GET', '/seat/channels', { quiet401: true })).items;
}

async function refreshCalls(): Promise<void> {
  calls.value = (await api('GET', '/records?limit=20', { quiet401: true })).items;
}

/** Incremental sync (同步): what changed since the last cursor; the list is re-read when anything did. */
async function sync(): Promise<number> {
  let n = 0;
  for (;;) {
    const r = await api('GET', `/seat/sync?cursor=${cursor.value}`, { quiet401: true });
    n += r.items.length;
    cursor.value = r.cursor;
    if (!r.more) break;
  }
  if (n) await refreshCalls();
  return n;
}

function desktopNotify(p: Pop): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted' || p.phase === 'ended') return;
  try {
    new Notification(t('screenPop'), { body: p.remoteNumber || t('noCaller'), tag: p.callId });
  } catch {
    /* not allowed here */
  }
}

function SeatLogin(props: { onDone: () => void }) {
  const signIn = async (account: string, password: string): Promise<string[] | null> => {
    try {
      const r = await api('POST', '/seat/login', { body: { account, password }, quiet401: true });
      me.value = r.seat;
      props.onDone();
      return null;
    } catch (x) {
      if (x instanceof ApiError && x.status === 401) return [t('badCredentials')];
      if (x instanceof ApiError && x.code === 'seat_disabled') return [t('seatDisabled')];
      return [errorText(x)];
    }
  };
  return <SignInForm title={t('seatLogin')} nameLabel={t('seatAccount')} nameField="account" className="seat-login" signIn={signIn} />;
}

function PopPanel() {
  const p = pop.value;
  return (
    <section class={`panel seat-pop${p && p.phase !== 'ended' ? ' active' : ''}`} id="seat-pop" aria-live="assertive">
      <h2>{t('screenPop')}</h2>
      {p ? (
        <div>
          <div class="pop-phase">{t(p.phase === 'ringing' ? 'popRinging' : p.phase === 'answered' ? 'popAnswered' : 'popEnded')} · {fmtTime(p.at)}</div>
          <div class="pop-number" data-testid="pop-number">{p.remoteNumber || t('noCaller')}</div>
          {p.callerName ? <div class="pop-name">{p.callerName}</div> : null}
        </div>
      ) : (
        <p class="empty">—</p>
      )}
      {typeof Notification !== 'undefined' && Notification.permission === 'default' ? (
        <button type="button" class="link" onClick={() => void Notification.requestPermission()}>{t('notifyAsk')}</button>
      ) : null}
    </section>
  );
}

function LiveChannels(props: { control: ListenControl }) {
  const [err, setErr] = useState<string[]>([]);
  const active = props.control.active.value;
  const toggle = async (ref: string) => {
    setErr([]);
    try {
      if (active.has(ref)) await props.control.stop(ref);
      else await props.control.listen(ref);
    } catch (x) {
      setErr([x instanceof ListenError && x.code === 'listeners_full' ? t('listenersFull') : x instanceof ListenError && x.code === 'forbidden' ? t('listenForbidden') : errorText(x)]);
    }
  };
  return (
    <section class="panel" id="seat-channels">
      <h2>{t('liveChannels')}</h2>
      <Errors list={err} />
      <table class="grid">
        <thead>
          <tr><th>{t('channelNo')}</th><th>{t('channelState')}</th><th>{t('lineNumber')}</th><th>{t('remoteNumber')}</th><th>{t('listenState')}</th></tr>
        </thead>
        <tbody>
          {seatChannels.value.map((c) => (
            <tr key={c.ref} data-ref={c.ref}>
              <td>{channelLabel(c)}</td>
              <td class={`state-${c.state}`}>{t(`st_${c.state}`)}</td>
              <td>{c.lineNumber}</td>
              <td>{c.remoteNumber}</td>
              <td class="actions">
                {c.mayListen ? (
                  <button type="button" class={active.has(c.ref) ? 'current listen' : 'listen'} onClick={() => void toggle(c.ref)}>
                    {active.has(c.ref) ? t('stopListen') : t('listen')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Calls() {
  const [playing, setPlaying] = useState<string | null>(null);
  const [note, setNote] = useState('');
  return (
    <section class="panel" id="seat-calls">
      <h2>
        {t('myCalls')}{' '}
        <button type="button" onClick={() => void sync().then((n) => setNote(t('synced', { n })), (e) => setNote(errorText(e)))}>{t('syncNow')}</button>
        {note ? <span class="sync-note">{note}</span> : null}
      </h2>
      <table class="grid">
        <thead>
          <tr><th>{t('recStart')}</th><th>{t('channelNo')}</th><th>{t('remoteNumber')}</th><th>{t('callType')}</th><th>{t('recDuration')}</th><th /></tr>
        </thead>
        <tbody>
          {calls.value.map((r) => (
            <tr key={r.id} data-id={r.id}>
              <td>{fmtTime(r.startTime)}</td>
              <td>{channelLabel(r)}</td>
              <td>{r.remoteNumber}</td>
              <td>{t2('ct', r.callType)}</td>
              <td>{fmtDuration(r.durationS)}</td>
              <td class="actions">
                {r.file ? (
                  <>
                    <button type="button" onClick={() => setPlaying(r.id)}>{t('play')}</button>
                    <a href={`/api/v1/records/${encodeURIComponent(r.id)}/download`} download>{t('download')}</a>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {playing ? <audio controls autoPlay src={`/api/v1/records/${encodeURIComponent(playing)}/play`} /> : null}
    </section>
  );
}

function SeatHome() {
  const [control, setControl] = useState<ListenControl | null>(null);
  useEffect(() => {
    const io = seatSocket(
      (e) => {
        if (e.type === 'channel.state') seatChannels.value = seatChannels.value.map((c) => (c.ref === e.ref ? { ...c, state: e.state, remoteNumber: e.remoteNumber, recording: e.recording } : c));
        if (e.type === 'recording.indexed') void sync().catch(() => undefined);
      },
      (p: Pop) => {
        pop.value = p;
        desktopNotify(p);
      },
    );
    const c = new ListenControl(io);
    setControl(c);
    void refreshChannels().catch(() => undefined);
    void sync().then(refreshCalls).catch(() => undefined);
    return () => {
      void c.close();
      io.close();
    };
  }, []);
  const s = me.value!;
  const logout = async () => {
    await api('POST', '/seat/logout', { quiet401: true }).catch(() => undefined);
    me.value = null;
    location.reload();
  };
  return (
    <div class="seat-shell">
      <header class="top">
        <span class="brand">{t('seatTitle')}</span>
        <span class={`seat-lamp${seatConnected.value ? " on" : ""}`}>{seatConnected.value ? t('online') : t('seatOffline')}</span>
        <button type="button" class="lang" onClick={() => setLang(lang.value === 'zh' ? 'en' : 'zh')}>{t('language')}</button>
        <div class="userbox">
          <span>{t('seatAccount')}: <b data-testid="seat-account">{s.account}</b></span>
          <span>{t(`level_${s.level}`)}</span>
          <span>{t('myLine', { ch: s.ref, line: s.lineNumber })}</span>
          <button type="button" class="link" onClick={() => void logout()}>{t('seatLogout')}</button>
        </div>
      </header>
      <main class="seat-main">
        <PopPanel />
        {control ? <LiveChannels control={control} /> : null}
        <Calls />
      </main>
    </div>
  );
}

export function SeatApp() {
  const [phase, setPhase] = useState<'loading' | 'login' | 'in'>('loading');
  useEffect(() => {
    api('GET', '/seat/me', { quiet401: true }).then(
      (r) => {
        me.value = r.seat;
        setPhase('in');
      },
      () => setPhase('login'),
    );
  }, []);
  if (phase === 'loading') return null;
  if (phase === 'login' || !me.value) return <SeatLogin onDone={() => setPhase('in')} />;
  return <SeatHome />;
}
