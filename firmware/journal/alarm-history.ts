/**
 * Alarm history (历史告警): one entry per occurrence of an alarm, from its
 * raise to its clear, with the number of repeats and the last message.
 * Attached to the `AlarmList`, it records every raise and clear; repeats of
 * an active alarm are written at most once per `updateIntervalMs` (a disk
 * alarm re-raised every few seconds would otherwise write as often), and
 * the clear always writes the final count and message.
 *
 * At start-up (`closeLeftOpen`), entries still open from before a restart
 * are closed at the start-up time and marked `endedBy: 'restart'`: nothing
 * watched the condition while the box was down, and each condition still
 * present is raised again by the code that checks it, as a new entry.
 */
import { z } from 'zod';
import { ALARM_AREAS, ALARM_SEVERITIES, type Alarm, type AlarmArea, type AlarmChange, type AlarmList, type AlarmSeverity } from '../alarms/alarm-list.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import {
  ALARMS_STREAM, ALARM_FACETS, END_OF_TIME, OPEN_ALARMS, cursorOf, encodeFacets, pos, posTime, prefixRange, streamKey, type Facet,
} from './journal-keys.ts';
import { pageFields, pageRequest, type Page } from './paging.ts';
import { CounterDeltas, countStream, queryPage, type JournalBatch } from './streams.ts';
import type { JournalStore, TrimStep, TrimStepResult } from './journal-store.ts';

export interface AlarmRecord {
  /** Id of this history entry (stable, unique). */
  id: string;
  /** The alarm's own id, e.g. `channel-disconnected:5`. */
  alarmId: string;
  severity: AlarmSeverity;
  area: AlarmArea;
  /** Message when raised. */
  message: string;
  /** Message of the latest repeat. */
  lastMessage: string;
  raisedAt: number;
  /** Null while the alarm is active. */
  clearedAt: number | null;
  /** How it ended: its condition went away, or the box restarted while it was active. */
  endedBy: 'cleared' | 'restart' | null;
  /** Raises while active, the first included. */
  count: number;
}

export const alarmHistoryQuerySchema = z.object({
  ...pageFields,
  severity: z.custom<AlarmSeverity>((v) => ALARM_SEVERITIES.includes(v as AlarmSeverity), 'unknown severity').optional(),
  area: z.custom<AlarmArea>((v) => ALARM_AREAS.includes(v as AlarmArea), 'unknown area').optional(),
  /** Only alarms still active. */
  active: z.boolean().default(false),
});
/** Filters on the raise time (`from`, `to`), severity, area, and active alarms only. */
export type AlarmHistoryQuery = z.input<typeof alarmHistoryQuerySchema>;

const FACET_SEVERITY = 1;
const FACET_AREA = 2;

interface StoredAlarm {
  a: string;
  s: AlarmSeverity;
  ar: AlarmArea;
  m: string;
  lm: string;
  c: number | null;
  e: 'cleared' | 'restart' | null;
  n: number;
}

function facetsOf(s: { severity: string; area: string }): Facet[] {
  return [{ code: FACET_SEVERITY, value: s.severity }, { code: FACET_AREA, value: s.area }];
}

function decode(v: Buffer, p: Buffer): AlarmRecord {
  const s = JSON.parse(v.toString()) as StoredAlarm;
  return {
    id: cursorOf(p), alarmId: s.a, severity: s.s, area: s.ar, message: s.m, lastMessage: s.lm, raisedAt: posTime(p), clearedAt: s.c, endedBy: s.e, count: s.n,
  };
}

function encode(r: AlarmRecord): Buffer {
  const s: StoredAlarm = { a: r.alarmId, s: r.severity, ar: r.area, m: r.message, lm: r.lastMessage, c: r.clearedAt, e: r.endedBy, n: r.count };
  return Buffer.from(JSON.stringify(s));
}

const openKey = (alarmId: string) => Buffer.concat([Buffer.from([OPEN_ALARMS]), Buffer.from(alarmId)]);

export interface AlarmHistoryLogger {
  error(obj: object, msg: string): void;
}

export class AlarmHistory {
  private readonly lastWrite = new Map<string, number>();
  private readonly pending = new Map<string, Alarm>();

  constructor(private readonly store: JournalStore, private readonly updateIntervalMs = 60_000) {}

