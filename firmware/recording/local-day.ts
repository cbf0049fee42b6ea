/**
 * Calendar days in the box's local time, as whole numbers (days since
 * 1970-01-01 of the local calendar). Searches, statistics and the dated
 * recording folders all count days this way.
 */
const DAY_MS = 86_400_000;

/** The local day a moment falls on. */
export function localDay(t: number): number {
  const d = new Date(t);
  return Math.floor(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / DAY_MS);
}

/** Local midnight starting the day (ms since the epoch). */
export function dayStart(day: number): number {
  const d = new Date(day * DAY_MS);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()).getTime();
}

/** `YYYY-MM-DD` of a day. */
export function dayLabel(day: number): string {
  const [y, m, d] = civilDate(day);
  if (y < 0 || y > 9999) return new Date(day * DAY_MS).toISOString().slice(0, 10);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * Year, month (1-12) and day of the month of a day, in the proleptic
 * Gregorian calendar, by arithmetic on 400-year eras (no Date object: the
 * file path of every search result is built from it).
 */
export function civilDate(day: number): [number, number, number] {
  const z = day + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** The day of a `YYYY-MM-DD` date, or null when it is not one. */
export function parseDayLabel(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayLabel(t / DAY_MS) === text ? t / DAY_MS : null;
}

/** The date folders of a day: `YYYY/MM/DD`. */
export function dayFolder(day: number): string {
  const [y, m, d] = civilDate(day);
  if (y < 0 || y > 9999) return dayLabel(day).replaceAll('-', '/');
  return `${String(y).padStart(4, '0')}/${m < 10 ? '0' : ''}${m}/${d < 10 ? '0' : ''}${d}`;
}

/** Calendar month number of a day (months since January 1970). */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** First day of a month. */
export function monthFirstDay(month: number): number {
  return Date.UTC(1970 + Math.floor(month / 12), month % 12, 1) / DAY_MS;
}
