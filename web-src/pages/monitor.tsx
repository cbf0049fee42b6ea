/** 监控 (manual 2.4): every channel as a tile in the manual's colours, with the number and the running duration. */
import { useEffect, useState } from 'preact/hooks';
import { showError } from '../api.ts';
import { t } from '../i18n.ts';
import { channels, liveIo, type Channel } from '../live.ts';
import { boxNow, fmtDuration } from '../time.ts';
import { canEdit } from '../ui.tsx';
import { ListenControl, ListenError } from './seat/listen-control.ts';
import './seat/labels.ts';

/** The manual's colours: red not connected, black idle, green outgoing recording, blue incoming recording. */
export function tileColour(c: Channel): 'red' | 'black' | 'green' | 'blue' {
  if (c.state === 'disconnected') return 'red';
  if (c.recording && c.state === 'outgoing') return 'green';
  if (c.recording && c.state === 'incoming') return 'blue';
  if (c.recording) return c.recordingMode === 'forced' ? 'green' : 'blue';
  return 'black';
}

export function channelLabel(c: { portType: string; port: number; channel: number }): string {
  if (c.portType === 'analog') return `M [${String(c.channel).padStart(2, '0')}]`;
  if (c.portType === 'e1') return `E1-${c.port} [${c.channel}]`;
  return `V${c.port} [${c.channel}]`;
}

export function runningS(since: string | null): number | null {
  if (!since) return null;
  return (boxNow() - Date.parse(since)) / 1000;
}

export function Monitor() {
  // 实时监听 from the monitor: a button on each tile in a call, for levels that may change the box.
  const [control] = useState(() => new ListenControl(liveIo));
  useEffect(() => () => void control.close(), []);
  const active = control.active.value;
  const listen = async (ref: string) => {
    try {
      if (active.has(ref)) await control.stop(ref);
      else await control.listen(ref);
    } catch (e) {
      showError(e instanceof ListenError && e.code === 'listeners_full' ? new Error(t('listenersFull')) : e);
    }
  };
  return (
    <div>
      <div class="tiles">
        {channels.value.map((c) => {
          const colour = tileColour(c);
          const s = runningS(c.recordingSince);
          return (
            <div class={`tile ${colour}`} data-ref={c.ref} data-colour={colour} key={c.ref} title={t(`st_${c.state}`)}>
              <div class="phone" aria-hidden="true">☎</div>
              <div class="tile-no">{channelLabel(c)}</div>
              <div class="tile-state">{t(`st_${c.state}`)}</div>
              <div class="tile-number">{c.remoteNumber || c.lineNumber || '\u00a0'}</div>
              {c.callerName ? <div class="tile-name">{c.callerName}</div> : null}
              <div class="tile-time">{c.recording && s !== null ? fmtDuration(s) : '\u00a0'}</div>
              {canEdit.value && (c.state === 'incoming' || c.state === 'outgoing' || active.has(c.ref)) ? (
                <button type="button" class={`tile-listen listen${active.has(c.ref) ? ' current' : ''}`} title={t('listen')} onClick={() => void listen(c.ref)}>
                  {active.has(c.ref) ? t('stopListen') : t('listen')}
                </button>
              ) : null}
            </div>
          );
        })}
      </div>
      <ul class="legend">
        <li><i class="dot red" />{t('legendRed')}</li>
        <li><i class="dot black" />{t('legendBlack')}</li>
        <li><i class="dot green" />{t('legendGreen')}</li>
        <li><i class="dot blue" />{t('legendBlue')}</li>
      </ul>
    </div>
  );
}
