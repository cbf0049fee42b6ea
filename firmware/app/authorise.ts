/**
 * The one check of rights: a service method that changes something names
 * what it needs (see `AuditFields.requires`), and the principal's role must
 * grant it. The box itself may do everything; a user principal without a
 * role may only view.
 */
import { RecorderError } from '../errors.ts';
import { roleMay, ROLE_LABEL, type Permission } from '../accounts/roles.ts';
import type { Principal } from './principal.ts';

export type { Permission };

export function may(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'system') return true;
  // A seat changes nothing; what it may read is narrowed by its rights (seat-access.ts).
  if (principal.kind === 'seat') return permission === 'view';
  return principal.role ? roleMay(principal.role, permission) : permission === 'view';
}

export function authorise(principal: Principal, permission: Permission): void {
  if (may(principal, permission)) return;
  const level = principal.kind === 'user' && principal.role ? ROLE_LABEL[principal.role] : principal.kind === 'seat' ? '云座席' : 'unknown';
  throw new RecorderError('forbidden', `the account's level (${level}) may not ${permission === 'accounts' ? 'manage accounts' : 'change settings or recordings'}`);
}
