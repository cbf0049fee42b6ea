/** E1录音状态: each port's line alarms (LOS/AIS/LOF/RAI), slips and signalling per side; each timeslot's state, numbers and recording; live. */
import { useEffect, useState } from 'preact/hooks';
import { get, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { boxNow, fmtDuration, fmtTime } from '../../time.ts';
import { THead } from '../../ui.tsx';
import { NoE1, PortTabs, isNoE1, useE1Ports, useLiveReload } from './common.tsx';

/** The line alarms as the box names them (LOMF: loss of the TS16 multiframe, China No.1). */
const ALARMS = ['los', 'ais', 'lof', 'lomf', 'rai'];

function SideRows(props: { p: any }) {
  const { p } = props;
  return (
    <>
      {(['a', 'b'] as const).map((s, i) => {
        const side = p.sides[s];
        return (
          <tr key={`${p.port}${s}`} data-port={p.port} data-side={s}>
            {i === 0 ? (
              <>
                <td rowSpan={2}>{p.port}{p.settings.name ? ` (${p.settings.name})` : ''}</td>
                <td rowSpan={2} class={`ps-${p.state}`}>{t(`ps_${p.state}`)}</td>
              </>
            ) : null}
            <td>{s.toUpperCase()}: {t(`side_${s === 'a' ? p.settings.sideA : p.settings.sideA === 'network' ? 'user' : 'network'}`)}</td>
            <td class="e1-alarms">
              {ALARMS.map((a) => (
                <span key={a} class={`lamp${side.alarms.includes(a) ? ' on' : ''}`}>{a.toUpperCase()}</span>
              ))}
            </td>
            <td>{side.slips}</td>
            <td>{side.crc4Errors}</td>
            <td>{side.signalling ? t(`sl_${side.signalling}`) : '-'}</td>
            {i === 0 ? (
              <>
                <td rowSpan={2}>{p.activeCalls}</td>
                <td rowSpan={2}>{p.recordings}</td>
                <td rowSpan={2}>{p.lostBlocks}</td>
              </>
            ) : null}
          </tr>
        );
      })}
    </>
  );
}

export function E1Status() {
  const [ports, setPorts] = useE1Ports();
  const [port, setPort] = useState<number | null>(null);
  const [detail, setDetail] = useState<any>(null);
  const list = Array.isArray(ports) ? ports : [];
  const shown = port ?? list[0]?.port ?? null;
  const loadDetail = (n: number | null) => {
    if (n === null) return;
    get(`/e1/ports/${n}`).then(setDetail, (e) => (isNoE1(e) ? setPorts('none' as any) : showError(e)));
  };
  useEffect(() => loadDetail(shown), [shown]);
  // Line alarms arrive whole in e1.port events; timeslots change with channel and recording events.
  useEffect(
    () =>
      onLiveEvent(['e1.port'], (e) => {
        if (e.type === 'e1.port') setPorts(((cur: any) => (Array.isArray(cur) ? cur.map((p: any) => (p.port === e.port ? { ...p, state: e.state, sides: e.sides } : p)) : cur)) as any);
      }),
    [],
  );
  useLiveReload(
    ['e1.port'],
    (e) => e.type === 'e1.port' || (typeof e.ref === 'string' && e.ref.startsWith('e1-')),
    () => loadDetail(shownRef.n),
  );
  shownRef.n = shown;
  if (ports === 'none') return <NoE1 title={t('e1Status')} />;
  if (!ports) return <p>{t('loading')}</p>;
  const now = boxNow();
  return (
    <>
      <section class="panel">
        <h2>{t('e1Status')}</h2>
        <div class="scroll">
          <table class="grid" id="e1-ports">
            <THead cols={['portNo', 'portState', 'side', 'lineAlarms', 'slips', 'crc4Errors', 'sigLink', 'activeCalls', 'recordingsNow', 'lostBlocks']} />
            <tbody>
              {list.map((p) => (
                <SideRows key={p.port} p={p} />
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="panel">
        <h2>{t('tsPanel')}</h2>
        <PortTabs ports={list} port={shown ?? -1} onPick={setPort} />
        {detail && detail.port === shown ? (
          <div class="scroll">
            <table class="grid" id="e1-timeslots">
              <THead cols={['timeslot', 'tsState', 'direction', 'callingNo', 'calledNo', 'recState', 'recStart', 'recDuration']} />
              <tbody>
                {detail.timeslots.map((s: any) => (
                  <tr key={s.timeslot} data-ts={s.timeslot} class={s.recorded ? '' : 'muted'}>
                    <td>{s.timeslot}</td>
                    <td class={`ph-${s.phase}`}>{t(`ph_${s.phase}`)}</td>
                    <td>{s.direction ? t(`dir_${s.direction}`) : ''}</td>
                    <td>{s.calling}</td>
                    <td>{s.called}</td>
                    <td>{!s.recorded ? t('notRecorded') : s.recording ? t('recording') : t('idle')}</td>
                    <td>{s.recording && s.since ? fmtTime(s.since) : ''}</td>
                    <td>{s.recording && s.since ? fmtDuration(Math.max(Math.round(s.recordingS), Math.round((now - Date.parse(s.since)) / 1000))) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>{t('loading')}</p>
        )}
      </section>
    </>
  );
}

/** The port shown, for the live reload (its callback is made once). */
const shownRef: { n: number | null } = { n: null };
