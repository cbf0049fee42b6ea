import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSet } from '../../firmware/console/commands/ip.ts';
import { UsageError } from '../../firmware/console/console-command.ts';
import { FACTORY_NETWORK, type NetworkSettings } from '../../firmware/app/vocabulary.ts';

const current: NetworkSettings = structuredClone(FACTORY_NETWORK) as NetworkSettings;

test('an address with its prefix, gateway and DNS; other addresses kept', () => {
  const next = parseSet(current, ['192.168.1.20/24', 'gateway', '192.168.1.1', 'dns', '192.168.1.1,8.8.8.8']);
  assert.equal({ ...next, extra: undefined }, { ...current, extra: undefined, mode: 'static', address: '192.168.1.20', netmask: '255.255.255.0', gateway: '192.168.1.1', dns: ['192.168.1.1', '8.8.8.8'] });
  assert.equal(next.extra, current.extra);
});

test('netmask spelled out; gateway and dns "none" clear them', () => {
  const next = parseSet(current, ['10.0.0.5', 'netmask', '255.255.0.0', 'gateway', 'none', 'dns', 'none']);
  assert.is(next.netmask, '255.255.0.0');
  assert.is(next.gateway, '');
  assert.equal(next.dns, []);
});

test('dhcp and factory', () => {
  assert.is(parseSet(current, ['dhcp']).mode, 'dhcp');
  const f = parseSet({ ...current, address: '10.0.0.5' }, ['factory']);
  assert.is(f.address, '192.168.123.100');
  assert.is(f.netmask, '255.255.255.0');
});

test('wrong forms are usage errors, not guesses; the address itself is the service\'s to check', () => {
  assert.throws(() => parseSet(current, []), (e: unknown) => e instanceof UsageError);
  assert.throws(() => parseSet(current, ['192.168.1.20/33']), (e: unknown) => e instanceof UsageError);
  assert.throws(() => parseSet(current, ['192.168.1.20/24', 'gateway']), (e: unknown) => e instanceof UsageError);
  assert.throws(() => parseSet(current, ['192.168.1.20/24', 'via', '1.2.3.4']), (e: unknown) => e instanceof UsageError);
  assert.throws(() => parseSet({ ...current, mode: 'dhcp' }, ['192.168.1.20']), (e: unknown) => e instanceof UsageError, 'from DHCP the netmask must be given');
  assert.is(parseSet(current, ['999.1.1.1/24']).address, '999.1.1.1');
});

test.run();
