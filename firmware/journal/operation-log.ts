/**
 * The operation log (操作日志): every change, login and system event, with
 * its principal. `append` writes one atomic batch; `query` pages newest
 * first with filters, and its `total` comes from counters and key counts.
 */
import { RecorderError, isRecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { END_OF_TIME, OPS_STREAM, OP_FACETS, cursorOf, encodeFacets, parseCursor, pos, posTime, streamKey, type Facet } from './journal-keys.ts';
import {
  decodeOperation, encodeOperation, operationFacets, operationInputSchema, operationQuerySchema, queryFacets,
  type OperationInput, type OperationQuery, type OperationRecord, type OperationResult,
} from './operation-entry.ts';
import { pageRequest, type Page } from './paging.ts';
import { CounterDeltas, countStream, queryPage } from './streams.ts';
import type { JournalStore, TrimStep, TrimStepResult } from './journal-store.ts';

/** An operation to run and log: everything but its time and result, which `track` fills in. */
export type TrackedOperation<T> = Omit<OperationInput, 'time' | 'result' | 'detail'> & {
  /** Detail text, or made from the operation's result when it succeeds. */
  detail?: string | ((result: T) => string);
};

export interface OperationLogOptions {
  /** The box's clock, for `track`. */
  now?: () => number;
  /** Told when `track` could not write its entry (the operation's own outcome stands). */
  onWriteError?: (err: Error, entry: OperationInput) => void;
}

export class OperationLog {
  private readonly now: () => number;

  constructor(private readonly store: JournalStore, private readonly opts: OperationLogOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /**
   * Runs an operation and logs it: `ok`, or `failed` with the error's code
   * (`INTERNAL` for an error without one), the error then rethrown. A log
   * entry that cannot be written never changes the operation's outcome.
   */
  async track<T>(op: TrackedOperation<T>, run: () => Promise<T>): Promise<T> {
    const { detail, ...rest } = op;
    const write = async (result: OperationResult, text: string) => {
      const entry: OperationInput = { ...rest, time: this.now(), result, detail: text };
      await this.append(entry).catch((e: unknown) => this.opts.onWriteError?.(e as Error, entry));
    };
    let value: T;
    try {
      value = await run();
    } catch (e) {
      const text = typeof detail === 'string' ? detail : '';
      await write({ ok: false, code: isRecorderError(e) ? e.code : 'INTERNAL' }, e instanceof Error && !text ? e.message : text);
      throw e;
    }
    await write({ ok: true }, typeof detail === 'function' ? detail(value) : detail ?? '');
    return value;
  }

  /** Logs one operation; throws on an invalid entry (a programming error, never user input). */
  async append(input: OperationInput): Promise<OperationRecord> {
    const e = operationInputSchema.parse(input);
    return this.store.serial(async () => {
      const { db } = this.store;
      const batch = db.batch();
      const p = pos(e.time, this.store.takeSeq(batch));
      const facets = operationFacets(e);
      const deltas = new CounterDeltas();
      this.store.addEntry(batch, deltas, OPS_STREAM, OP_FACETS, p, encodeOperation(e), facets, encodeFacets(facets));
      await deltas.apply(db, batch);
      await batch.write();
      return { ...e, time: posTime(p), id: cursorOf(p) };
    });
  }

  /** Entries matching every filter, newest first. Invalid queries fail with BAD_REQUEST. */
  async query(q: OperationQuery = {}): Promise<Page<OperationRecord>> {
    const parsed = operationQuerySchema.safeParse(q);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    const req = pageRequest(parsed.data);
    // Read your writes: an operation noted just before (without waiting for its write) is in the answer.
    await this.store.written();
    const { db } = this.store;
    const snapshot = db.snapshot();
    try {
      const page = await queryPage(db, OPS_STREAM, OP_FACETS, queryFacets(parsed.data), req, { snapshot });
      const values = await db.getMany(page.positions.map((p) => streamKey(OPS_STREAM, p)), { snapshot });
      const items: OperationRecord[] = [];
      values.forEach((v, i) => {
        const p = page.positions[i]!;
        if (v) items.push(decodeOperation(v, posTime(p), cursorOf(p)));
      });
      return { total: page.total, items, next: page.next };
    } finally {
      await snapshot.close();
    }
  }

  /** One entry by its id; null when there is none (or it has been trimmed). */
  async get(id: string): Promise<OperationRecord | null> {
    const p = parseCursor(id);
    if (!p) return null;
    const v = await this.store.db.get(streamKey(OPS_STREAM, p));
    return v ? decodeOperation(v, posTime(p), id) : null;
  }

  /** Number of entries kept. */
  count(): Promise<number> {
    return countStream(this.store.db, OPS_STREAM, { from: 0, to: END_OF_TIME });
  }

  /** One bounded retention step (journal.ts drives it). */
  trimStep(step: TrimStep): Promise<TrimStepResult> {
    return this.store.trimStep(OPS_STREAM, OP_FACETS, facetsOfStored, step);
  }
}

/** An entry's facets; none when it cannot be decoded (its entry key still goes). */
function facetsOfStored(value: Buffer): Facet[] {
  try {
    return operationFacets(decodeOperation(value, 0, ''));
  } catch {
    return [];
  }
}
