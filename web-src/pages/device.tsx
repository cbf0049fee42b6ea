/** 设备信息 (manual 3.1): versions, licence, device and disk state. */
import { useEffect, useState } from 'preact/hooks';
import { get, showError } from '../api.ts';
import { t } from '../i18n.ts';
import { fmtTime } from '../time.ts';
import { infoRow } from '../ui.tsx';
import { licenseStateText } from './system/device-mgmt.tsx';
import { featureText } from './system/license.tsx';

const MB = 1024 * 1024;

export function DeviceInfo() {
  const [d, setD] = useState<any>(null);
  useEffect(() => {
    get('/device').then(setD, showError);
  }, []);
  if (!d) return <p>{t('loading')}</p>;
  const up = d.uptimeS as number;
  const cap = d.capabilities ?? {};
  const yesN = (n: unknown) => (typeof n === 'number' && n > 0 ? t('channelsN', { n }) : n === true ? t('on') : t('notSupported'));
  const row = infoRow;
  return (
    <div class="cards">
      <section class="panel">
        <h2>{t('versionInfo')}</h2>
        <table class="form">
          <tbody>
            {row(t('deviceName'), `${d.model} (${d.name})`)}
            {row(t('serial'), d.serial)}
            {row(t('softwareVersion'), d.version)}
            {row(t('webVersion'), document.querySelector('meta[name=build]')?.getAttribute('content') ?? '')}
            {row(t('buildTime'), d.builtAt ? fmtTime(d.builtAt) : '-')}
            {row(t('timeZone'), `${d.timeZone ?? ''} (UTC${d.utcOffsetMinutes >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(d.utcOffsetMinutes ?? 0) / 60)).padStart(2, '0')}:${String(Math.abs(d.utcOffsetMinutes ?? 0) % 60).padStart(2, '0')})`)}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>{t('license')}{d.license ? <span class="license-state"> · {licenseStateText(d.license)}</span> : null}</h2>
        <table class="form" id="device-license">
          <tbody>
            {d.license ? (
              <>
                {(['analog', 'e1', 'voip'] as const).map((k) => row(t(`lic_${k}`), featureText(k, d.license.channels[k])))}
                {Object.entries(d.license.features).map(([k, v]) => row(t(`lic_${k}`), featureText(k, v as number | boolean)))}
              </>
            ) : null}
            {d.license ? null : row(t('analogRec'), yesN(cap.analogRecording))}
            {d.license ? null : row(t('e1Rec'), yesN(cap.e1Recording))}
            {d.license ? null : row(t('voipRec'), yesN(cap.voipRecording))}
            {d.license ? null : row(t('cloudPlatform'), yesN(cap.cloud))}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>{t('deviceStatus')}</h2>
        <table class="form">
          <tbody>
            {row(t('uptime'), t('uptimeValue', { d: Math.floor(up / 86400), h: Math.floor((up % 86400) / 3600), m: Math.floor((up % 3600) / 60) }))}
            {d.disk ? row(t('diskTotal'), `${Math.round(d.disk.totalBytes / MB)} (MB)`) : null}
            {d.disk ? row(t('diskFree'), `${Math.round(d.disk.freeBytes / MB)} (MB) ${t('diskHours', { h: Math.round(d.disk.remainingHours) })}`) : null}
            {d.disk ? row(t('diskUsed'), `${d.disk.usedPercent}%`) : null}
            {row(t('cpu'), `${d.cpuPercent}%`)}
            {row(t('temperature'), d.temperatureC === null ? '-' : `${d.temperatureC} °C`)}
            {row(t('linecard'), d.linecard?.up ? `${t('up')} ${d.linecard.model ?? ''} ${d.linecard.firmware ?? ''}` : t('down'))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
