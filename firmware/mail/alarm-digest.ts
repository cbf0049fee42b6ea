/**
 * Alarm mails without floods (pure, time passed in). Alarm raises and clears
 * are gathered per alarm: one that comes and goes twenty times between two
 * mails is one line of the next mail, with its counts. A mail goes out a
 * short while after the first change (so a burst is one mail), and never
 * sooner than the minimum interval after the previous one.
 */
import type { AlarmArea, AlarmSeverity } from '../alarms/alarm-list.ts';

export interface AlarmNote {
  kind: 'raised' | 'cleared';
  id: string;
  severity: AlarmSeverity;
  area: AlarmArea;
  message: string;
  at: number;
}

export interface DigestEntry {
  id: string;
  severity: AlarmSeverity;
  area: AlarmArea;
  /** The latest message. */
  message: string;
  raised: number;
  cleared: number;
  firstAt: number;
  lastAt: number;
  /** Whether the last change raised it. */
  active: boolean;
}

export interface Digest {
  entries: DigestEntry[];
  /** Alarms left out past the entry limit. */
  more: number;
  firstAt: number;
}

const SEVERITY_RANK: Record<AlarmSeverity, number> = { critical: 0, major: 1, minor: 2 };

export function severityAtLeast(s: AlarmSeverity, floor: AlarmSeverity): boolean {
  return SEVERITY_RANK[s] <= SEVERITY_RANK[floor];
}

export class AlarmDigest {
  private readonly entries = new Map<string, DigestEntry>();
  private more = 0;
  private firstAt: number | null = null;

  constructor(private readonly maxEntries = 40) {}

  get empty(): boolean {
    return this.firstAt === null;
  }

  /** When the first change now waiting came; null when nothing waits. */
  get pendingSince(): number | null {
    return this.firstAt;
  }

  add(n: AlarmNote): void {
    this.firstAt ??= n.at;
    let e = this.entries.get(n.id);
    if (!e) {
      if (this.entries.size >= this.maxEntries) {
        this.more++;
        return;
      }
      e = { id: n.id, severity: n.severity, area: n.area, message: n.message, raised: 0, cleared: 0, firstAt: n.at, lastAt: n.at, active: false };
      this.entries.set(n.id, e);
    }
    if (n.kind === 'raised') {
      e.raised++;
      e.message = n.message;
      e.severity = n.severity;
    } else e.cleared++;
    e.active = n.kind === 'raised';
    e.lastAt = n.at;
  }

  /** Everything waiting, worst first, and an empty digest after. */
  take(): Digest | null {
    if (this.firstAt === null) return null;
    const entries = [...this.entries.values()].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.firstAt - b.firstAt);
    const d: Digest = { entries, more: this.more, firstAt: this.firstAt };
    this.entries.clear();
    this.more = 0;
    this.firstAt = null;
    return d;
  }
}

/** When the waiting changes should be mailed: after the gathering delay, and not before the interval since the last mail. */
export function sendAt(p: { pendingSince: number; lastSentAt: number | null; gatherMs: number; intervalMs: number }): number {
  const gathered = p.pendingSince + p.gatherMs;
  return p.lastSentAt === null ? gathered : Math.max(gathered, p.lastSentAt + p.intervalMs);
}
