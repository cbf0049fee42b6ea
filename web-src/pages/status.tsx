/** 录音状态 (manual 3.7): each channel's state, mode, recording, voltage, numbers, times, level meter, forced recording; 16 per page. */
import { useEffect, useState } from 'preact/hooks';
import { api, showError } from '../api.ts';
import { t, t2 } from '../i18n.ts';
import { channels, liveIo, patchChannel, setLevelWatch } from '../live.ts';
import { ListenControl, ListenError } from './seat/listen-control.ts';
import './seat/labels.ts';
import { fmtDuration, fmtTime } from '../time.ts';
import { Pager, ReadOnlyNote, canEdit, THead } from '../ui.tsx';
import { channelLabel, runningS } from './monitor.tsx';

const PER_PAGE = 16;

/** 座席状态 and 监听状态 of each channel, from the seat settings. */
type SeatState = Record<string, { online: boolean; listeners: string[] }>;

export function RecordingStatus() {
  const [page, setPage] = useState(1);
  const [seats, setSeats] = useState<SeatState>({});
  const [control] = useState(() => new ListenControl(liveIo));
  useEffect(() => {
    setLevelWatch(true);
    const load = () =>
      api('GET', '/seats').then(
        (r) => setSeats(Object.fromEntries(r.items.map((s: any) => [s.ref, { online: s.online, listeners: s.listeners.map((l: any) => l.account) }]))),
        () => undefined,
      );
    void load();
    const id = setInterval(() => void load(), 5000);
    return () => {
      setLevelWatch(false);
      clearInterval(id);
      void control.close();
    };
  }, []);
  const active = control.active.value;
  const listen = async (ref: string) => {
    try {
      if (active.has(ref)) await control.stop(ref);
      else await control.listen(ref);
    } catch (e) {
      showError(e instanceof ListenError && e.code === 'listeners_full' ? new Error(t('listenersFull')) : e);
    }
  };
  const list = channels.value;
  const pages = Math.max(1, Math.ceil(list.length / PER_PAGE));
  const shown = list.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const force = async (ref: string, on: boolean) => {
    try {
      patchChannel(ref, await api('PUT', `/channels/${encodeURIComponent(ref)}/forced-recording`, { body: { on } }));
    } catch (e) {
      showError(e);
    }
  };
  return (
    <section class="panel">
      <h2>{t('recStatus')}</h2>
      <ReadOnlyNote />
      <div class="scroll">
        <table class="grid" id="status-table">
          <THead cols={['channelNo', 'channelState', 'recMode', 'recState', 'voltage', 'lineNumber', 'remoteNumber', 'recStart', 'recDuration', 'soundLevel', 'seatState', 'listenState', 'forcedRec']} />
          <tbody>
            {shown.map((c) => {
              const s = runningS(c.recordingSince);
              const pct = Math.min(100, Math.round((Math.sqrt(Math.max(0, c.level) / 32767)) * 100));
              return (
                <tr key={c.ref} data-ref={c.ref}>
                  <td>{channelLabel(c)}</td>
                  <td class={`state-${c.state}`}>{t(`st_${c.state}`)}</td>
                  <td>{c.recording ? t2('sm', c.recordingMode) : t('idle')}</td>
                  <td>{c.recording ? t('recording') : t('idle')}</td>
                  <td>{Math.round(c.voltage)} v</td>
                  <td>{c.lineNumber}</td>
                  <td>{c.remoteNumber}{c.callerName ? ` (${c.callerName})` : ''}</td>
                  <td>{c.recording ? fmtTime(c.recordingSince) : ''}</td>
                  <td>{c.recording && s !== null ? fmtDuration(s) : ''}</td>
                  <td>
                    <span class="meter" title={String(c.level)}>
                      <span style={{ width: `${pct}%` }} />
                    </span>
                  </td>
                  <td class="seat-state">{seats[c.ref]?.online ? t('online') : t('seatOffline')}</td>
                  <td class="listen-state">
                    {seats[c.ref]?.listeners.length ? seats[c.ref]!.listeners.join(', ') : '-'}{' '}
                    {canEdit.value ? (
                      <button type="button" class={active.has(c.ref) ? 'current listen' : 'listen'} onClick={() => void listen(c.ref)}>
                        {active.has(c.ref) ? t('stopListen') : t('listen')}
                      </button>
                    ) : null}
                  </td>
                  <td class="actions">
                    <button type="button" class={c.forcedRecording ? 'current' : ''} disabled={!canEdit.value || c.forcedRecording} onClick={() => force(c.ref, true)}>
                      {t('start')}
                    </button>
                    <button type="button" class={!c.forcedRecording ? 'current' : ''} disabled={!canEdit.value || !c.forcedRecording} onClick={() => force(c.ref, false)}>
                      {t('stop')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pager page={page} pages={pages} total={list.length} onPage={setPage} />
    </section>
  );
}
