/** Alarms (告警信息): the active ones, and the history (历史告警) with raise and clear times. */
import type { Alarm, AlarmList } from '../alarms/alarm-list.ts';

export class AlarmService {
  constructor(private readonly alarms: AlarmList) {}

  active(): Alarm[] {
    return this.alarms.list();
  }
}
