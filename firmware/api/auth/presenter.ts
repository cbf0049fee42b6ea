import type { Session, SignedIn } from '../../app/auth-service.ts';

export function presentAccount(s: SignedIn) {
  return { username: s.username, role: s.role, mustChangePassword: s.mustChangePassword, expiresAt: s.expiresAt };
}

export function presentSession(s: Session & { role: string | null }, currentId: string) {
  return { id: s.id, username: s.username, role: s.role, ip: s.ip, since: s.createdAt, lastActivity: s.lastActivity, apiClient: s.bearer, current: s.id === currentId };
}
