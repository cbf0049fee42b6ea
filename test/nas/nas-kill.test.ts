/**
 * The box is killed (SIGKILL) in the middle of a backup to a real FTP server
 * (vsftpd on 127.0.0.1) and started again: the persisted queue finishes,
 * every recording is there exactly once with its bytes, no partial upload
 * is left, and the run counts each recording once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { killTree, startDaemonProcess, startSimulator, waitFor, type DaemonProcess } from '../support/processes.ts';
import { signIn } from '../support/api-client.ts';
import { filesUnder, startVsftpd, type NasServer } from '../support/nas-servers.ts';
import { tempDir } from '../support/temp-dir.ts';

const children: ChildProcess[] = [];
let ftp: NasServer | undefined;

test.after(async () => {
  for (const c of children) killTree(c, 'SIGKILL');
  await ftp?.dispose();
});

test('a backup cut by SIGKILL finishes after the restart with every file there once', async () => {
  ftp = await startVsftpd(false);
  const work = tempDir('nas-kill-');
  const lines = [0, 1, 2, 3].map((channel) => ({ channel, timeline: [{ t: 0, state: 'onhook' }, { t: 30 + channel, state: 'offhook' }, { t: 36 + channel, state: 'onhook' }] }));
  fs.writeFileSync(path.join(work, 'scenario.json'), JSON.stringify({ board: 'sim', lines }));
  children.push(startSimulator(work, ['--scenario', path.join(work, 'scenario.json')]));
  await waitFor('the pseudo-terminal pair', () => fs.existsSync(path.join(work, 'var/linecard-host.pty')));
  let daemon: DaemonProcess = await startDaemonProcess(work, 'sim', 90_000);
  children.push(daemon.child);
  let api = await signIn(`http://127.0.0.1:${daemon.port}`);
  const records = await waitFor('four recordings', async () => {
    const r = (await api.json('/api/v1/records?limit=10')).body;
    return r.total === 4 ? r.items : null;
  }, 150_000, 1000);
  // About 5 s per file: the kill lands in the middle.
  assert.is((await api.json('/api/v1/nas', { method: 'PATCH', body: { bandwidthKBps: 10 } })).status, 200);
  const target = { enabled: true, protocol: 'ftp', host: '127.0.0.1', port: ftp.port, account: ftp.account, password: ftp.password, directory: 'kill' };
  assert.is((await api.json('/api/v1/nas/targets/0', { method: 'PATCH', body: target })).status, 200);
  const run = await api.json('/api/v1/nas/targets/0/backup', { method: 'POST', body: { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() } });
  assert.is(run.body.total, 4);
  await waitFor('the first file copied', async () => {
    const st = (await api.json('/api/v1/nas/status')).body.items[0];
    return st.run && st.run.done >= 1 ? true : null;
  }, 60_000, 100);
  const st = (await api.json('/api/v1/nas/status')).body.items[0];
  assert.ok(st.run.done < 4, `killed in the middle: ${JSON.stringify(st.run)}`);
  daemon.child.kill('SIGKILL');
  await new Promise((r) => daemon.child.once('exit', r));

  daemon = await startDaemonProcess(work, 'sim', 90_000);
  children.push(daemon.child);
  api = await signIn(`http://127.0.0.1:${daemon.port}`);
  const done = await waitFor('the queue finished after the restart', async () => {
    const runs = (await api.json('/api/v1/nas/runs')).body.items;
    return runs[0]?.state === 'done' ? runs[0] : null;
  }, 120_000, 500);
  assert.is(done.done, 4, JSON.stringify(done));
  const files = filesUnder(path.join(ftp.root, 'kill'));
  assert.not.ok([...files.keys()].some((k) => k.endsWith('.part')), 'no partial upload left');
  for (const r of records) {
    const hits = [...files.keys()].filter((k) => path.basename(k) === path.basename(r.file));
    assert.is(hits.length, 1, `${r.file} there once`);
    assert.ok(files.get(hits[0]!)!.equals(fs.readFileSync(path.join(work, 'var/data', r.file))), `${r.file}: the same bytes`);
  }
});

test.run();
