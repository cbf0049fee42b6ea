/**
 * Active alarms (告警) keyed by a stable id, e.g. `linecard-down` or
 * `channel-disconnected:5`. Raising an active alarm again only updates it
 * (count and message); clearing logs once. Listeners hear every raise,
 * repeat and clear: the alarm history records them and the event bus
 * publishes them.
 */
export type AlarmSeverity = 'critical' | 'major' | 'minor';
export const ALARM_SEVERITIES: readonly AlarmSeverity[] = ['critical', 'major', 'minor'];

export type AlarmArea = 'channel' | 'device' | 'disk';
export const ALARM_AREAS: readonly AlarmArea[] = ['channel', 'device', 'disk'];

export interface Alarm {
  id: string;
  severity: AlarmSeverity;
  /** Area as the manual's alarm list shows it: 通道, 设备, 磁盘 ... */
  area: AlarmArea;
  message: string;
  raisedAt: number;
  count: number;
}

/** A change of the active list; `alarm` is a copy as it stands after the change. */
export type AlarmChange =
  | { kind: 'raised'; alarm: Alarm; at: number }
  | { kind: 'updated'; alarm: Alarm; at: number }
  | { kind: 'cleared'; alarm: Alarm; at: number };

export type AlarmListener = (change: AlarmChange) => void;

export interface AlarmLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error?(obj: object, msg: string): void;
}

export interface AlarmListOptions {
  /** Clock for clear times when the caller gives none. */
  now?: () => number;
}

export class AlarmList {
  private readonly active = new Map<string, Alarm>();
  private readonly listeners = new Set<AlarmListener>();
  private readonly now: () => number;

  constructor(private readonly log: AlarmLogger, opts: AlarmListOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  raise(id: string, severity: AlarmSeverity, area: Alarm['area'], message: string, now: number): void {
    const existing = this.active.get(id);
    if (existing) {
      existing.count++;
      existing.message = message;
      this.emit({ kind: 'updated', alarm: { ...existing }, at: now });
      return;
    }
    const alarm: Alarm = { id, severity, area, message, raisedAt: now, count: 1 };
    this.active.set(id, alarm);
    this.log.warn({ alarm: id, severity, area }, `alarm raised: ${message}`);
    this.emit({ kind: 'raised', alarm: { ...alarm }, at: now });
  }

  clear(id: string, now: number = this.now()): void {
    const alarm = this.active.get(id);
    if (!alarm) return;
    this.active.delete(id);
    this.log.info({ alarm: id }, 'alarm cleared');
    this.emit({ kind: 'cleared', alarm: { ...alarm }, at: now });
  }

  has(id: string): boolean {
    return this.active.has(id);
  }

  list(): Alarm[] {
    return [...this.active.values()].sort((a, b) => b.raisedAt - a.raisedAt);
  }

  /** Calls `listener` on every change from now on; returns the call that stops it. */
  onChange(listener: AlarmListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A failing listener is logged and never stops the others or the caller. */
  private emit(change: AlarmChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (e) {
        (this.log.error ?? this.log.warn).call(this.log, { alarm: change.alarm.id, err: (e as Error).message }, 'alarm listener failed');
      }
    }
  }
}
