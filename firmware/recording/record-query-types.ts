/** What a search of the recording index takes and answers (record-query.ts runs it). */
import type { CallType, PortType, RecordLevel } from '../calls/call-types.ts';
import type { RecordEntry } from './record-entry.ts';

/** The key range a search reads: entries in time order, or one condition's keys. */
export type DriverName = 'time' | 'channel' | 'line' | 'important' | 'number' | 'today';

export interface RecordQuery {
  /** Start time bounds, inclusive (ms since the epoch). */
  from?: number;
  to?: number;
  lineNumber?: string;
  /**
   * A call's id as the index holds it (`siprec:<Call-ID>`, `phone:<MAC>/<id>`),
   * or a SIP Call-ID alone, which finds the SIPREC recordings of that dialog.
   */
  callId?: string;
  /** Exact number, or a pattern where `%` stands for any digits (`5588%`: starts with 5588). */
  remoteNumber?: string;
  portType?: PortType;
  /** Port of its type (E1 trunk, VoIP interface); analog lines are on port 0. */
  port?: number;
  /** Channel within its port: analog line, E1 timeslot, VoIP extension (0..65535). */
  channel?: number;
  callType?: CallType;
  level?: RecordLevel;
  minDurationMs?: number;
  maxDurationMs?: number;
  /** Today's recordings (not archived yet) or history. */
  store?: 'today' | 'history';
  /** Search the recordings marked deleted instead of the others. */
  deleted?: boolean;
  limit: number;
  offset: number;
}

/**
 * `<driver>-stats`: total from statistics; `<driver>-scan`: total counted from the driver's range; `number`: a number prefix's keys;
 * `number-months`: a number prefix counted from its numbers' months.
 */
export type QueryPlan = 'number' | 'number-months' | `${DriverName}-stats` | `${DriverName}-scan`;

export interface QueryResult {
  total: number;
  items: RecordEntry[];
  /** Which plan answered (for diagnostics and benchmarks). */
  plan: QueryPlan;
}

