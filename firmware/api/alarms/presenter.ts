/** What a client sees of an active alarm. */
import type { Alarm } from '../../app/vocabulary.ts';

export function presentAlarm(a: Alarm) {
  return { id: a.id, severity: a.severity, area: a.area, message: a.message, raisedAt: new Date(a.raisedAt).toISOString(), count: a.count };
}
