/** System management pages as a client sees them: times in ISO 8601. */
import type { NetworkView, TimeView } from '../../app/vocabulary.ts';

export function presentNetwork(v: NetworkView) {
  return {
    ...v.settings,
    mac: v.mac,
    pending: v.pending ? { deadline: new Date(v.pending.deadline).toISOString(), previous: v.pending.previous } : null,
  };
}

export function presentTime(v: TimeView) {
  return { ...v.settings, now: new Date(v.now).toISOString(), utcOffsetMinutes: v.utcOffsetMinutes, ntpStatus: v.ntp };
}
