/** 处理信息 (manual 3.20): the line-card link's counters, the daemon's queues, recorder counters, memory, CPU and event loop; refreshed every 2 s. */
import { useEffect, useState } from 'preact/hooks';
import { get, showError } from '../../api.ts';
import { t } from '../../i18n.ts';
import { fmtTime } from '../../time.ts';
import { infoRow } from '../../ui.tsx';
import { sizeText } from './syslog-page.tsx';
import './maint-labels.ts';

const LINK_FIELDS = ['frames', 'crcErrors', 'malformedFrames', 'unknownFrames', 'audioGaps', 'filledBlocks', 'connects', 'linkLosses', 'e1Blocks', 'e1Gaps'];
const QUEUE_FIELDS = ['recordingsOpen', 'recordingsWaitingToIndex', 'eventSubscriptions', 'eventsQueued', 'eventsDropped', 'eventsPublished'];

export function ProcessingInfo() {
  const [p, setP] = useState<any>(null);
  useEffect(() => {
    let stopped = false;
    const load = () => get('/processing').then((x) => !stopped && setP(x), showError);
    void load();
    const timer = setInterval(() => void load(), 2000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);
  if (!p) return <p>{t('loading')}</p>;
  const n = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
  return (
    <div class="cards" id="processing">
      <section class="panel">
        <h2>{t('linkCounters')}</h2>
        <table class="form" id="processing-link">
          <tbody>
            {infoRow(t('linkUp'), p.linecard.up ? t('linkUpYes') : t('linkUpNo'))}
            {infoRow(t('framesPerSecond'), n(p.linecard.framesPerSecond))}
            {infoRow(t('errorsPerMinute'), n(p.linecard.errorsPerMinute))}
            {LINK_FIELDS.map((f) => <tr key={f} data-field={f}><th scope="row">{t(f)}:</th><td>{n(p.linecard.stats[f])}</td></tr>)}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>{t('queues')}</h2>
        <table class="form" id="processing-queues">
          <tbody>
            {QUEUE_FIELDS.map((f) => <tr key={f} data-field={f}><th scope="row">{t(f)}:</th><td>{n(p.queues[f])}</td></tr>)}
            {infoRow(t('alarmMailWaiting'), p.queues.alarmMailWaiting ? t('yes') : t('no'))}
            {infoRow(t('mailsSent'), p.mail.mailsSent)}
            {infoRow(t('mailsFailed'), p.mail.mailsFailed)}
          </tbody>
        </table>
      </section>
      <section class="panel">
        <h2>{t('recorderCounters')}</h2>
        <table class="form">
          <tbody>{Object.entries(p.recorder).map(([k, v]) => infoRow(t(`rc_${k}`), v))}</tbody>
        </table>
      </section>
      <section class="panel">
        <h2>{t('systemResources')}</h2>
        <table class="form" id="processing-resources">
          <tbody>
            {infoRow(t('rssMemory'), sizeText(p.memory.rssBytes))}
            {infoRow(t('heapMemory'), `${sizeText(p.memory.heapUsedBytes)} / ${sizeText(p.memory.heapTotalBytes)}`)}
            {infoRow(t('boxMemory'), `${sizeText(p.memory.freeBytes)} / ${sizeText(p.memory.totalBytes)}`)}
            {infoRow(t('cpuUse'), `${p.cpu.percent} %`)}
            {infoRow(t('loadAvg'), p.cpu.loadAverage.join(' / '))}
            {infoRow(t('eventLoopDelay'), `${p.eventLoop.meanMs} / ${p.eventLoop.p99Ms} / ${p.eventLoop.maxMs} ms`)}
            {infoRow(t('time'), fmtTime(p.at))}
          </tbody>
        </table>
        <p class="hint">{t('autoRefresh')}</p>
      </section>
    </div>
  );
}
