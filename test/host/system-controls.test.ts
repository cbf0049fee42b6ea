/**
 * The box's system controls on a sandbox root, without touching this
 * machine: ifupdown's command sequence and files (a shell that records the
 * commands instead of running ifup), init scripts run for real from the
 * sandbox, the watchdog device written and disarmed, the CPU counters.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Shell, ShellResult } from '../../firmware/host/host.ts';
import { IfupdownNetwork } from '../../firmware/host/linux/network-control.ts';
import { InitScriptDaemons } from '../../firmware/host/linux/init-daemons.ts';
import { LinuxWatchdog } from '../../firmware/host/linux/watchdog-device.ts';
import { LinuxShell } from '../../firmware/host/linux/shell.ts';
import { linuxCpu } from '../../firmware/host/linux/cpu-meter.ts';
import { parseChronycSources, parseChronycTracking } from '../../firmware/host/linux/chronyc-output.ts';

class RecordingShell implements Shell {
  readonly calls: string[] = [];
  constructor(private readonly answer: (command: string) => ShellResult = () => ({ code: 0, stdout: '', stderr: '' })) {}
  async run(command: string, args: readonly string[]): Promise<ShellResult> {
    this.calls.push([command, ...args].join(' '));
    return this.answer(command);
  }
}

const sandbox = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sysroot-'));

test('ifupdown: down on the file in force, the new files written, up on them', async () => {
  const root = sandbox();
  try {
    fs.mkdirSync(path.join(root, 'etc/network'), { recursive: true });
    fs.writeFileSync(path.join(root, 'etc/network/interfaces'), 'old\n');
    const seen: string[] = [];
    const shell = new RecordingShell((cmd) => {
      seen.push(`${cmd}:${fs.readFileSync(path.join(root, 'etc/network/interfaces'), 'utf8').trim()}`);
      return { code: 0, stdout: '', stderr: '' };
    });
    const net = new IfupdownNetwork(root, shell);
    await net.apply({ interfaces: 'new\n', resolv: 'nameserver 1.1.1.1\n' });
    const file = path.join(root, 'etc/network/interfaces');
    assert.equal(shell.calls, [`ifdown -a -f -i ${file}`, `ifup -a -f -i ${file}`]);
    assert.equal(seen, ['ifdown:old', 'ifup:new']);
    assert.equal(await net.read(), { interfaces: 'new\n', resolv: 'nameserver 1.1.1.1\n' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('ifupdown: a failing ifup rejects with its message; a failing ifdown writes nothing', async () => {
  const root = sandbox();
  try {
    const failUp = new IfupdownNetwork(root, new RecordingShell((cmd) => (cmd === 'ifup' ? { code: 1, stdout: '', stderr: 'ip: RTNETLINK answers: File exists\n' } : { code: 0, stdout: '', stderr: '' })));
    await failUp.apply({ interfaces: 'a\n', resolv: null }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /^ifup: ip: RTNETLINK answers: File exists$/));
    const failDown = new IfupdownNetwork(root, new RecordingShell((cmd) => (cmd === 'ifdown' ? { code: 1, stdout: '', stderr: 'busy' } : { code: 0, stdout: '', stderr: '' })));
    await failDown.apply({ interfaces: 'b\n', resolv: null }).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /ifdown: busy/));
    assert.is(fs.readFileSync(path.join(root, 'etc/network/interfaces'), 'utf8'), 'a\n', 'unchanged by the refused change');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('SSH and FTP through their init scripts under the root', async () => {
  const root = sandbox();
  try {
    fs.mkdirSync(path.join(root, 'etc/init.d'), { recursive: true });
    const script = (name: string, body: string) => fs.writeFileSync(path.join(root, 'etc/init.d', name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    script('S50dropbear', `echo "$1" >> "${root}/dropbear.log"`);
    script('S51ftpd', 'echo "tcpsvd: bind: Address in use" >&2; exit 1');
    const daemons = new InitScriptDaemons(root, new LinuxShell());
    await daemons.set('ssh', false);
    await daemons.set('ssh', true);
    assert.is(fs.readFileSync(path.join(root, 'dropbear.log'), 'utf8'), 'stop\nstart\n');
    await daemons.set('ftp', true).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /ftp start: tcpsvd: bind: Address in use/));
    fs.rmSync(path.join(root, 'etc/init.d/S51ftpd'));
    await daemons.set('ftp', false).then(() => assert.unreachable(), (e: Error) => assert.match(e.message, /is not installed/));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the watchdog device: the image feeder stopped first, fed, disarmed with V', async () => {
  const root = sandbox();
  try {
    fs.mkdirSync(path.join(root, 'etc/init.d'), { recursive: true });
    fs.mkdirSync(path.join(root, 'dev'));
    fs.writeFileSync(path.join(root, 'etc/init.d/S15watchdog'), `#!/bin/sh\necho "$1" > "${root}/feeder"\n`, { mode: 0o755 });
    const handle = await new LinuxWatchdog(root, new LinuxShell()).open();
    assert.is(fs.readFileSync(path.join(root, 'feeder'), 'utf8'), 'stop\n');
    await handle.feed();
    await handle.feed();
    await handle.close();
    await handle.feed();
    assert.is(fs.readFileSync(path.join(root, 'dev/watchdog'), 'utf8'), 'kkV');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('CPU counters grow', async () => {
  const a = linuxCpu.times();
  let x = 0;
  for (let i = 0; i < 2e6; i++) x += i;
  await new Promise((r) => setTimeout(r, 50 + (x % 2)));
  const b = linuxCpu.times();
  assert.ok(b.totalMs > a.totalMs && b.busyMs >= a.busyMs && b.busyMs <= b.totalMs);
});

test('chronyc output of a synchronised and an unsynchronised chronyd', () => {
  const synced = parseChronycTracking('7F000001,127.0.0.1,9,1764698840.123,0.000012000,-0.000003000,0.000010000,-1.234,0.001,0.050,0.000100000,0.000200000,16.2,Normal\n');
  assert.equal(synced, { synchronised: true, server: '127.0.0.1', stratum: 9, offsetS: 0.000012, updateIntervalS: 16.2 });
  const none = parseChronycTracking('00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000,1.000000000,1.000000000,0.0,Not synchronised\n');
  assert.is(none.synchronised, false);
  assert.is(none.server, null);
  assert.equal(parseChronycSources('^,*,127.0.0.1,8,4,377,3,0.000001,0.000001,0.000020\n^,?,10.0.0.9,0,8,0,4294967295,0,0,0\n'), [
    { address: '127.0.0.1', state: '*', reachable: true },
    { address: '10.0.0.9', state: '?', reachable: false },
  ]);
});

test.run();
