/** 操作日志 (manual 3.4): every operation with account, address, item, channel, parameter, result; filtered and paged. */
import { useEffect, useState } from 'preact/hooks';
import { get, query, showError } from '../api.ts';
import { lang, t, t2 } from '../i18n.ts';
import { fmtTime, localInputToIso } from '../time.ts';
import { Pager, Section, THead } from '../ui.tsx';

const PER_PAGE = 16;
const ITEMS = ['channel-settings', 'recording-settings', 'do-not-record', 'recording', 'storage', 'account', 'system'];
const OPS: Record<string, [string, string]> = {
  set: ['更改', 'Change'], add: ['添加', 'Add'], delete: ['删除', 'Delete'], restore: ['恢复', 'Restore'], purge: ['清空', 'Purge'],
  login: ['登录', 'Log in'], logout: ['退出', 'Log out'], start: ['开启', 'Start'], stop: ['停止', 'Stop'], format: ['格式化', 'Format'],
  archive: ['归档', 'Archive'], maintain: ['维护', 'Maintenance'], recover: ['恢复录音', 'Recover'], upgrade: ['升级', 'Upgrade'], reboot: ['重启', 'Reboot'],
  'factory-reset': ['恢复出厂', 'Factory reset'], activate: ['激活', 'Activate'], rollback: ['回退', 'Roll back'], upload: ['上传', 'Upload'],
};

export function OperationLog() {
  const [page, setPage] = useState(1);
  const [filters, setFilters] = useState({ account: '', item: '', result: '', from: '', to: '' });
  const [applied, setApplied] = useState(filters);
  const [r, setR] = useState<{ total: number; items: any[] } | null>(null);
  useEffect(() => {
    get(`/operations${query({ page, limit: PER_PAGE, account: applied.account.trim(), item: applied.item, result: applied.result, from: localInputToIso(applied.from), to: localInputToIso(applied.to) })}`).then(setR, showError);
  }, [page, applied]);
  const op = (o: string) => (OPS[o] ? OPS[o]![lang.value === 'zh' ? 0 : 1] : o);
  const set = (k: keyof typeof filters, v: string) => setFilters({ ...filters, [k]: v });
  return (
    <Section title={t('oplogInfo')}>
      <form class="conditions" onSubmit={(e) => (e.preventDefault(), setPage(1), setApplied(filters))}>
        <label>{t('fromDate')} <input type="datetime-local" name="from" value={filters.from} onInput={(e) => set('from', e.currentTarget.value)} /></label>
        <label>{t('toDate')} <input type="datetime-local" name="to" value={filters.to} onInput={(e) => set('to', e.currentTarget.value)} /></label>
        <label>{t('account')} <input name="account" value={filters.account} onInput={(e) => set('account', e.currentTarget.value)} /></label>
        <label>
          {t('item')}{' '}
          <select name="item" value={filters.item} onChange={(e) => set('item', e.currentTarget.value)}>
            <option value="">{t('any')}</option>
            {ITEMS.map((i) => <option key={i} value={i}>{t2('it', i)}</option>)}
          </select>
        </label>
        <label>
          {t('result')}{' '}
          <select name="result" value={filters.result} onChange={(e) => set('result', e.currentTarget.value)}>
            <option value="">{t('any')}</option>
            <option value="ok">{t('ok')}</option>
            <option value="failed">{t('failed')}</option>
          </select>
        </label>
        <div class="buttons"><button type="submit">{t('conditionSearch')}</button></div>
      </form>
      <div class="scroll">
        <table class="grid" id="operations-table">
          <THead cols={['index', 'time', 'account', 'ip', 'item', 'channelCol', 'parameter', 'operation', 'result', 'detail']} />
          <tbody>
            {r?.items.map((o, i) => (
              <tr key={o.id}>
                <td>{(page - 1) * PER_PAGE + i}</td>
                <td>{fmtTime(o.time)}</td>
                <td>{o.account ?? '-'}</td>
                <td>{o.ip ?? '-'}</td>
                <td>{t2('it', o.item)}</td>
                <td>{o.channel ?? '-'}</td>
                <td class="detail">{o.parameter ?? '-'}</td>
                <td>{op(o.operation)}</td>
                <td class={o.result === 'ok' ? 'ok' : 'bad'}>{o.result === 'ok' ? t('ok') : `${t('failed')} (${o.error})`}</td>
                <td class="detail">{o.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r ? <Pager page={page} pages={Math.ceil(r.total / PER_PAGE)} total={r.total} onPage={setPage} /> : null}
    </Section>
  );
}
