/**
 * Account management on the services: administrators only; the box keeps an
 * enabled administrator; nobody deletes or disables themselves; changes
 * reach live sessions; the accounts survive a reopen, and a damaged file
 * falls back to the last good copy.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { isRecorderError } from '../../firmware/errors.ts';
import { SYSTEM, userPrincipal } from '../../firmware/app/principal.ts';
import { AccountStore } from '../../firmware/accounts/account-store.ts';
import { authFixture, LAN, withAccounts, type AuthFixture } from './helpers.ts';

const PW = 'Passw0rd-x';
const ADMIN = userPrincipal('admin', LAN, 'admin');

async function rejects(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(isRecorderError(e), String(e));
    assert.is(e.code, code, e.message);
    return;
  }
  assert.unreachable(`expected ${code}`);
}

let f: AuthFixture;
test.before.each(async () => {
  f = await authFixture();
  await withAccounts(f);
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), multiUser: true });
});
test.after.each(async () => {
  await f.close();
});

test('only an administrator lists, creates, changes and deletes accounts', async () => {
  for (const role of ['super', 'user', 'temporary'] as const) {
    const p = userPrincipal(role, LAN, role);
    await rejects(() => f.accounts.list(p), 'forbidden');
    await rejects(f.accounts.create(p, { username: 'x', password: PW, role: 'user' }), 'forbidden');
    await rejects(f.accounts.update(p, 'user', { role: 'super' }), 'forbidden');
    await rejects(f.accounts.remove(p, 'user'), 'forbidden');
    await rejects(f.auth.updateAccess(p, f.auth.access()), 'forbidden');
  }
  const names = f.accounts.list(ADMIN).map((a) => a.username);
  assert.equal(names, ['admin', 'super', 'user', 'temp']);
  const refused = (await f.logged('add')).filter((l) => l.code === 'forbidden');
  assert.is(refused.length, 3, 'refusals are logged');
});

test('the last enabled administrator stays, and nobody deletes or disables themselves', async () => {
  await rejects(f.accounts.update(SYSTEM, 'admin', { role: 'super' }), 'last_admin');
  await rejects(f.accounts.update(SYSTEM, 'admin', { enabled: false }), 'last_admin');
  await rejects(f.accounts.remove(SYSTEM, 'admin'), 'last_admin');
  await rejects(f.accounts.remove(ADMIN, 'admin'), 'BAD_REQUEST');
  await f.accounts.create(ADMIN, { username: 'boss', password: PW, role: 'admin' });
  await rejects(f.accounts.remove(ADMIN, 'admin'), 'BAD_REQUEST');
  await f.accounts.remove(userPrincipal('boss', LAN, 'admin'), 'admin');
  assert.equal(f.accounts.list(SYSTEM).map((a) => a.username), ['super', 'user', 'temp', 'boss']);
  await rejects(f.accounts.create(ADMIN, { username: 'boss', password: PW, role: 'user' }), 'account_exists');
  await rejects(f.accounts.create(ADMIN, { username: 'weak', password: 'abc', role: 'user' }), 'weak_password');
  await rejects(f.accounts.update(ADMIN, 'ghost', { enabled: false }), 'account_not_found');
  await rejects(f.accounts.create(ADMIN, { username: 't2', password: PW, role: 'temporary' }), 'BAD_REQUEST');
});

test('a changed level applies at the next request; disabling or deleting signs the account out', async () => {
  const s = await f.auth.login({ username: 'user', password: PW, ip: LAN });
  assert.is(f.auth.resolveSession(s.token, LAN)!.role, 'user');
  await f.accounts.update(ADMIN, 'user', { role: 'super' });
  assert.is(f.auth.resolveSession(s.token, LAN)!.principal.role, 'super');
  assert.ok(f.accounts.list(ADMIN).find((a) => a.username === 'user')!.signedIn);
  await f.accounts.update(ADMIN, 'user', { enabled: false });
  assert.is(f.auth.resolveSession(s.token, LAN), undefined);
  await rejects(f.auth.login({ username: 'user', password: PW, ip: LAN }), 'account_disabled');
  await f.accounts.update(ADMIN, 'user', { enabled: true, password: 'Reset-pass-9' });
  const again = await f.auth.login({ username: 'user', password: 'Reset-pass-9', ip: LAN });
  assert.ok(again.mustChangePassword, 'a password an administrator set must be changed');
  await f.accounts.remove(ADMIN, 'user');
  assert.is(f.auth.resolveSession(again.token, LAN), undefined);
  const log = await f.logged('logout');
  assert.ok(log.some((l) => l.detail === 'account disabled'));
  assert.ok(log.some((l) => l.detail === 'account deleted'));
});

test('accounts and access settings survive a reopen; a damaged file falls back to the last good copy', async () => {
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), idleLogoutMinutes: 12 });
  let store = await AccountStore.open(f.dir, 0);
  assert.equal(store.accounts.map((a) => a.username), ['admin', 'super', 'user', 'temp']);
  assert.is(store.access.idleLogoutMinutes, 12);
  assert.is(store.loadReport.source, 'file');
  fs.writeFileSync(path.join(f.dir, 'accounts.json'), '{"version":1,"accounts":[{"user');
  store = await AccountStore.open(f.dir, 0);
  assert.is(store.loadReport.source, 'last-good');
  assert.ok(store.loadReport.problem);
  assert.ok(store.find('temp'), 'the copy before the last change has the accounts');
  assert.ok(fs.existsSync(path.join(f.dir, 'accounts.json.damaged')));
});

test.run();