  /** Records every change of the list from now on, and the alarms active already; returns the call that detaches. */
  attach(list: AlarmList, log: AlarmHistoryLogger): () => void {
    const record = (change: AlarmChange) => {
      this.record(change).catch((e: unknown) => log.error({ alarm: change.alarm.id, err: (e as Error).message }, 'alarm history not written'));
    };
    for (const alarm of list.list()) record({ kind: 'raised', alarm, at: alarm.raisedAt });
    return list.onChange(record);
  }

  /** Writes one change (in order with every other write of the journal). */
  record(change: AlarmChange): Promise<void> {
    const { alarm, at } = change;
    switch (change.kind) {
      case 'raised':
        return this.store.serial(() => this.writeRaised(alarm));
      case 'updated':
        if (at - (this.lastWrite.get(alarm.id) ?? -Infinity) < this.updateIntervalMs) {
          this.pending.set(alarm.id, alarm);
          return Promise.resolve();
        }
        return this.store.serial(() => this.writeUpdate(alarm, at));
      case 'cleared':
        return this.store.serial(() => this.writeCleared(alarm, at));
      default: {
        const never: never = change;
        return never;
      }
    }
  }

  /** Writes repeats held back by the update interval (before closing the journal). */
  flush(): Promise<void> {
    const list = [...this.pending.values()];
    return this.store.serial(async () => {
      for (const a of list) if (this.pending.get(a.id) === a) await this.writeUpdate(a, this.lastWrite.get(a.id) ?? a.raisedAt);
    });
  }

  /** Closes the entries left open by the previous run at `at`; returns how many. */
  closeLeftOpen(at: number): Promise<number> {
    return this.store.serial(async () => {
      const { db } = this.store;
      let closed = 0;
      for (;;) {
        const rows = await db.iterator({ ...prefixRange(OPEN_ALARMS), limit: 500 }).all();
        if (!rows.length) return closed;
        const batch = db.batch();
        const values = await db.getMany(rows.map(([, p]) => streamKey(ALARMS_STREAM, p)));
        rows.forEach(([k, p], i) => {
          batch.del(k);
          const v = values[i];
          if (v) batch.put(streamKey(ALARMS_STREAM, p), encode({ ...decode(v, p), clearedAt: Math.max(at, posTime(p)), endedBy: 'restart' }));
        });
        await batch.write();
        closed += rows.length;
      }
    });
  }

  async query(q: AlarmHistoryQuery = {}): Promise<Page<AlarmRecord>> {
    const parsed = alarmHistoryQuerySchema.safeParse(q);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    const f = parsed.data;
    const req = pageRequest(f);
    const { db } = this.store;
    const snapshot = db.snapshot();
    try {
      if (f.active) {
        const opened = await db.values({ ...prefixRange(OPEN_ALARMS), snapshot }).all();
        const values = await db.getMany(opened.map((p) => streamKey(ALARMS_STREAM, p)), { snapshot });
        const all = opened
          .map((p, i) => ({ p, v: values[i] }))
          .filter(({ p, v }) => v && posTime(p) >= req.from && posTime(p) < req.to)
          .map(({ p, v }) => ({ p, r: decode(v!, p) }))
          .filter(({ r }) => (!f.severity || r.severity === f.severity) && (!f.area || r.area === f.area))
          .sort((a, b) => Buffer.compare(b.p, a.p));
        const start = req.cursor ? all.findIndex(({ p }) => Buffer.compare(p, req.cursor!) < 0) : req.offset;
        const page = start < 0 ? [] : all.slice(start, start + req.limit);
        const more = start >= 0 && start + req.limit < all.length;
        return { total: all.length, items: page.map(({ r }) => r), next: more && page.length ? page[page.length - 1]!.r.id : null };
      }
      const facets: Facet[] = [];
      if (f.severity) facets.push({ code: FACET_SEVERITY, value: f.severity });
      if (f.area) facets.push({ code: FACET_AREA, value: f.area });
      const page = await queryPage(db, ALARMS_STREAM, ALARM_FACETS, facets, req, { snapshot });
      const values = await db.getMany(page.positions.map((p) => streamKey(ALARMS_STREAM, p)), { snapshot });
      const items: AlarmRecord[] = [];
      values.forEach((v, i) => {
        if (v) items.push(decode(v, page.positions[i]!));
      });
      return { total: page.total, items, next: page.next };
    } finally {
      await snapshot.close();
    }
  }

