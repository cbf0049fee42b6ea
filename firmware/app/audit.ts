/**
 * Every operation that changes something is written to the operation log
 * (操作日志) with its principal and its result, whether it succeeded or not.
 */
import { isRecorderError } from '../errors.ts';
import type { ChannelRef } from '../ports/channel-ref.ts';
import type { Principal } from './principal.ts';

/** What the services tell the operation log about one operation. */
export interface OperationRecord {
  principal: Principal;
  /** What was acted on: channel, recording-params, record, storage, alarm, system, account ... */
  item: string;
  operation: string;
  ref?: ChannelRef | null;
  parameter?: string;
  detail?: string;
  result: 'ok' | 'failed';
  /** Stable error code when failed. */
  error?: string;
  at: number;
}

export interface OperationSink {
  record(op: OperationRecord): void;
}

export type AuditFields = Omit<OperationRecord, 'principal' | 'result' | 'error' | 'at'>;

export class Auditor {
  constructor(
    private readonly sink: OperationSink,
    private readonly now: () => number,
  ) {}

  /** Runs an operation and logs it with its outcome; the error, if any, is rethrown. */
  async run<T>(principal: Principal, fields: AuditFields, op: () => Promise<T> | T, describe?: (result: T) => string): Promise<T> {
    try {
      const result = await op();
      const detail = describe ? describe(result) : fields.detail;
      this.sink.record({ ...fields, detail, principal, result: 'ok', at: this.now() });
      return result;
    } catch (e) {
      this.sink.record({
        ...fields, principal, result: 'failed', error: isRecorderError(e) ? e.code : 'INTERNAL',
        detail: isRecorderError(e) ? e.message : fields.detail, at: this.now(),
      });
      throw e;
    }
  }

  /** Logs an event that is not an operation on a resource (start-up, recovery, login). */
  note(principal: Principal, fields: AuditFields): void {
    this.sink.record({ ...fields, principal, result: 'ok', at: this.now() });
  }
}
