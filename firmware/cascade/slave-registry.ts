/**
 * The master's list of its slaves (`cascade-slaves.json` in the
 * configuration folder, written atomically): each slave's id and URL as it
 * registered them, and when it was last heard from; in memory, whether it
 * answered the last request, and why not. A slave not heard from for 90 s
 * (three registrations missed) is down.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PeerProblem } from './peer-client.ts';

export const HEARTBEAT_MS = 30_000;
export const DOWN_AFTER_MS = 90_000;
export const SLAVES_FILE = 'cascade-slaves.json';

export interface SlaveRecord {
  box: string;
  url: string;
  registeredAt: number;
  lastSeenAt: number;
}

export type SlaveStateName = 'online' | PeerProblem;

export interface SlaveState extends SlaveRecord {
  state: SlaveStateName;
  detail: string;
}

export class SlaveRegistry {
  private readonly slaves = new Map<string, SlaveRecord>();
  private readonly problems = new Map<string, { kind: PeerProblem; detail: string; at: number }>();

  constructor(private readonly file: string) {
    try {
      const list = JSON.parse(fs.readFileSync(file, 'utf8')) as SlaveRecord[];
      for (const s of list) if (typeof s?.box === 'string' && typeof s.url === 'string') this.slaves.set(s.box, s);
    } catch {
      /* none yet, or damaged: slaves register again within a heartbeat */
    }
  }

  static in(configDir: string): SlaveRegistry {
    return new SlaveRegistry(path.join(configDir, SLAVES_FILE));
  }

  /** Returns whether the slave is new or moved (saved then). */
  register(box: string, url: string, now: number): boolean {
    const was = this.slaves.get(box);
    this.slaves.set(box, { box, url, registeredAt: was && was.url === url ? was.registeredAt : now, lastSeenAt: now });
    this.problems.delete(box);
    const changed = !was || was.url !== url;
    if (changed) this.save();
    return changed;
  }

  get(box: string): SlaveRecord | undefined {
    return this.slaves.get(box);
  }

  /** The outcome of a request to a slave: null when it answered. Returns whether its state changed. */
  mark(box: string, problem: { kind: PeerProblem; detail: string } | null, now: number): boolean {
    const before = this.problems.get(box)?.kind ?? null;
    if (problem) this.problems.set(box, { ...problem, at: now });
    else {
      this.problems.delete(box);
      const s = this.slaves.get(box);
      if (s) s.lastSeenAt = now;
    }
    return before !== (problem?.kind ?? null);
  }

  list(now: number): SlaveState[] {
    return [...this.slaves.values()]
      .sort((a, b) => (a.box < b.box ? -1 : 1))
      .map((s) => {
        const p = this.problems.get(s.box);
        if (p) return { ...s, state: p.kind, detail: p.detail };
        if (now - s.lastSeenAt > DOWN_AFTER_MS) return { ...s, state: 'down' as const, detail: 'not heard from since its last registration' };
        return { ...s, state: 'online' as const, detail: '' };
      });
  }

  forget(box: string): boolean {
    const had = this.slaves.delete(box);
    this.problems.delete(box);
    if (had) this.save();
    return had;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify([...this.slaves.values()], null, 2));
    fs.renameSync(tmp, this.file);
  }
}
