/** The account services on a temporary configuration folder, with a clock the test moves. */
import path from 'node:path';
import { Journal } from '../../firmware/journal/journal.ts';
import { AccountStore } from '../../firmware/accounts/account-store.ts';
import { Auditor } from '../../firmware/app/audit.ts';
import { AuthService } from '../../firmware/app/auth-service.ts';
import { AccountService } from '../../firmware/app/account-service.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import * as assert from 'uvu/assert';
import { isRecorderError, type RecorderError } from '../../firmware/errors.ts';
import { tempDir } from '../support/temp-dir.ts';

export const T0 = Date.parse('2026-11-20T09:00:00+08:00');
export const LAN = '192.168.1.20';

export interface AuthFixture {
  dir: string;
  clock: { now: number };
  store: AccountStore;
  auth: AuthService;
  accounts: AccountService;
  journal: Journal;
  /** The operation log's entries of one operation, oldest first. */
  logged(operation: 'login' | 'logout' | 'set' | 'add' | 'delete'): Promise<Array<{ account: string | null; ok: boolean; code: string | null; detail: string; parameter: string | null }>>;
  close(): Promise<void>;
}

/** `clock.now` is the services' time; `base` (when given) is a clock it runs ahead of by `clock.now - T0`. */
export async function authFixture(dir = tempDir('accounts-'), base?: () => number): Promise<AuthFixture> {
  const clock = { now: T0 };
  const now = base ? () => base() + clock.now - T0 : () => clock.now;
  const journal = await Journal.open(path.join(dir, 'journal'), { now });
  const audit = new Auditor(journal.operations, now, { error: () => undefined });
  const store = await AccountStore.open(dir, now());
  const auth = new AuthService(store, audit, now);
  const accounts = new AccountService(store, auth, audit, now);
  return {
    dir, clock, store, auth, accounts, journal,
    async logged(operation) {
      const page = await journal.operations.query({ operation, item: 'account', limit: 200 });
      return page.items.reverse().map((e) => ({
        account: e.principal.kind === 'user' ? e.principal.account : null, ok: e.result.ok, code: e.result.ok ? null : e.result.code, detail: e.detail, parameter: e.parameter,
      }));
    },
    close: () => journal.close(),
  };
}

/** Signs the default admin in, sets its password, and creates accounts of each level with `password`. */
export async function withAccounts(f: AuthFixture, password = 'Passw0rd-x'): Promise<void> {
  const first = await f.auth.login({ username: 'admin', password: 'admin', ip: LAN });
  await f.auth.changePassword(first.token, LAN, 'admin', password);
  await f.auth.logout(first.token);
  for (const role of ['super', 'user'] as const) await f.accounts.create(SYSTEM, { username: role, password, role });
  await f.accounts.create(SYSTEM, { username: 'temp', password, role: 'temporary', validHours: 2 });
}

/** Awaits `p` (or calls it) and checks it fails with the error `code`; returns the error. */
export async function rejects(p: Promise<unknown> | (() => unknown), code: string): Promise<RecorderError & { detail: any }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(isRecorderError(e), String(e));
    assert.is(e.code, code, e.message);
    return e as RecorderError & { detail: any };
  }
  return assert.unreachable(`expected ${code}`) as never;
}
