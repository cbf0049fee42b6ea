/** 实时告警 and 历史告警 (manual 3.2, 3.3). */
import { useEffect, useState } from 'preact/hooks';
import { get, query, showError } from '../api.ts';
import { lang, t, t2 } from '../i18n.ts';
import { alarms } from '../live.ts';
import { fmtTime } from '../time.ts';
import { Pager, Section, THead } from '../ui.tsx';

const AREA: Record<string, [string, string]> = { channel: ['通道', 'Channel'], linecard: ['线路板', 'Line card'], disk: ['磁盘', 'Disk'], device: ['设备', 'Device'], system: ['设备', 'Device'] };
const area = (a: string) => (AREA[a] ? AREA[a]![lang.value === 'zh' ? 0 : 1] : a);

export function ActiveAlarms() {
  const list = alarms.value;
  return (
    <Section title={t('realtimeInfo')}>
      <table class="grid" id="alarms-table">
        <THead cols={['index', 'alarmTime', 'alarmType', 'alarmLevel', 'description']} />
        <tbody>
          {list.map((a, i) => (
            <tr key={a.id} class={`sev-${a.severity}`}>
              <td>{i}</td>
              <td>{fmtTime(a.raisedAt)}</td>
              <td>{area(a.area)}</td>
              <td>{t2('sev', a.severity)}</td>
              <td>{a.message}{a.count > 1 ? ` (×${a.count})` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.length === 0 ? <p class="empty">{t('noAlarms')}</p> : null}
      <p>{t('total', { n: list.length })}</p>
    </Section>
  );
}

const PER_PAGE = 16;

export function AlarmHistory() {
  const [page, setPage] = useState(1);
  const [r, setR] = useState<{ total: number; items: any[] } | null>(null);
  useEffect(() => {
    get(`/alarms/history${query({ page, limit: PER_PAGE })}`).then(setR, showError);
  }, [page]);
  return (
    <Section title={t('historyInfo')}>
      <table class="grid">
        <THead cols={['index', 'alarmTime', 'clearTime', 'alarmType', 'alarmLevel', 'description']} />
        <tbody>
          {r?.items.map((a, i) => (
            <tr key={`${a.id}-${a.raisedAt}`}>
              <td>{(page - 1) * PER_PAGE + i}</td>
              <td>{fmtTime(a.raisedAt)}</td>
              <td>{fmtTime(a.clearedAt)}</td>
              <td>{area(a.area)}</td>
              <td>{t2('sev', a.severity)}</td>
              <td>{a.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r ? <Pager page={page} pages={Math.ceil(r.total / PER_PAGE)} total={r.total} onPage={setPage} /> : null}
    </Section>
  );
}
