/**
 * Account levels (账号等级, manual 3.16) and what each may do:
 * - `admin` 管理员: everything, accounts included;
 * - `super` 超级用户: every setting and operation but accounts;
 * - `user` 普通用户: view only;
 * - `temporary` 临时用户: a super user for a set number of hours.
 */
export const ROLES = ['admin', 'super', 'user', 'temporary'] as const;
export type Role = (typeof ROLES)[number];

/** What an operation needs: viewing, changing the box, or managing accounts and web access. */
export type Permission = 'view' | 'configure' | 'accounts';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['view', 'configure', 'accounts'],
  super: ['view', 'configure'],
  temporary: ['view', 'configure'],
  user: ['view'],
};

export function roleMay(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_LABEL: Record<Role, string> = { admin: '管理员', super: '超级用户', user: '普通用户', temporary: '临时用户' };
