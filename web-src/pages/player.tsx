/** The player: seek, ±10 s, speed, and the waveform from the peaks the box computes (one lane per party). */
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api.ts';
import { t } from '../i18n.ts';
import { fmtDuration, fmtTime } from '../time.ts';
import type { RecordItem } from './search.tsx';

interface Peaks {
  durationMs: number;
  lanes: Array<{ min: number[]; max: number[] }>;
}

const POINTS = 600;
const LANE_H = 60;

function draw(canvas: HTMLCanvasElement, peaks: Peaks, at: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const lanes = peaks.lanes.length || 1;
  const laneH = h / lanes;
  peaks.lanes.forEach((lane, li) => {
    const mid = laneH * li + laneH / 2;
    const n = lane.max.length;
    const played = Math.round((at * n) / Math.max(1, peaks.durationMs / 1000));
    for (let i = 0; i < n; i++) {
      const x = (i / n) * w;
      const top = mid - (Math.max(0, lane.max[i] ?? 0) * laneH) / 2;
      const bottom = mid - (Math.min(0, lane.min[i] ?? 0) * laneH) / 2;
      ctx.fillStyle = i < played ? '#1565c0' : '#90a4ae';
      ctx.fillRect(x, top, Math.max(1, w / n - 0.5), Math.max(1, bottom - top));
    }
    if (li > 0) {
      ctx.fillStyle = '#ccc';
      ctx.fillRect(0, laneH * li, w, 1);
    }
  });
}

/** Peaks may come as sample values (±32768) or as fractions; scaled to ±1. */
function normalise(p: Peaks): Peaks {
  const big = p.lanes.some((l) => l.max.some((v) => Math.abs(v) > 1.5) || l.min.some((v) => Math.abs(v) > 1.5));
  if (!big) return p;
  return { ...p, lanes: p.lanes.map((l) => ({ min: l.min.map((v) => v / 32768), max: l.max.map((v) => v / 32768) })) };
}

export function Player(props: { record: RecordItem; onClose: () => void }) {
  const r = props.record;
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [at, setAt] = useState(0);
  const [duration, setDuration] = useState(r.durationS);
  const [peaks, setPeaks] = useState<Peaks | null | 'none'>(null);
  const [rate, setRate] = useState(1);
  const [src, setSrc] = useState(`/api/v1/records/${encodeURIComponent(r.id)}/play`);
  useEffect(() => {
    setSrc(`/api/v1/records/${encodeURIComponent(r.id)}/play`);
    setPeaks(null);
    get(`/records/${encodeURIComponent(r.id)}/peaks?points=${POINTS}`).then((p) => setPeaks(normalise(p)), () => setPeaks('none'));
  }, [r.id]);
  useEffect(() => {
    if (canvas.current && peaks && peaks !== 'none') draw(canvas.current, peaks, at);
  }, [peaks, at]);
  const seek = (s: number) => {
    const a = audio.current;
    if (!a) return;
    a.currentTime = Math.max(0, Math.min(s, Number.isFinite(a.duration) ? a.duration : s));
    setAt(a.currentTime);
  };
  const lanes = peaks && peaks !== 'none' ? peaks.lanes.length : 1;
  return (
    <section class="panel player" aria-label={t('player')}>
      <h2>
        {t('player')}: {r.remoteNumber || '-'} {r.callerName ? <span class="caller-name">{r.callerName}</span> : null} · {fmtTime(r.startTime)}
        <button type="button" class="close" onClick={props.onClose}>{t('close')}</button>
      </h2>
      <audio
        ref={audio}
        src={src}
        preload="auto"
        controls
        onLoadedMetadata={(e) => Number.isFinite(e.currentTarget.duration) && setDuration(e.currentTarget.duration)}
        onTimeUpdate={(e) => setAt(e.currentTarget.currentTime)}
        onError={() => {
          // A box without the browser-playable variant serves the recording as it is stored.
          if (r.audioUrl && !src.startsWith(r.audioUrl)) setSrc(r.audioUrl);
        }}
      />
      {peaks && peaks !== 'none' ? (
        <div class="wave">
          {peaks.lanes.length > 1 ? (
            <div class="lanes">
              {peaks.lanes.map((_, i) => <span key={i} style={{ height: `${LANE_H}px` }}>{t('party', { n: i + 1 })}</span>)}
            </div>
          ) : null}
          <canvas
            ref={canvas}
            width={POINTS}
            height={LANE_H * lanes}
            onClick={(e) => {
              const rect = e.currentTarget.getBoundingClientRect();
              seek(((e.clientX - rect.left) / rect.width) * duration);
            }}
          />
        </div>
      ) : (
        <p class="hint">{peaks === 'none' ? t('noWaveform') : t('loading')}</p>
      )}
      <div class="controls">
        <button type="button" onClick={() => seek(at - 10)}>« {t('back10')}</button>
        <input type="range" name="seek" min={0} max={Math.max(1, duration)} step={0.1} value={at} onInput={(e) => seek(Number(e.currentTarget.value))} />
        <button type="button" onClick={() => seek(at + 10)}>{t('fwd10')} »</button>
        <span class="time">{fmtDuration(at)} / {fmtDuration(duration)}</span>
        <label>
          {t('speed')}{' '}
          <select
            name="speed"
            value={rate}
            onChange={(e) => {
              const v = Number(e.currentTarget.value);
              setRate(v);
              if (audio.current) audio.current.playbackRate = v;
            }}
          >
            {[0.5, 0.75, 1, 1.25, 1.5, 2].map((v) => <option key={v} value={v}>{v}×</option>)}
          </select>
        </label>
      </div>
    </section>
  );
}
