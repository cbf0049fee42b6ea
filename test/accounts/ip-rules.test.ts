/** Addresses, subnets and ranges as the sign-in rules read them, IPv4 and IPv6, and the back-off schedule. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inCidr, inRange, isLoopback, parseCidr, parseIp } from '../../firmware/accounts/ip-address.ts';
import { Lockout } from '../../firmware/accounts/lockout.ts';
import { passwordWeakness } from '../../firmware/accounts/password.ts';

const ip = (s: string) => parseIp(s)!;

test('addresses parse in every form a listener reports, and garbage does not', () => {
  assert.equal(ip('192.168.1.5'), { family: 4, value: 0xc0a80105n });
  assert.equal(ip('::ffff:192.168.1.5'), ip('192.168.1.5'));
  assert.equal(ip('::1'), { family: 6, value: 1n });
  assert.equal(ip('fe80::1%eth0'), ip('fe80::1'));
  assert.equal(ip('2001:db8::'), { family: 6, value: 0x20010db8n << 96n });
  assert.equal(ip('::192.0.2.1'), { family: 6, value: 0xc0000201n });
  for (const bad of ['', 'console', '256.1.1.1', '1.2.3', 'x::y', '1.2.3.4/24']) assert.is(parseIp(bad), null, bad);
});

test('subnets and ranges match their own family only', () => {
  assert.ok(inCidr(ip('10.1.2.77'), parseCidr('10.1.2.0/24')!));
  assert.not.ok(inCidr(ip('10.1.3.1'), parseCidr('10.1.2.0/24')!));
  assert.ok(inCidr(ip('10.200.0.1'), parseCidr('0.0.0.0/0')!));
  assert.ok(inCidr(ip('10.1.2.3'), parseCidr('10.1.2.3')!));
  assert.ok(inCidr(ip('fd00::abcd'), parseCidr('fd00::/64')!));
  assert.not.ok(inCidr(ip('10.1.2.3'), parseCidr('fd00::/64')!));
  for (const bad of ['10.1.2.0/33', 'fd00::/129', '10.1.2.0/x', '10/8/1', 'nonsense']) assert.is(parseCidr(bad), null, bad);
  assert.ok(inRange(ip('192.168.1.20'), ip('192.168.1.10'), ip('192.168.1.20')));
  assert.not.ok(inRange(ip('192.168.1.21'), ip('192.168.1.10'), ip('192.168.1.20')));
  assert.not.ok(inRange(ip('::ffff:1.2.3.4'), ip('fd00::'), ip('fd00::ff')));
  assert.ok(isLoopback(ip('127.8.9.10')) && isLoopback(ip('::1')) && isLoopback(ip('::ffff:127.0.0.1')));
  assert.not.ok(isLoopback(ip('128.0.0.1')));
});

test('the back-off waits 30 s after five failures, doubles, stops at 15 minutes, and forgets after a day', () => {
  const l = new Lockout();
  let t = 0;
  for (let i = 0; i < 4; i++) assert.equal(l.failed('a', 'x', t), { locked: false });
  const waits: number[] = [];
  for (let i = 0; i < 8; i++) {
    const o = l.failed('a', 'x', t);
    assert.ok(o.locked);
    waits.push((o.untilMs - t) / 1000);
    t = o.untilMs;
  }
  assert.equal(waits, [30, 60, 120, 240, 480, 900, 900, 900]);
  assert.is(l.waitMs('a', 'y', t), 0, 'another address is not held up');
  t += 25 * 3600_000;
  assert.equal(l.failed('a', 'x', t), { locked: false }, 'a day later the count starts again');
});

test('the password rule: 8 characters or more, with letters and digits', () => {
  for (const weak of ['', 'abc123', 'abcdefgh', '12345678', 'a'.repeat(200) + '1']) assert.ok(passwordWeakness(weak), weak);
  for (const good of ['abcdefg1', 'Passw0rd-x', '录音设备密码2026']) assert.is(passwordWeakness(good), null, good);
});

test.run();
