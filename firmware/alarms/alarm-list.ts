/**
 * Active alarms (告警) keyed by a stable id, e.g. `linecard-down` or
 * `channel-disconnected:5`. Raising an active alarm again only updates it;
 * clearing logs once. The web issue adds persistence and a history page.
 */
export type AlarmSeverity = 'critical' | 'major' | 'minor';

export interface Alarm {
  id: string;
  severity: AlarmSeverity;
  /** Area as the manual's alarm list shows it: 通道, 设备, 磁盘 ... */
  area: 'channel' | 'device' | 'disk';
  message: string;
  raisedAt: number;
  count: number;
}

export interface AlarmLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export class AlarmList {
  private readonly active = new Map<string, Alarm>();

  constructor(private readonly log: AlarmLogger) {}

  raise(id: string, severity: AlarmSeverity, area: Alarm['area'], message: string, now: number): void {
    const existing = this.active.get(id);
    if (existing) {
      existing.count++;
      existing.message = message;
      return;
    }
    this.active.set(id, { id, severity, area, message, raisedAt: now, count: 1 });
    this.log.warn({ alarm: id, severity, area }, `alarm raised: ${message}`);
  }

  clear(id: string): void {
    if (this.active.delete(id)) this.log.info({ alarm: id }, 'alarm cleared');
  }

  has(id: string): boolean {
    return this.active.has(id);
  }

  list(): Alarm[] {
    return [...this.active.values()].sort((a, b) => b.raisedAt - a.raisedAt);
  }
}
