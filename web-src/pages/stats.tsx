/** 录音统计 (manual 3.8): per channel for a date range and port type, daily and monthly charts, CSV export. */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, notify, query, showError } from '../api.ts';
import { lang, t } from '../i18n.ts';
import { boxNow, fmtDay } from '../time.ts';
import { Errors, Section, canEdit, THead } from '../ui.tsx';

interface Row {
  ref: string;
  portType: string;
  port: number;
  channel: number;
  incoming: number;
  outgoing: number;
  missed: number;
  recordings: number;
  durationS: number;
}

interface Point {
  day?: string;
  month?: string;
  incoming: number;
  outgoing: number;
  missed: number;
  recordedSeconds: number;
}

/** `00时00分00秒` as on the manual's page, or `0 h 00 min 00 s`. */
function hms(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  const p = (n: number) => String(n).padStart(2, '0');
  return lang.value === 'zh' ? `${p(h)}时${p(m)}分${p(sec)}秒` : `${p(h)}:${p(m)}:${p(sec)}`;
}

function Chart(props: { points: Point[]; keyName: 'day' | 'month' }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current || !props.points.length) return;
    const pad = props.keyName === 'day' ? 86400 : 15 * 86400;
    const xs = props.points.map((p) => Date.parse(`${(p[props.keyName] ?? '').slice(0, 10)}${props.keyName === 'month' ? '-01' : ''}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: Math.min(900, el.current.clientWidth || 600),
        height: 220,
        // Days and months are UTC midnights.
        tzDate: (ts: number) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true } },
        series: [
          {},
          { label: t('incomingN'), stroke: '#1565c0', width: 2, points: { size: 7 } },
          { label: t('outgoingN'), stroke: '#2e7d32', width: 2, points: { size: 7 } },
          { label: t('missedN'), stroke: '#c62828', width: 2, points: { size: 7 } },
        ],
        axes: [{}, {}],
      },
      // An empty period on each side, so that a single day or month still gets a readable axis.
      [
        [xs[0]! - pad, ...xs, xs[xs.length - 1]! + pad],
        ...(['incoming', 'outgoing', 'missed'] as const).map((k) => [null, ...props.points.map((p) => p[k]), null]),
      ] as uPlot.AlignedData,
      el.current,
    );
    return () => plot.destroy();
  }, [props.points]);
  return <div class="chart" ref={el} />;
}

export function Stats() {
  const today = fmtDay(boxNow());
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [portType, setPortType] = useState('');
  const [channel, setChannel] = useState('');
  const [rows, setRows] = useState<{ items: Row[]; total: Row } | null>(null);
  const [daily, setDaily] = useState<Point[]>([]);
  const [monthly, setMonthly] = useState<Point[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const exportUrl = (ext: string) => `/api/v1/stats/export.${ext}${shown ? `${shown}&` : '?'}lang=${lang.value}`;
  const run = async () => {
    const errs: string[] = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) errs.push(t('badFormat', { f: t('fromDate'), hint: 'YYYY-MM-DD' }));
    else if (from > to) errs.push(t('badRange'));
    if (channel.trim() && !/^\d{1,4}$/.test(channel.trim())) errs.push(t('mustBeInt', { f: t('channelNo'), min: 0, max: 4095 }));
    setErrors(errs);
    if (errs.length) return;
    const q = query({ from, to, portType: portType || undefined, channel: channel.trim() || undefined });
    try {
      setRows(await api('GET', `/stats${q}`));
    } catch (e) {
      showError(e);
    }
    const days = query({ from, to, portType: portType || undefined });
    const months = query({ from: from.slice(0, 7), to: to.slice(0, 7), portType: portType || undefined });
    api('GET', `/stats/daily${days}`).then((d) => setDaily(Array.isArray(d) ? d : d.items ?? []), () => setDaily([]));
    api('GET', `/stats/monthly${months}`).then((d) => setMonthly(Array.isArray(d) ? d : d.items ?? []), () => setMonthly([]));
    setShown(q);
  };
  useEffect(() => void run(), []);
  return (
    <div>
      <Section title={t('statConditions')}>
        <form class="conditions" onSubmit={(e) => (e.preventDefault(), void run())}>
          <label>{t('fromDate')} <input type="date" name="from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} /></label>
          <label>{t('toDate')} <input type="date" name="to" value={to} onInput={(e) => setTo(e.currentTarget.value)} /></label>
          <label>
            {t('portType')}{' '}
            <select name="portType" value={portType} onChange={(e) => setPortType(e.currentTarget.value)}>
              <option value="">{t('any')}</option>
              <option value="analog">{t('pt_analog')}</option>
              <option value="e1">E1</option>
              <option value="voip">VoIP</option>
            </select>
          </label>
          <label>{t('channelNo')} <input name="channel" class="short" value={channel} onInput={(e) => setChannel(e.currentTarget.value)} /></label>
          <Errors list={errors} />
          <p class="hint">{t('statsHint')}</p>
          <div class="buttons">
            <button type="submit">{t('statSearch')}</button>
            <button type="button" disabled={!canEdit.value} onClick={async () => {
              try {
                await api('POST', '/storage/archive');
                notify('ok', t('archived', { n: '' }));
                await run();
              } catch (e) {
                showError(e);
              }
            }}>{t('archiveNow')}</button>
            {shown ? <a class="button" href={exportUrl('csv')} download>{t('exportCsv')}</a> : null}
            {shown ? <a class="button" href={exportUrl('xlsx')} download>{t('exportXlsx')}</a> : null}
          </div>
        </form>
      </Section>
      <Section title={t('statInfo')}>
        <div class="scroll">
          <table class="grid" id="stats-table">
            <THead cols={['index', 'channelNo', 'incomingN', 'outgoingN', 'missedN', 'totalN', 'totalDuration']} />
            <tbody>
              {rows?.items.map((r, i) => (
                <tr key={r.ref}>
                  <td>{i}</td>
                  <td>{r.portType === 'analog' ? `M [${String(r.channel).padStart(2, '0')}]` : r.ref}</td>
                  <td>{r.incoming}</td>
                  <td>{r.outgoing}</td>
                  <td>{r.missed}</td>
                  <td>{r.recordings}</td>
                  <td>{hms(r.durationS)}</td>
                </tr>
              ))}
              {rows ? (
                <tr class="sum">
                  <td colSpan={2}>{t('sum')}</td>
                  <td>{rows.total.incoming}</td>
                  <td>{rows.total.outgoing}</td>
                  <td>{rows.total.missed}</td>
                  <td>{rows.total.recordings}</td>
                  <td>{hms(rows.total.durationS)}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title={t('daily')}>{daily.length ? <Chart points={daily} keyName="day" /> : <p class="empty">-</p>}</Section>
      <Section title={t('monthly')}>{monthly.length ? <Chart points={monthly} keyName="month" /> : <p class="empty">-</p>}</Section>
    </div>
  );
}
