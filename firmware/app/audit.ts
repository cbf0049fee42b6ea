/**
 * Every operation that changes something is written to the operation log
 * (操作日志) with its principal and its outcome, whether it succeeded or not.
 */
import type { ChannelRef } from '../ports/channel-ref.ts';
import type { OperationItem, OperationKind } from '../journal/operation-entry.ts';
import type { OperationLog } from '../journal/operation-log.ts';
import type { Principal } from './principal.ts';
import { authorise, type Permission } from './authorise.ts';

export interface AuditFields {
  /** What was acted on (通道参数, 录音参数, 免录名单, 录音, 存储, 账户, 系统). */
  item: OperationItem;
  operation: OperationKind;
  ref?: ChannelRef | null;
  parameter?: string;
  detail?: string;
  /**
   * The right the operation needs, `configure` unless named: a principal
   * without it is refused (forbidden) and the refusal logged.
   */
  requires?: Permission;
}

export interface AuditLogger {
  error(obj: object, msg: string): void;
}

export class Auditor {
  constructor(
    private readonly log: OperationLog,
    private readonly now: () => number,
    private readonly errors: AuditLogger,
  ) {}

  /** Runs an operation and logs it with its outcome; the error, if any, is rethrown. */
  run<T>(principal: Principal, fields: AuditFields, op: () => Promise<T> | T, describe?: (result: T) => string): Promise<T> {
    return this.log.track(
      { principal, item: fields.item, operation: fields.operation, channel: fields.ref ?? null, parameter: fields.parameter ?? null, detail: describe ?? fields.detail },
      async () => {
        authorise(principal, fields.requires ?? 'configure');
        return op();
      },
    );
  }

  /** Logs an event that is not an operation on a resource (start-up, recovery). */
  note(principal: Principal, fields: AuditFields): void {
    this.log
      .append({ time: this.now(), principal, item: fields.item, operation: fields.operation, channel: fields.ref ?? null, parameter: fields.parameter ?? null, result: { ok: true }, detail: fields.detail ?? '' })
      .catch((e: unknown) => this.errors.error({ err: (e as Error).message }, 'operation log entry not written'));
  }
}
