/** IP settings (IP设置) checked field by field, and the ifupdown files written from them. */
import { test } from 'uvu';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/processes.ts';
import * as assert from 'uvu/assert';
import { FACTORY_NETWORK, networkProblems, renderInterfaces, renderResolv, type NetworkSettings } from '../../firmware/system/network-settings.ts';
import { posixZone, processZone, renderChronyConf, FACTORY_TIME, pollExponent, timeProblems, zoneOffsetMinutes } from '../../firmware/system/time-settings.ts';

const base = (): NetworkSettings => structuredClone(FACTORY_NETWORK) as NetworkSettings;
const problemsOf = (change: (s: NetworkSettings) => void) => {
  const s = base();
  change(s);
  return networkProblems(s).join('\n');
};

test('the factory settings are valid', () => {
  assert.equal(networkProblems(base()), []);
});

test('invalid addresses are refused with a message naming the field', () => {
  assert.match(problemsOf((s) => (s.address = '192.168.123.300')), /address \(IP地址\).*not an IPv4 address/);
  assert.match(problemsOf((s) => (s.address = '127.0.0.1')), /loopback/);
  assert.match(problemsOf((s) => (s.address = '224.0.0.1')), /multicast/);
  assert.match(problemsOf((s) => (s.address = '192.168.123.0')), /network address/);
  assert.match(problemsOf((s) => (s.address = '192.168.123.255')), /broadcast address/);
  assert.match(problemsOf((s) => (s.netmask = '255.0.255.0')), /netmask \(子网掩码\).*not a netmask/);
  assert.match(problemsOf((s) => (s.netmask = '255.255.255.254')), /no room for hosts/);
  assert.match(problemsOf((s) => (s.gateway = '10.0.0.1')), /gateway \(网关地址\).*not in the box's subnet/);
  assert.match(problemsOf((s) => (s.gateway = s.address)), /box's own address/);
  assert.match(problemsOf((s) => (s.dns = ['8.8.8'])), /dns \(DNS 1\)/);
});

test('further addresses: entry 0 stays on, none overlaps another subnet', () => {
  assert.match(problemsOf((s) => (s.extra[0]!.enabled = false)), /entry 0 cannot be turned off or deleted/);
  assert.match(problemsOf((s) => (s.extra[0]!.address = '')), /extra 0 .*\(empty\)/);
  assert.match(problemsOf((s) => (s.extra[1] = { enabled: true, address: '192.168.123.7', netmask: '255.255.255.0' })), /extra 1 .*overlaps address \(IP地址\)/);
  assert.match(problemsOf((s) => (s.extra[2] = { enabled: true, address: '192.168.100.100', netmask: '255.255.255.0' })), /already extra 0/);
  assert.equal(networkProblems({ ...base(), extra: [base().extra[0]!, { enabled: false, address: 'junk', netmask: '' }, base().extra[2]!] }), [], 'a disabled entry is not checked');
});

test('DHCP needs no address of its own; its further addresses are still checked', () => {
  assert.equal(networkProblems({ ...base(), mode: 'dhcp', address: '', netmask: '', gateway: '' }), []);
  assert.match(problemsOf((s) => ((s.mode = 'dhcp'), (s.extra[0]!.netmask = '1.2.3.4'))), /not a netmask/);
});

test('the interfaces file: the port, its gateway and the enabled further addresses as aliases', () => {
  const s = base();
  s.extra[2] = { enabled: true, address: '10.8.0.2', netmask: '255.255.0.0' };
  const text = renderInterfaces(s);
  assert.ok(text.includes('auto lo\niface lo inet loopback\n'));
  assert.ok(text.includes('auto eth0\niface eth0 inet static\n\taddress 192.168.123.100\n\tnetmask 255.255.255.0\n\tgateway 192.168.123.254\n'));
  assert.ok(text.includes('auto eth0:0\niface eth0:0 inet static\n\taddress 192.168.100.100\n\tnetmask 255.255.255.0\n'));
  assert.ok(text.includes('auto eth0:2\niface eth0:2 inet static\n\taddress 10.8.0.2\n\tnetmask 255.255.0.0\n'));
  assert.not.ok(text.includes('eth0:1'));
  assert.is(renderResolv(s), '# Written by the recorder (IP设置).\nnameserver 192.168.123.254\n');
  const dhcp = renderInterfaces({ ...s, mode: 'dhcp' });
  assert.ok(dhcp.includes('iface eth0 inet dhcp\n'));
  assert.not.ok(dhcp.includes('gateway'));
  assert.is(renderResolv({ ...s, mode: 'dhcp' }), null, 'the DHCP client writes resolv.conf');
});

test('the image ships the factory settings as its interfaces file and chrony.conf', () => {
  const shipped = fs.readFileSync(path.join(ROOT, 'buildroot-overlay/board/common/rootfs-overlay/etc/network/interfaces'), 'utf8');
  assert.is(shipped, renderInterfaces(FACTORY_NETWORK));
  const chrony = fs.readFileSync(path.join(ROOT, 'buildroot-overlay/board/common/rootfs-overlay/etc/chrony.conf'), 'utf8');
  assert.is(chrony, renderChronyConf(FACTORY_TIME));
});

test('chrony.conf: both servers with their ports, polled near the sync period, stepping only at start-up', () => {
  const conf = renderChronyConf({ ...FACTORY_TIME, backupPort: 1123, syncPeriodS: 300 });
  assert.ok(conf.includes('server 108.61.223.189 port 123 iburst minpoll 8 maxpoll 8\n'));
  assert.ok(conf.includes('server 193.228.143.12 port 1123 iburst minpoll 8 maxpoll 8\n'));
  assert.ok(conf.includes('makestep 1.0 3\n'));
  assert.ok(conf.includes('rtcsync\n'));
  assert.not.ok(renderChronyConf({ ...FACTORY_TIME, backupServer: '' }).includes('193.228.143.12'));
  assert.is(pollExponent(16), 4);
  assert.is(pollExponent(86_400), 16);
});

test('time zones as the manual writes them, and their POSIX form', () => {
  assert.is(zoneOffsetMinutes('GMT+08:00'), 480);
  assert.is(zoneOffsetMinutes('GMT-03:30'), -210);
  assert.is(zoneOffsetMinutes('GMT+15:00'), null);
  assert.is(zoneOffsetMinutes('GMT-13:00'), null);
  assert.is(posixZone('GMT+08:00'), '<+0800>-08:00');
  assert.is(posixZone('GMT-03:30'), '<-0330>+03:30');
  assert.is(processZone('GMT+08:00'), 'Etc/GMT-8');
  assert.is(processZone('GMT-05:00'), 'Etc/GMT+5');
  assert.is(processZone('GMT+05:30'), '<+0530>-05:30');
  assert.match(timeProblems({ ...FACTORY_TIME, primaryServer: '' }).join(), /primaryServer.*required/);
  assert.match(timeProblems({ ...FACTORY_TIME, backupServer: FACTORY_TIME.primaryServer }).join(), /same as the primary/);
});

test.run();
