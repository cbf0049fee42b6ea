/** 系统日志 (manual 3.21): save the log now, the saved logs (download, delete), and the running log's last lines. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, raw, saveResponse, showError } from '../../api.ts';
import { t, t2 } from '../../i18n.ts';
import { fmtTime } from '../../time.ts';
import { Row, Section, THead, askConfirm, canEdit } from '../../ui.tsx';
import './maint-labels.ts';

/** Program output: kept in a box of its own that scrolls. */
export const PRE = { maxHeight: '28em', overflow: 'auto', whiteSpace: 'pre-wrap', background: '#f4f6f8', border: '1px solid #d0d7de', padding: '0.5em', fontSize: '12px' };

export function sizeText(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)}G`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)}M`;
  return `${(bytes / 1024).toFixed(1)}K`;
}

export function SystemLogPage() {
  const [list, setList] = useState<any>(null);
  const [tail, setTail] = useState<any[]>([]);
  const [saving, setSaving] = useState(false);
  const load = async () => {
    try {
      setList(await get('/system-logs'));
      setTail((await get('/system-logs/tail?lines=30')).items);
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => void load(), []);
  const save = async () => {
    setSaving(true);
    try {
      const s = await api('POST', '/system-logs');
      notify('ok', t('logSaved', { n: s.name }));
      await load();
    } catch (e) {
      showError(e);
    } finally {
      setSaving(false);
    }
  };
  const download = async (name: string) => {
    try {
      await saveResponse(await raw('GET', `/system-logs/${encodeURIComponent(name)}`), name);
    } catch (e) {
      showError(e);
    }
  };
  const remove = (name: string) =>
    askConfirm(t('deleteLog', { n: name }), () => {
      api('DELETE', `/system-logs/${encodeURIComponent(name)}`).then(load, showError);
    });
  if (!list) return <p>{t('loading')}</p>;
  return (
    <>
      <Section title={t('systemLog')}>
        <table class="form">
          <tbody>
            <Row label={t('saveLogLabel')} hint={t('logAutoHint')}>
              <button type="button" id="save-log" disabled={!canEdit.value || saving} onClick={() => void save()}>{t('saveLog')}</button>
            </Row>
          </tbody>
        </table>
      </Section>
      <Section title={t('logFiles')}>
        <div class="scroll">
          <table class="grid" id="saved-logs">
            <THead cols={['index', 'logName', 'logSize', 'logTime', 'logReason', 'download', 'remove']} />
            <tbody>
              {list.items.map((s: any, i: number) => (
                <tr key={s.name} data-name={s.name}>
                  <td>{i}</td>
                  <td>{s.name}</td>
                  <td>{sizeText(s.sizeBytes)}</td>
                  <td>{fmtTime(s.createdAt)}</td>
                  <td>{t2('reason', s.reason)}</td>
                  <td><button type="button" class="link" onClick={() => void download(s.name)}>{t('download')}</button></td>
                  <td><button type="button" class="link" disabled={!canEdit.value} onClick={() => remove(s.name)}>{t('remove')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {list.items.length ? null : <p class="hint">{t('noLogs')}</p>}
        <p class="hint" data-testid="log-budget">{t('logBudget', { n: list.items.length, size: sizeText(list.totalBytes), budget: sizeText(list.budgetBytes) })}</p>
      </Section>
      <Section title={t('recentLog')}>
        <pre class="log-tail" style={PRE} id="log-tail">
          {tail.map((l) => `${l.time ? fmtTime(l.time) : ''} ${l.level.toUpperCase()} ${l.msg}${l.fields ? ` ${JSON.stringify(l.fields)}` : ''}`).join('\n')}
        </pre>
      </Section>
    </>
  );
}
