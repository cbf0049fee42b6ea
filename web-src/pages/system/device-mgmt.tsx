/** 设备管理 (manual 3.17, 2.11): reboot, factory reset, format (password, progress), purge, archive, activation state. */
import { useEffect, useState } from 'preact/hooks';
import { api, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { navigate } from '../../router.ts';
import { askConfirm, canEdit, ReadOnlyNote, Section } from '../../ui.tsx';
import './upgrade-labels.ts';

export function licenseStateText(s: any): string {
  if (!s) return '';
  if (s.state === 'activated') return t('stateActivated');
  if (s.state === 'trial') return t('stateTrial', { h: (s.trial.leftS / 3600).toFixed(1) });
  return t('stateTrialExpired');
}

export function ProgressBar(props: { stage: string; percent: number | null; id: string }) {
  return (
    <div class="progress" id={props.id}>
      <progress max={100} value={props.percent ?? undefined} /> <span class="stage">{t(`stage_${props.stage}`)}{props.percent !== null ? ` ${props.percent}%` : ''}</span>
    </div>
  );
}

export function DeviceManagement() {
  const [license, setLicense] = useState<any>(null);
  const [formatting, setFormatting] = useState(false);
  const [password, setPassword] = useState('');
  const [progress, setProgress] = useState<{ stage: string; percent: number | null } | null>(null);
  useEffect(() => {
    get('/license').then(setLicense, showError);
    return onLiveEvent(['device.progress'], (e) => {
      if (e.type === 'device.progress' && e.operation === 'format') setProgress({ stage: e.stage, percent: e.percent });
    });
  }, []);
  const confirmed = (what: string, path: string, done: (r: any) => string) =>
    askConfirm(what, () => {
      api('POST', path, { body: { confirm: t('confirmWord') } }).then((r) => notify('ok', done(r)), showError);
    });
  const format = (e: Event) => {
    e.preventDefault();
    setProgress({ stage: 'starting', percent: 0 });
    api('POST', '/device/format', { body: { password } }).then(
      () => {
        setFormatting(false);
        setPassword('');
        notify('ok', t('formatted'));
      },
      (err) => {
        setProgress(null);
        showError(err);
      },
    );
  };
  const ops: Array<[string, string, string, () => void]> = [
    ['opReboot', 'opRebootBtn', 'opRebootHint', () => confirmed(t('opReboot'), '/device/reboot', () => t('rebootRequested'))],
    ['opReset', 'opResetBtn', 'opResetHint', () => confirmed(t('opReset'), '/device/factory-reset', () => t('resetRequested'))],
    ['opFormat', 'opFormatBtn', 'opFormatHint', () => setFormatting(true)],
    ['opPurge', 'opPurgeBtn', '', () => confirmed(t('opPurge'), '/device/purge-deleted', (r) => t('purgedN', { n: r.purged }))],
    ['opArchive', 'opArchiveBtn', '', () => confirmed(t('opArchive'), '/device/archive', () => t('archivedDone'))],
  ];
  return (
    <div class="page device-mgmt">
      <ReadOnlyNote />
      <Section title={t('deviceOps')}>
        <table class="form">
          <tbody>
            {ops.map(([label, button, hint, run]) => (
              <tr key={label}>
                <th scope="row">{t(label)}:</th>
                <td><button type="button" name={label} disabled={!canEdit.value} onClick={run}>{t(button)}</button></td>
                <td class="hint">{hint ? t(hint) : ''}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('opActivation')}:</th>
              <td id="activation">{licenseStateText(license)}</td>
              <td>{license && license.state !== 'activated' ? <button type="button" name="activate" onClick={() => navigate('/system/license')}>{t('activateBtn')}</button> : null}</td>
            </tr>
          </tbody>
        </table>
        {formatting ? (
          <form class="format-confirm" onSubmit={format}>
            <p>{t('formatPassword')}</p>
            <label>{t('password')}: <input type="password" name="formatPassword" value={password} onInput={(e) => setPassword(e.currentTarget.value)} autoFocus /></label>
            <button type="submit" disabled={!password}>{t('opFormatBtn')}</button>
            <button type="button" onClick={() => setFormatting(false)}>{t('cancel')}</button>
          </form>
        ) : null}
        {progress ? <ProgressBar id="format-progress" {...progress} /> : null}
      </Section>
      <Section title={t('warnTitle')}>
        <p class="hint">{t('warn1')}</p>
        <p class="hint">{t('warn2')}</p>
      </Section>
    </div>
  );
}
