/** VoIP录音状态: each call being recorded (source phone or SIPREC, device, peer, codec, packets, loss, jitter, duration), live; then the recently ended. */
import { useEffect, useState } from 'preact/hooks';
import { get, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { fmtDuration, fmtTime } from '../../time.ts';
import { THead } from '../../ui.tsx';
import { useLiveReload } from './common.tsx';

const COLS = ['source', 'device', 'peer', 'lineNumber', 'remoteNumber', 'direction', 'codecCol', 'packets', 'loss', 'jitter', 'recStart', 'recDuration'];

/** A call's streams summed: packets, lost (with the share of the expected), the worst jitter, peers and codecs. */
function summary(c: any) {
  const streams: any[] = c.streams ?? [];
  const packets = streams.reduce((n, s) => n + s.packets, 0);
  const lost = streams.reduce((n, s) => n + s.lost, 0);
  const pct = packets + lost > 0 ? (100 * lost) / (packets + lost) : 0;
  const uniq = (xs: unknown[]) => [...new Set(xs.filter(Boolean).map(String))].join(', ');
  return {
    packets,
    loss: `${lost} (${pct.toFixed(pct < 10 ? 1 : 0)}%)`,
    jitter: streams.length ? `${Math.max(...streams.map((s) => s.jitterMs ?? 0)).toFixed(1)} ms` : '-',
    peer: uniq(streams.map((s) => s.peer)),
    codec: uniq(streams.map((s) => s.codec)),
  };
}

function Calls(props: { items: any[]; id: string; ended?: boolean }) {
  if (!props.items.length) return <p class="hint">{t('noSessions')}</p>;
  return (
    <div class="scroll">
      <table class="grid" id={props.id}>
        <THead cols={props.ended ? [...COLS, 'endReason'] : COLS} />
        <tbody>
          {props.items.map((c) => {
            const s = summary(c);
            return (
              <tr key={c.id} data-id={c.id}>
                <td>{t(`src_${c.source}`)}</td>
                <td>{/^[0-9a-f]{12}$/i.test(c.device) ? c.device.match(/../g)!.join(':').toUpperCase() : c.device}</td>
                <td>{s.peer}</td>
                <td>{c.localNumber}</td>
                <td>{c.remoteNumber}</td>
                <td>{c.direction ? t(`dir_${c.direction}`) : ''}</td>
                <td>{s.codec}</td>
                <td>{s.packets}</td>
                <td>{s.loss}</td>
                <td>{s.jitter}</td>
                <td>{fmtTime(c.startTime)}</td>
                <td>{fmtDuration(Math.round(c.durationS))}{c.paused ? ` (${t('paused')})` : ''}</td>
                {props.ended ? <td>{c.endReason ?? ''}</td> : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function VoipStatus() {
  const [s, setS] = useState<any>(null);
  const load = () => get('/voip/sessions').then(setS, showError);
  useEffect(() => void load(), []);
  // Each call sends a voip.session event when it starts, every second while it lasts, and when it ends.
  useLiveReload(['voip.session', 'siprec.session'], (e) => e.type === 'voip.session' || e.type === 'siprec.session', load);
  if (!s) return <p>{t('loading')}</p>;
  return (
    <>
      <section class="panel">
        <h2>
          {t('activeSessions')}
          <span class="hint">{s.licensed ? t('capacityValue', { n: s.licensed, a: s.active }) : t('notLicensed')}</span>
        </h2>
        {s.licensed && !s.enabled ? <p class="note">{t('voipOff')}</p> : null}
        <Calls items={s.items} id="voip-active" />
      </section>
      <section class="panel">
        <h2>{t('endedSessions')}</h2>
        <Calls items={s.ended} id="voip-ended" ended />
      </section>
    </>
  );
}
