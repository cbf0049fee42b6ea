/** Alarms (告警信息): the active ones, and the history (历史告警) with raise and clear times. */
import type { Alarm, AlarmList } from '../alarms/alarm-list.ts';
import type { Journal } from '../journal/journal.ts';
import type { AlarmHistoryQuery, AlarmRecord } from '../journal/alarm-history.ts';
import type { Page } from '../journal/paging.ts';

export class AlarmService {
  constructor(
    private readonly alarms: AlarmList,
    private readonly journal: Journal,
  ) {}

  active(): Alarm[] {
    return this.alarms.list();
  }

  history(q: AlarmHistoryQuery = {}): Promise<Page<AlarmRecord>> {
    return this.journal.alarms.query(q);
  }
}
