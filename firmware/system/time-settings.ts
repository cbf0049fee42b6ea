/**
 * Time settings (时间设置, manual 2.6 and 3.15): NTP on or off, primary and
 * backup server with their ports, the sync period, the time zone as the
 * manual writes it (GMT+08:00); written as chrony's configuration. With NTP
 * off the date and time are set by hand.
 */
import { z } from 'zod';

const host = z
  .string()
  .trim()
  .max(253)
  .regex(/^$|^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'a host name or IPv4 address such as 108.61.223.189 or pool.ntp.org');

/** GMT-12:00 … GMT+14:00 in quarter hours. */
export const ZONE_PATTERN = /^GMT([+-])(0\d|1[0-4]):(00|15|30|45)$/;

export const timeSettingsSchema = z
  .object({
    /** NTP启用开关 */
    ntp: z.boolean(),
    /** 主NTP服务器地址 / 端口 */
    primaryServer: host,
    primaryPort: z.number().int().min(1).max(65535),
    /** 备NTP服务器地址 / 端口; empty for none. */
    backupServer: host,
    backupPort: z.number().int().min(1).max(65535),
    /** 同步周期, seconds (chrony polls at the nearest power of two). */
    syncPeriodS: z.number().int().min(16).max(86_400),
    /** 时区设置 */
    zone: z.string().regex(ZONE_PATTERN, 'a zone such as GMT+08:00 (GMT-12:00 to GMT+14:00)'),
  })
  .strict();
export type TimeSettings = z.infer<typeof timeSettingsSchema>;

/** The manual's factory values. */
export const FACTORY_TIME: Readonly<TimeSettings> = Object.freeze({
  ntp: true,
  primaryServer: '108.61.223.189',
  primaryPort: 123,
  backupServer: '193.228.143.12',
  backupPort: 123,
  syncPeriodS: 300,
  zone: 'GMT+08:00',
});

export function timeProblems(s: TimeSettings): string[] {
  const p: string[] = [];
  if (s.ntp && !s.primaryServer) p.push('primaryServer (主NTP服务器地址): required while NTP is on');
  if (s.ntp && s.backupServer && s.backupServer === s.primaryServer && s.backupPort === s.primaryPort) {
    p.push('backupServer (备NTP服务器地址): the same as the primary server');
  }
  if (zoneOffsetMinutes(s.zone) === null) p.push(`zone (时区设置): ${s.zone} is not a zone between GMT-12:00 and GMT+14:00`);
  return p;
}

/** GMT+08:00 → 480 (minutes east of UTC). */
export function zoneOffsetMinutes(zone: string): number | null {
  const m = ZONE_PATTERN.exec(zone);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60 || (m[1] === '-' && minutes > 12 * 60)) return null;
  return m[1] === '+' ? minutes : -minutes;
}

/** The zone as the C library's TZ (POSIX counts west as positive): GMT+08:00 → `<+0800>-08:00`. */
export function posixZone(zone: string): string {
  const minutes = zoneOffsetMinutes(zone) ?? 0;
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `<${sign}${hh}${mm}>${minutes >= 0 ? '-' : '+'}${hh}:${mm}`;
}

/** The zone for this process: `Etc/GMT-8` for whole hours (read by the C library and ICU alike), the POSIX form otherwise. */
export function processZone(zone: string): string {
  const minutes = zoneOffsetMinutes(zone) ?? 0;
  if (minutes % 60 !== 0) return posixZone(zone);
  return minutes === 0 ? 'Etc/GMT' : `Etc/GMT${minutes > 0 ? '-' : '+'}${Math.abs(minutes) / 60}`;
}

/** The poll interval as chrony takes it: log2 seconds, nearest to the sync period (16 s … 36 h). */
export function pollExponent(periodS: number): number {
  return Math.min(17, Math.max(4, Math.round(Math.log2(periodS))));
}

/** chrony.conf for NTP on. */
export function renderChronyConf(s: TimeSettings): string {
  const poll = pollExponent(s.syncPeriodS);
  const server = (name: string, port: number) => `server ${name} port ${port} iburst minpoll ${poll} maxpoll ${poll}`;
  const lines = [
    '# Written by the recorder (时间设置).',
    server(s.primaryServer, s.primaryPort),
  ];
  if (s.backupServer) lines.push(server(s.backupServer, s.backupPort));
  lines.push(
    'driftfile /var/lib/chrony/drift',
    '# Step the clock only at start-up; afterwards it is slewed, so recordings in progress keep true times.',
    'makestep 1.0 3',
    '# Keep the RTC in step for the next boot.',
    'rtcsync',
  );
  return `${lines.join('\n')}\n`;
}
