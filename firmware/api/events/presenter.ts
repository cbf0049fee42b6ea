/** Live events as a client sees them: channel references as text, times in ISO 8601, records presented. */
import { refKey, type BoxEvent } from '../../app/vocabulary.ts';
import { presentRecord } from '../records/presenter.ts';

export function presentEvent(e: BoxEvent) {
  const at = new Date(e.at).toISOString();
  if (e.type === 'recording.indexed') return { type: e.type, ref: refKey(e.ref), id: e.id, record: presentRecord(e.record), at };
  if ('ref' in e) return { ...e, ref: refKey(e.ref), at };
  return { ...e, at };
}
