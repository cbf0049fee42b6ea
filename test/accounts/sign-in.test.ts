/**
 * Signing in and sessions, on the services with a clock the test moves:
 * the default account, back-off after failures, 账号抢登, multi-user
 * operation, subnet limits, the web access ranges, idle and absolute
 * sign-out, a temporary account expiring mid-session, password rules —
 * and every such event in the operation log.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { isRecorderError } from '../../firmware/errors.ts';
import { SYSTEM } from '../../firmware/app/principal.ts';
import { ABSOLUTE_LIFETIME_MS } from '../../firmware/accounts/session-table.ts';
import { authFixture, LAN, T0, withAccounts, type AuthFixture } from './helpers.ts';

const PW = 'Passw0rd-x';

async function rejects(p: Promise<unknown> | (() => unknown), code: string): Promise<any> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    assert.ok(isRecorderError(e), String(e));
    assert.is(e.code, code, e.message);
    return e;
  }
  assert.unreachable(`expected ${code}`);
}

let f: AuthFixture;
test.before.each(async () => {
  f = await authFixture();
});
test.after.each(async () => {
  await f.close();
});

test('a new box has admin/admin, which must change its password before anything else', async () => {
  const r = await f.auth.login({ username: 'admin', password: 'admin', ip: LAN });
  assert.is(r.role, 'admin');
  assert.ok(r.mustChangePassword);
  assert.is(f.auth.resolveSession(r.token, LAN)!.mustChangePassword, true);
  await rejects(f.auth.changePassword(r.token, LAN, 'admin', 'short1'), 'weak_password');
  await rejects(f.auth.changePassword(r.token, LAN, 'admin', 'lettersonly'), 'weak_password');
  await rejects(f.auth.changePassword(r.token, LAN, 'admin', '1234567890'), 'weak_password');
  await f.auth.changePassword(r.token, LAN, 'admin', PW);
  assert.is(f.auth.resolveSession(r.token, LAN)!.mustChangePassword, false);
  const stat = fs.statSync(path.join(f.dir, 'accounts.json'));
  assert.is(stat.mode & 0o777, 0o600);
  const text = fs.readFileSync(path.join(f.dir, 'accounts.json'), 'utf8');
  assert.not.ok(text.includes(PW), 'no password in the file');
  assert.match(text, /"passwordHash": "scrypt\$/);
});

test('failures lock the account at that address with a doubling wait, capped, and a success clears it', async () => {
  await withAccounts(f);
  const bad = () => f.auth.login({ username: 'super', password: 'wrong-1', ip: LAN });
  for (let i = 0; i < 4; i++) await rejects(bad(), 'bad_credentials');
  let e = await rejects(bad(), 'locked');
  assert.is(e.detail.retryAfterSeconds, 30);
  // Even the right password waits, and another address is not held up.
  await rejects(f.auth.login({ username: 'super', password: PW, ip: LAN }), 'locked');
  const other = await f.auth.login({ username: 'super', password: PW, ip: '192.168.1.21' });
  await f.auth.logout(other.token);
  f.clock.now += 30_000;
  e = await rejects(bad(), 'locked');
  assert.is(e.detail.retryAfterSeconds, 60);
  const waits: number[] = [];
  for (let i = 0; i < 6; i++) {
    f.clock.now += e.detail.retryAfterSeconds * 1000;
    e = await rejects(bad(), 'locked');
    waits.push(e.detail.retryAfterSeconds);
  }
  assert.equal(waits, [120, 240, 480, 900, 900, 900]);
  f.clock.now += 900_000;
  const ok = await f.auth.login({ username: 'super', password: PW, ip: LAN });
  await f.auth.logout(ok.token);
  for (let i = 0; i < 4; i++) await rejects(bad(), 'bad_credentials');
  const log = await f.logged('login');
  assert.ok(log.some((l) => l.account === 'super' && l.code === 'locked'));
  assert.ok(log.some((l) => l.account === 'super' && l.code === 'bad_credentials'));
  assert.ok(log.some((l) => l.account === 'super' && l.ok));
});

test('an unknown account fails like a wrong password', async () => {
  await rejects(f.auth.login({ username: 'nobody', password: 'x', ip: LAN }), 'bad_credentials');
});

test('账号抢登: a second sign-in of an account ends the first (replace) or is refused (refuse)', async () => {
  await withAccounts(f);
  const a = await f.auth.login({ username: 'super', password: PW, ip: LAN });
  const b = await f.auth.login({ username: 'super', password: PW, ip: '192.168.1.30' });
  assert.is(f.auth.resolveSession(a.token, LAN), undefined);
  assert.ok(f.auth.resolveSession(b.token, '192.168.1.30'));
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), loginConflict: 'refuse' });
  const e = await rejects(f.auth.login({ username: 'super', password: PW, ip: LAN }), 'account_in_use');
  assert.match(e.message, /192\.168\.1\.30/);
  assert.ok(f.auth.resolveSession(b.token, '192.168.1.30'));
  const logouts = await f.logged('logout');
  assert.ok(logouts.some((l) => l.account === 'super' && /replaced by a sign-in from 192\.168\.1\.30/.test(l.detail)));
});

test('with multi-user operation off one account at a time is signed in; on, several', async () => {
  await withAccounts(f);
  const a = await f.auth.login({ username: 'super', password: PW, ip: LAN });
  const e = await rejects(f.auth.login({ username: 'user', password: PW, ip: '192.168.1.31' }), 'account_in_use');
  assert.match(e.message, /super/);
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), multiUser: true });
  const b = await f.auth.login({ username: 'user', password: PW, ip: '192.168.1.31' });
  assert.ok(f.auth.resolveSession(a.token, LAN));
  assert.ok(f.auth.resolveSession(b.token, '192.168.1.31'));
  // After the first signs out, the second is alone even with the switch off again.
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), multiUser: false });
  await f.auth.logout(a.token);
  const c = await f.auth.login({ username: 'user', password: PW, ip: '192.168.1.31' });
  assert.ok(f.auth.resolveSession(c.token, '192.168.1.31'));
});

test('网段限定: an account with a subnet signs in only from it (and from the box itself)', async () => {
  await withAccounts(f);
  await f.accounts.create(SYSTEM, { username: 'desk', password: PW, role: 'user', subnetLimit: true, subnet: '10.1.2.0/24' });
  await rejects(f.auth.login({ username: 'desk', password: PW, ip: LAN }), 'address_not_allowed');
  const ok = await f.auth.login({ username: 'desk', password: PW, ip: '::ffff:10.1.2.77' });
  await f.auth.logout(ok.token);
  const local = await f.auth.login({ username: 'desk', password: PW, ip: '127.0.0.1' });
  await f.auth.logout(local.token);
  await rejects(f.accounts.create(SYSTEM, { username: 'x', password: PW, role: 'user', subnetLimit: true }), 'BAD_REQUEST');
});

test('the web access ranges let in only their addresses, never shut out loopback, and an empty or disabled list lets everyone in', async () => {
  await withAccounts(f);
  assert.ok(f.auth.addressAllowed('203.0.113.9'));
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), allowList: { enabled: true, ranges: [] } });
  assert.ok(f.auth.addressAllowed('203.0.113.9'));
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), allowList: { enabled: true, ranges: [{ from: '192.168.1.10', to: '192.168.1.40' }, { from: 'fd00::1', to: 'fd00::ff' }] } });
  assert.ok(f.auth.addressAllowed(LAN));
  assert.ok(f.auth.addressAllowed('::ffff:192.168.1.40'));
  assert.ok(f.auth.addressAllowed('fd00::20'));
  assert.not.ok(f.auth.addressAllowed('192.168.1.41'));
  assert.not.ok(f.auth.addressAllowed('fd00::100'));
  for (const local of ['127.0.0.1', '::1', '::ffff:127.0.0.1', 'console']) assert.ok(f.auth.addressAllowed(local), local);
  await rejects(f.auth.login({ username: 'super', password: PW, ip: '192.168.1.41' }), 'address_not_allowed');
  const s = await f.auth.login({ username: 'super', password: PW, ip: LAN });
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), allowList: { enabled: true, ranges: [{ from: '10.0.0.1', to: '10.0.0.9' }] } });
  assert.is(f.auth.resolveSession(s.token, LAN), undefined, 'a session from an address taken off the list stops working');
  await rejects(f.auth.updateAccess(SYSTEM, { ...f.auth.access(), allowList: { enabled: true, ranges: [{ from: '10.0.0.9', to: '10.0.0.1' }] } }), 'BAD_REQUEST');
  const nine = Array.from({ length: 9 }, (_, i) => ({ from: `10.0.${i}.1`, to: `10.0.${i}.9` }));
  await rejects(f.auth.updateAccess(SYSTEM, { ...f.auth.access(), allowList: { enabled: true, ranges: nine } }), 'BAD_REQUEST');
});

test('a session ends after the idle time without requests, at its lifetime, and is bound to its address', async () => {
  await withAccounts(f);
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), idleLogoutMinutes: 10, multiUser: true });
  const s = await f.auth.login({ username: 'super', password: PW, ip: LAN });
  assert.is(f.auth.resolveSession(s.token, '192.168.1.99'), undefined);
  f.clock.now += 9 * 60_000;
  assert.ok(f.auth.resolveSession(s.token, LAN), 'a request keeps it alive');
  f.clock.now += 9 * 60_000;
  assert.ok(f.auth.resolveSession(s.token, LAN));
  f.clock.now += 10 * 60_000;
  assert.is(f.auth.resolveSession(s.token, LAN), undefined);
  const logouts = await f.logged('logout');
  assert.ok(logouts.some((l) => l.account === 'super' && l.detail === 'idle'));
  const t = await f.auth.login({ username: 'super', password: PW, ip: LAN });
  for (let spent = 0; spent < ABSOLUTE_LIFETIME_MS - 5 * 60_000; spent += 5 * 60_000) {
    f.clock.now += 5 * 60_000;
    assert.ok(f.auth.resolveSession(t.token, LAN));
  }
  f.clock.now += 5 * 60_000;
  assert.is(f.auth.resolveSession(t.token, LAN), undefined);
});

test('a temporary account has super-user rights for its hours, then its session ends and it cannot sign in', async () => {
  await withAccounts(f);
  const s = await f.auth.login({ username: 'temp', password: PW, ip: LAN });
  assert.is(s.role, 'temporary');
  assert.is(s.expiresAt, T0 + 2 * 3600_000);
  await f.auth.updateAccess(SYSTEM, { ...f.auth.access(), idleLogoutMinutes: 255 });
  f.clock.now = s.expiresAt! - 1000;
  assert.ok(f.auth.resolveSession(s.token, LAN));
  f.clock.now += 1000;
  assert.is(f.auth.resolveSession(s.token, LAN), undefined);
  await rejects(f.auth.login({ username: 'temp', password: PW, ip: LAN }), 'account_expired');
  // Given more hours, it signs in again.
  await f.accounts.update(SYSTEM, 'temp', { validHours: 1 });
  const again = await f.auth.login({ username: 'temp', password: PW, ip: LAN });
  assert.is(again.expiresAt, f.clock.now + 3600_000);
});

test('changing a password needs the current one, keeps the session, and is logged without the password', async () => {
  await withAccounts(f);
  const a = await f.auth.login({ username: 'super', password: PW, ip: LAN, bearer: true });
  await rejects(f.auth.changePassword(a.token, LAN, 'wrong-pw-1', 'Newpass-22'), 'bad_credentials');
  await rejects(f.auth.changePassword(a.token, LAN, PW, PW), 'weak_password');
  await f.auth.changePassword(a.token, LAN, PW, 'Newpass-22');
  assert.ok(f.auth.resolveSession(a.token, LAN));
  await f.auth.logout(a.token);
  await rejects(f.auth.login({ username: 'super', password: PW, ip: LAN }), 'bad_credentials');
  const b = await f.auth.login({ username: 'super', password: 'Newpass-22', ip: LAN });
  assert.ok(b);
  const sets = await f.logged('set');
  assert.ok(sets.some((l) => l.parameter === 'password' && l.account === 'super' && l.ok));
  assert.not.ok(JSON.stringify(sets).includes('Newpass-22'));
});

test.run();
