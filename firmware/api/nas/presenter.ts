/** NAS targets and runs as a client sees them: times in ISO 8601, never a password. */
import type { BackupRun, NasView, TargetStatus } from '../../app/nas-service.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function presentRun(r: BackupRun) {
  return { ...r, from: iso(r.from), to: iso(r.to), createdAt: iso(r.createdAt), endedAt: iso(r.endedAt) };
}

export function presentStatus(s: TargetStatus) {
  return {
    ...s,
    lastSyncAt: iso(s.lastSyncAt),
    retryAt: iso(s.retryAt),
    lastError: s.lastError ? { ...s.lastError, at: iso(s.lastError.at) } : null,
    run: s.run ? presentRun(s.run) : null,
  };
}

export function presentNas(v: NasView) {
  return { ...v, targets: v.targets.map((t) => ({ ...t, status: t.status ? presentStatus(t.status) : null })) };
}