  /** Number of entries kept. */
  count(): Promise<number> {
    return countStream(this.store.db, ALARMS_STREAM, { from: 0, to: END_OF_TIME });
  }

  /** One bounded retention step; entries of alarms still active are kept. */
  trimStep(step: TrimStep): Promise<TrimStepResult> {
    return this.store.trimStep(ALARMS_STREAM, ALARM_FACETS, (v) => {
      try {
        const s = JSON.parse(v.toString()) as StoredAlarm;
        return s.c === null ? null : facetsOf({ severity: s.s, area: s.ar });
      } catch {
        return [];
      }
    }, step);
  }

  private async openEntry(alarmId: string): Promise<{ p: Buffer; r: AlarmRecord } | null> {
    const p = await this.store.db.get(openKey(alarmId));
    if (!p) return null;
    const v = await this.store.db.get(streamKey(ALARMS_STREAM, p));
    return v ? { p, r: decode(v, p) } : null;
  }

  private async writeRaised(alarm: Alarm): Promise<void> {
    const open = await this.openEntry(alarm.id);
    if (open && open.r.raisedAt === alarm.raisedAt) return this.writeUpdate(alarm, alarm.raisedAt);
    const batch = this.store.db.batch();
    const deltas = new CounterDeltas();
    if (open) this.putClosed(batch, open.p, open.r, alarm.raisedAt);
    this.addNew(batch, deltas, alarm, null);
    await this.commit(batch, deltas);
    this.lastWrite.set(alarm.id, alarm.raisedAt);
  }

  private async writeUpdate(alarm: Alarm, at: number): Promise<void> {
    this.pending.delete(alarm.id);
    this.lastWrite.set(alarm.id, at);
    const open = await this.openEntry(alarm.id);
    if (!open) return this.writeRaised(alarm);
    await this.store.db.put(streamKey(ALARMS_STREAM, open.p), encode({ ...open.r, count: alarm.count, lastMessage: alarm.message }));
  }

  private async writeCleared(alarm: Alarm, at: number): Promise<void> {
    // Repeats held back belong to this occurrence unless it was raised again since.
    if (this.pending.get(alarm.id)?.raisedAt === alarm.raisedAt) {
      this.pending.delete(alarm.id);
      this.lastWrite.delete(alarm.id);
    }
    const open = await this.openEntry(alarm.id);
    const batch = this.store.db.batch();
    const deltas = new CounterDeltas();
    if (open && open.r.raisedAt === alarm.raisedAt) {
      this.putClosed(batch, open.p, { ...open.r, count: alarm.count, lastMessage: alarm.message }, at);
    } else {
      // Raised before the history heard of it (or its raise was not written): one closed entry.
      if (open) this.putClosed(batch, open.p, open.r, alarm.raisedAt);
      this.addNew(batch, deltas, alarm, at);
    }
    await this.commit(batch, deltas);
  }

  private putClosed(batch: JournalBatch, p: Buffer, r: AlarmRecord, at: number): void {
    batch.put(streamKey(ALARMS_STREAM, p), encode({ ...r, clearedAt: Math.max(at, r.raisedAt), endedBy: 'cleared' }));
    batch.del(openKey(r.alarmId));
  }

  /** A new entry (open when `clearedAt` is null) with its facet keys and counters. */
  private addNew(batch: JournalBatch, deltas: CounterDeltas, alarm: Alarm, clearedAt: number | null): void {
    const p = pos(alarm.raisedAt, this.store.takeSeq(batch));
    const r: AlarmRecord = {
      id: cursorOf(p), alarmId: alarm.id, severity: alarm.severity, area: alarm.area, message: alarm.message, lastMessage: alarm.message,
      raisedAt: posTime(p), clearedAt: clearedAt === null ? null : Math.max(clearedAt, posTime(p)), endedBy: clearedAt === null ? null : 'cleared',
      count: alarm.count,
    };
    if (clearedAt === null) batch.put(openKey(alarm.id), p);
    const facets = facetsOf(r);
    this.store.addEntry(batch, deltas, ALARMS_STREAM, ALARM_FACETS, p, encode(r), facets, encodeFacets(facets));
  }

  private async commit(batch: JournalBatch, deltas: CounterDeltas): Promise<void> {
    await deltas.apply(this.store.db, batch);
    await batch.write();
  }
}
