/**
 * Account management (账号管理, manual 3.16), for administrators only:
 * list, create, change and delete accounts. The box always keeps an enabled
 * administrator, and nobody deletes or disables the account they act as.
 * A deleted or disabled account, or one whose password an administrator
 * set, is signed out at once; a changed level applies at the next request.
 */
import { RecorderError } from '../errors.ts';
import type { AccountStore } from '../accounts/account-store.ts';
import { MAX_ACCOUNTS, type Account, type AccountsFile } from '../accounts/account-schema.ts';
import { hashPassword, passwordWeakness } from '../accounts/password.ts';
import type { Role } from '../accounts/roles.ts';
import type { Auditor } from './audit.ts';
import type { AuthService } from './auth-service.ts';
import { authorise } from './authorise.ts';
import type { Principal } from './principal.ts';

export interface AccountView {
  username: string;
  role: Role;
  /** 网段限定 on, with its subnet. */
  subnetLimit: boolean;
  subnet: string | null;
  enabled: boolean;
  createdAt: number;
  expiresAt: number | null;
  mustChangePassword: boolean;
  /** 状态: signed in now. */
  signedIn: boolean;
  /** 登录IP: where it last signed in from. */
  lastLoginIp: string | null;
  lastLoginAt: number | null;
}

export interface AccountInput {
  username: string;
  password: string;
  role: Role;
  subnetLimit?: boolean;
  subnet?: string | null;
  /** 使用时间 of a temporary account, from now. */
  validHours?: number;
  mustChangePassword?: boolean;
}

export type AccountPatch = Partial<Omit<AccountInput, 'username'>> & { enabled?: boolean };

const HOUR_MS = 3600_000;

export class AccountService {
  constructor(
    private readonly store: AccountStore,
    private readonly auth: AuthService,
    private readonly audit: Auditor,
    private readonly now: () => number,
  ) {}

  list(principal: Principal): AccountView[] {
    authorise(principal, 'accounts');
    return this.store.accounts.map((a) => this.view(a));
  }

  async create(principal: Principal, input: AccountInput): Promise<AccountView> {
    const fields = { item: 'account', operation: 'add', parameter: input.username, detail: `${input.role}`, requires: 'accounts' } as const;
    return this.audit.run(principal, fields, async () => {
      if (this.store.find(input.username)) throw new RecorderError('account_exists', `an account named ${input.username} exists`);
      if (this.store.accounts.length >= MAX_ACCOUNTS) throw new RecorderError('BAD_REQUEST', `at most ${MAX_ACCOUNTS} accounts`);
      checkPassword(input.password);
      const now = this.now();
      const account: Account = {
        username: input.username, role: input.role, passwordHash: await hashPassword(input.password),
        subnet: subnetOf(input.subnetLimit ?? false, input.subnet ?? null), enabled: true, createdAt: now,
        expiresAt: expiryOf(input.role, input.validHours, null, now), mustChangePassword: input.mustChangePassword ?? false,
        lastLoginIp: null, lastLoginAt: null,
      };
      return this.view(await this.change((d) => ({ ...d, accounts: [...d.accounts, account] }), account));
    });
  }

  async update(principal: Principal, username: string, patch: AccountPatch): Promise<AccountView> {
    const fields = { item: 'account', operation: 'set', parameter: username, detail: describe(patch), requires: 'accounts' } as const;
    return this.audit.run(principal, fields, async () => {
      const was = this.existing(username);
      if (patch.password !== undefined) checkPassword(patch.password);
      const role = patch.role ?? was.role;
      const subnetLimit = patch.subnetLimit ?? was.subnet !== null;
      const next: Account = {
        ...was,
        role,
        enabled: patch.enabled ?? was.enabled,
        subnet: subnetOf(subnetLimit, patch.subnet !== undefined ? patch.subnet : was.subnet),
        expiresAt: expiryOf(role, patch.validHours, role === was.role ? was.expiresAt : null, this.now()),
        mustChangePassword: patch.mustChangePassword ?? (patch.password !== undefined && isOther(principal, username) ? true : was.mustChangePassword),
        passwordHash: patch.password !== undefined ? await hashPassword(patch.password) : was.passwordHash,
      };
      if (!next.enabled && !isOther(principal, username)) throw new RecorderError('BAD_REQUEST', 'an account cannot disable itself');
      const saved = await this.change((d) => ({ ...d, accounts: d.accounts.map((a) => (a.username === username ? next : a)) }), next);
      if (!saved.enabled) this.auth.endSessionsOf(username, 'account disabled');
      else if (patch.password !== undefined && isOther(principal, username)) this.auth.endSessionsOf(username, 'password set by an administrator');
      return this.view(saved);
    });
  }

  async remove(principal: Principal, username: string): Promise<void> {
    await this.audit.run(principal, { item: 'account', operation: 'delete', parameter: username, requires: 'accounts' }, async () => {
      this.existing(username);
      if (!isOther(principal, username)) throw new RecorderError('BAD_REQUEST', 'an account cannot delete itself');
      await this.change((d) => ({ ...d, accounts: d.accounts.filter((a) => a.username !== username) }), null);
      this.auth.endSessionsOf(username, 'account deleted');
    });
  }

  private existing(username: string): Account {
    const a = this.store.find(username);
    if (!a) throw new RecorderError('account_not_found', `no account ${username}`);
    return a;
  }

  /** Saves a change that leaves an enabled administrator. */
  private change<T>(next: (d: AccountsFile) => AccountsFile, value: T): Promise<T> {
    return this.store.update((d) => {
      const after = next(d);
      if (!after.accounts.some((a) => a.role === 'admin' && a.enabled)) throw new RecorderError('last_admin');
      return { next: after, value };
    });
  }

  private view(a: Account): AccountView {
    return {
      username: a.username, role: a.role, subnetLimit: a.subnet !== null, subnet: a.subnet, enabled: a.enabled,
      createdAt: a.createdAt, expiresAt: a.expiresAt, mustChangePassword: a.mustChangePassword,
      signedIn: this.auth.isSignedIn(a.username), lastLoginIp: a.lastLoginIp, lastLoginAt: a.lastLoginAt,
    };
  }
}

const isOther = (principal: Principal, username: string) => principal.kind !== 'user' || principal.account !== username;

function checkPassword(password: string): void {
  const weak = passwordWeakness(password);
  if (weak) throw new RecorderError('weak_password', weak);
}

function subnetOf(limit: boolean, subnet: string | null): string | null {
  if (!limit) return null;
  if (!subnet) throw new RecorderError('BAD_REQUEST', 'a subnet limit needs its subnet, such as 192.168.1.0/24');
  return subnet;
}

/** A temporary account's end: `validHours` from now when given, else the one it had; other levels have none. */
function expiryOf(role: Role, validHours: number | undefined, had: number | null, now: number): number | null {
  if (role !== 'temporary') return null;
  if (validHours !== undefined) return now + validHours * HOUR_MS;
  if (had !== null) return had;
  throw new RecorderError('BAD_REQUEST', 'a temporary account needs validHours');
}

function describe(patch: AccountPatch): string {
  const { password, ...rest } = patch;
  return JSON.stringify(password === undefined ? rest : { ...rest, password: '(set)' });
}
