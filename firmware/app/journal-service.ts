/** The operation log (操作日志), newest first with filters and paging. */
import type { Journal } from '../journal/journal.ts';
import type { OperationQuery, OperationRecord } from '../journal/operation-entry.ts';
import type { Page } from '../journal/paging.ts';

export class JournalService {
  constructor(private readonly journal: Journal) {}

  operations(q: OperationQuery = {}): Promise<Page<OperationRecord>> {
    return this.journal.operations.query(q);
  }
}
