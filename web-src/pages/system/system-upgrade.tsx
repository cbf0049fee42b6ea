/**
 * 系统升级 (manual 3.22): upload a signed package (with upload progress, then
 * the box's checking and unpacking from live events), the stored versions
 * (at most 5) with 激活 / 回退 / 删除.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, csrfHeaders, errorText, get, notify, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { onLiveEvent } from '../../live.ts';
import { fmtTime } from '../../time.ts';
import { askConfirm, canEdit, ReadOnlyNote, Section, THead } from '../../ui.tsx';
import { ProgressBar } from './device-mgmt.tsx';
import './upgrade-labels.ts';

type Progress = { stage: string; percent: number | null };

/** Sends the file with XMLHttpRequest, whose upload reports its progress (fetch does not). */
function uploadPackage(file: File, onProgress: (p: Progress) => void): Promise<any> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/upgrades');
    for (const [k, v] of Object.entries(csrfHeaders())) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ stage: 'uploading', percent: e.lengthComputable ? Math.floor((e.loaded / e.total) * 100) : null });
    xhr.onload = () => {
      let body: any = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body?.error?.code ?? String(xhr.status), body?.error?.message ?? xhr.statusText, body));
    };
    xhr.onerror = () => reject(new Error('network error'));
    xhr.send(file);
  });
}

const fmtSize = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)}M` : `${(n / 1024).toFixed(1)}K`);

export function SystemUpgrade() {
  const [view, setView] = useState<any>(null);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [failure, setFailure] = useState('');
  const load = () => get('/upgrades').then(setView, showError);
  useEffect(() => {
    load();
    return onLiveEvent(['device.progress'], (e) => {
      if (e.type === 'device.progress' && e.operation === 'upgrade' && e.stage !== 'restarting') setProgress({ stage: e.stage, percent: e.percent });
    });
  }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setFailure('');
    setProgress({ stage: 'uploading', percent: 0 });
    uploadPackage(file, setProgress).then(
      (v) => {
        setProgress({ stage: 'stored', percent: 100 });
        notify('ok', t('uploaded', { v: v.version }));
        load();
      },
      (err) => {
        setProgress({ stage: 'failed', percent: null });
        setFailure(errorText(err));
        showError(err);
      },
    );
  };
  const switchTo = (v: any) => {
    const older = v.status === 'previous' || compare(v.version, view.running) < 0;
    askConfirm(older ? t('confirmDowngrade', { v: v.version }) : t('confirmActivate', { v: v.version }), () => {
      api('POST', `/upgrades/${encodeURIComponent(v.version)}/activate`, { body: { confirmDowngrade: older } }).then(() => {
        notify('ok', t('activated'));
        load();
      }, showError);
    });
  };
  const rollbackToImage = () =>
    askConfirm(t('rollbackToImage'), () => {
      api('POST', '/upgrades/rollback', { body: { confirmDowngrade: true } }).then(() => {
        notify('ok', t('rolledBack'));
        load();
      }, showError);
    });
  const remove = (v: any) =>
    askConfirm(`${t('colDelete')} ${v.version}`, () => {
      api('DELETE', `/upgrades/${encodeURIComponent(v.version)}`).then(load, showError);
    });
  return (
    <div class="page system-upgrade">
      <ReadOnlyNote />
      <Section title={t('systemUpgrade')}>
        <form class="upgrade-upload" onSubmit={submit}>
          <label>{t('upgradeFile')}: <input type="file" name="packageFile" accept=".rdxpkg" disabled={!canEdit.value} onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} /></label>
          <button type="submit" disabled={!file || !canEdit.value || progress?.stage === 'uploading'}>{t('uploadBtn')}</button>
          <span class="hint">{t('uploadHint')}</span>
        </form>
        {progress ? <ProgressBar id="upgrade-progress" {...progress} /> : null}
        {failure ? <p class="errors" id="upgrade-failure" role="alert">{failure}</p> : null}
        {view ? <p>{t('runningVersion')}: <b id="running-version">{view.running}</b></p> : null}
      </Section>
      <Section title={t('versionsTitle')}>
        {view && view.versions.length ? (
          <table class="grid" id="versions">
            <THead cols={['colVersion', 'colSize', 'colUploaded', 'colStatus', 'colActivate', 'colDelete']} />
            <tbody>
              {view.versions.map((v: any) => (
                <tr key={v.version} data-version={v.version}>
                  <td>{v.version}</td>
                  <td>{fmtSize(v.packageBytes)}</td>
                  <td>{fmtTime(v.uploadedAt)}</td>
                  <td class="status">{t(`vs_${v.status}`)}</td>
                  <td>
                    {v.status === 'running' || v.status === 'current' ? '' : (
                      <button type="button" name="activate" disabled={!canEdit.value} onClick={() => switchTo(v)}>
                        {v.status === 'previous' || compare(v.version, view.running) < 0 ? t('rollback') : t('activate')}
                      </button>
                    )}
                  </td>
                  <td>{v.status === 'running' || v.status === 'current' ? '' : <button type="button" name="delete" disabled={!canEdit.value} onClick={() => remove(v)}>{t('colDelete')}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : <p class="hint">{t('noVersions')}</p>}
        {view?.current ? <button type="button" name="rollbackImage" disabled={!canEdit.value} onClick={rollbackToImage}>{t('rollbackToImage')}</button> : null}
        {view ? <p class="hint">{t('versionsTotalN', { n: view.versions.length })}</p> : null}
      </Section>
    </div>
  );
}

/** -1, 0, 1 by the numbers of x.y.z. */
function compare(a: string, b: string): number {
  const x = a.split(/[.-]/).map(Number);
  const y = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}
