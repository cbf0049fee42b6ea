/**
 * The box's chrony control against real chronyd processes in a sandbox
 * (neither touches this machine's clock: `-x`): a second chronyd serves time
 * on 127.0.0.1, the box's configuration is written and chrony restarted
 * through an init script under the sandbox root, `chronyc` reports it
 * synchronised to that server, and NTP off stops it.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChronyTime } from '../../firmware/host/linux/chrony-time.ts';
import { LinuxShell } from '../../firmware/host/linux/shell.ts';
import { FACTORY_TIME, renderChronyConf } from '../../firmware/system/time-settings.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'chrony-root-'));
fs.chmodSync(root, 0o700);
const port = 20000 + Math.floor(Math.random() * 30000);
let server: ChildProcess | null = null;

/** The init script of the sandbox: chronyd without control of the clock, its files in the sandbox. */
function writeInitScript(): void {
  fs.mkdirSync(path.join(root, 'etc/init.d'), { recursive: true });
  fs.mkdirSync(path.join(root, 'run'), { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    path.join(root, 'run/wrap.conf'),
    [`include ${root}/etc/chrony.conf`, `driftfile ${root}/run/drift`, `pidfile ${root}/run/chronyd.pid`, `bindcmdaddress ${root}/run/chronyd.sock`, 'cmdport 0', 'port 0', ''].join('\n'),
  );
  const script = `#!/bin/sh
pid="${root}/run/chronyd.pid"
stop() { [ -r "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; for _ in $(seq 50); do [ -e "${root}/run/chronyd.sock" ] || break; sleep 0.1; done; rm -f "$pid"; }
case "$1" in
  stop) stop ;;
  restart)
    stop
    chronyd -x -U -u root -d -f "${root}/run/wrap.conf" >"${root}/run/chronyd.log" 2>&1 </dev/null &
    for _ in $(seq 50); do [ -S "${root}/run/chronyd.sock" ] && exit 0; sleep 0.1; done
    echo "chronyd did not start" >&2; exit 1 ;;
esac
`;
  fs.writeFileSync(path.join(root, 'etc/init.d/S49chronyd'), script, { mode: 0o755 });
}

test.before(() => {
  writeInitScript();
  const conf = path.join(root, 'run/server.conf');
  fs.writeFileSync(conf, [`port ${port}`, 'bindaddress 127.0.0.1', 'allow 127.0.0.1', 'local stratum 8', 'cmdport 0', `pidfile ${root}/run/server.pid`, ''].join('\n'));
  server = spawn('chronyd', ['-x', '-U', '-u', 'root', '-d', '-f', conf], { stdio: 'ignore' });
});

test.after(async () => {
  await new LinuxShell().run(path.join(root, 'etc/init.d/S49chronyd'), ['stop']);
  server?.kill();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the box follows the NTP server it is given; NTP off stops chrony', async () => {
  const time = new ChronyTime(root, new LinuxShell(), ['-h', path.join(root, 'run/chronyd.sock')]);
  await time.applyNtp(renderChronyConf({ ...FACTORY_TIME, primaryServer: '127.0.0.1', primaryPort: port, backupServer: '', syncPeriodS: 16 }));
  assert.ok(fs.readFileSync(path.join(root, 'etc/chrony.conf'), 'utf8').includes(`server 127.0.0.1 port ${port} iburst minpoll 4 maxpoll 4`));
  let status = await time.ntpStatus();
  assert.ok(status, 'chronyc answers');
  for (let i = 0; i < 60 && !status?.synchronised; i++) {
    await new Promise((r) => setTimeout(r, 500));
    status = await time.ntpStatus();
  }
  assert.ok(status!.synchronised, JSON.stringify(status));
  assert.is(status!.server, '127.0.0.1');
  assert.is(status!.stratum, 9);
  assert.equal(status!.sources.map((s) => [s.address, s.state, s.reachable]), [['127.0.0.1', '*', true]]);
  await time.applyNtp(null);
  assert.is(await time.ntpStatus(), null, 'stopped');
});

test.run();
