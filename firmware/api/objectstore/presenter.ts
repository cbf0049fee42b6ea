/** The object-store archive as a client sees it: times in ISO 8601. */
import type { ArchiveStatus, RecordCopy } from '../../app/object-store-service.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function presentStatus(s: ArchiveStatus) {
  return { ...s, oldestQueuedAt: iso(s.oldestQueuedAt), lastErrorAt: iso(s.lastErrorAt), lastUploadAt: iso(s.lastUploadAt) };
}

export function presentCopies(copies: RecordCopy[]) {
  return copies.map((c) => (c.where === 'object-store' && c.state === 'verified' ? { ...c, verifiedAt: new Date(c.verifiedAt).toISOString() } : c));
}
