/** Times in the box's time zone (from GET /device) and the box's clock (which may differ from this computer's). */
import { signal } from '@preact/signals';
import { lang } from './i18n.ts';

export const boxZone = signal<string>(Intl.DateTimeFormat().resolvedOptions().timeZone);
/** Box clock minus this computer's clock, ms. */
export const clockSkew = signal(0);
/** Ticks every second: components reading it re-render with running durations and the clock. */
export const tick = signal(Date.now());
setInterval(() => (tick.value = Date.now()), 1000);

export const boxNow = () => tick.value + clockSkew.value;

function parts(t: number): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: boxZone.value,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  });
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(t))) out[p.type] = p.value;
  return out;
}

/** `YYYY-MM-DD HH:MM:SS` in the box's zone. */
export function fmtTime(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const t = typeof v === 'number' ? v : Date.parse(v);
  if (Number.isNaN(t)) return '';
  const p = parts(t);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `YYYY-MM-DD` of a moment in the box's zone. */
export function fmtDay(t: number): string {
  const p = parts(t);
  return `${p.year}-${p.month}-${p.day}`;
}

const WEEKDAYS_ZH: Record<string, string> = { Sun: '星期日', Mon: '星期一', Tue: '星期二', Wed: '星期三', Thu: '星期四', Fri: '星期五', Sat: '星期六' };

/** The top bar's clock: `2021-10-09 13:42:42 星期六`. */
export function fmtClock(t: number): string {
  const p = parts(t);
  const wd = lang.value === 'zh' ? WEEKDAYS_ZH[p.weekday!] ?? p.weekday : p.weekday;
  return `${fmtTime(t)} ${wd}`;
}

/** `HH:MM:SS` of a number of seconds. */
export function fmtDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '';
  const v = Math.max(0, Math.round(s));
  const h = Math.floor(v / 3600);
  const m = Math.floor((v % 3600) / 60);
  const sec = v % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** The box-zone wall time `YYYY-MM-DDTHH:MM` (a datetime-local input) as an ISO instant. */
export function localInputToIso(v: string): string | undefined {
  if (!v) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return undefined;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // The zone's offset at that moment, found by formatting the guess back.
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = parts(guess);
    const shown = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!, +p.second!);
    guess += asUtc - shown;
  }
  return new Date(guess).toISOString();
}

/** A moment as the value of a datetime-local input, in the box's zone. */
export function toLocalInput(t: number): string {
  const p = parts(t);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
