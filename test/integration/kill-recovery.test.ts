/**
 * A yanked power cord: the daemon is killed with SIGKILL in the middle of a
 * call on a real serial link (pseudo-terminal pair) and started again; the
 * call is then indexed with its audio up to the kill, less at most a second,
 * and the accounts (a changed password, a new account) are still there.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { encodePcmWav, decodeWav, parseWavHeader } from '../../firmware/audio/wav.ts';
import { speechLike } from '../../firmware/sim/signals.ts';
import { getJson, killTree, startDaemonProcess, startSimulator, waitFor, type DaemonProcess } from '../support/processes.ts';
import { locateWide } from '../support/audio-match.ts';
import { ADMIN_PASSWORD, signIn } from '../support/api-client.ts';

const children: ChildProcess[] = [];

/** Where the second of `samples` with the most energy starts (quarter-second steps). */
function loudestSecond(samples: Int16Array): number {
  let best = 0;
  let bestEnergy = -1;
  for (let start = 0; start + 8000 <= samples.length; start += 2000) {
    let e = 0;
    for (let i = start; i < start + 8000; i++) e += samples[i]! * samples[i]!;
    if (e > bestEnergy) [best, bestEnergy] = [start, e];
  }
  return best;
}

const works: string[] = [];

test.after(() => {
  for (const c of children) killTree(c, 'SIGKILL');
  for (const w of works) fs.rmSync(w, { recursive: true, force: true });
});

test('a call interrupted by SIGKILL is recovered at the next start with its audio', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kill-'));
  works.push(work);
  const speech = speechLike(120, 7);
  fs.writeFileSync(path.join(work, 'line0.wav'), encodePcmWav(speech));
  fs.writeFileSync(
    path.join(work, 'scenario.json'),
    JSON.stringify({ board: 'sim', lines: [{ channel: 0, audio: 'line0.wav', timeline: [{ t: 0, state: 'onhook' }, { t: 1, state: 'offhook' }] }] }),
  );
  const sim = startSimulator(work, ['--scenario', path.join(work, 'scenario.json')]);
  children.push(sim);
  await waitFor('the pseudo-terminal pair', () => fs.existsSync(path.join(work, 'var/linecard-host.pty')));

  let daemon: DaemonProcess = await startDaemonProcess(work);
  children.push(daemon.child);
  const admin = await signIn(`http://127.0.0.1:${daemon.port}`);
  const created = await admin.json('/api/v1/accounts', { method: 'POST', body: { username: 'keeper', password: 'Keeper-pass-1', role: 'super' } });
  assert.is(created.status, 201);
  const recordingSince = await waitFor('channel 0 to record', async () => {
    const ch = (await getJson(daemon.url('/api/v1/channels'))).items[0];
    return ch.recording ? Date.parse(ch.recordingSince) : null;
  });
  // What the daemon had recorded when last asked, just before the kill: on a busy machine the
  // line's audio reaches the daemon later than the wall clock says, so this is the lower bound.
  const seenS: number = await waitFor('six seconds of recording', async () => {
    const ch = (await getJson(daemon.url('/api/v1/channels'))).items[0];
    return ch.recordingS >= 6 ? ch.recordingS : null;
  });
  const killedAt = Date.now();
  daemon.child.kill('SIGKILL');
  await new Promise((r) => daemon.child.once('exit', r));
  const expectedS = (killedAt - recordingSince) / 1000;

  daemon = await startDaemonProcess(work);
  children.push(daemon.child);
  const rec = await waitFor('the recovered recording', async () => {
    const body = await getJson(daemon.url('/api/v1/records'));
    return body.items.find((r: any) => r.stopMode === 'power-loss') ?? null;
  });
  assert.is(rec.channel, 0);
  assert.is(rec.callType, 'outgoing');
  // Accounts outlive the kill: the administrator's own password, and the account made before it.
  const origin = `http://127.0.0.1:${daemon.port}`;
  const login = await fetch(`${origin}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  assert.is(login.status, 401, 'the default password is gone for good');
  const again = await signIn(origin, 'admin', ADMIN_PASSWORD);
  assert.is((await again.json('/api/v1/me')).body.account.mustChangePassword, false);
  await again.json('/api/v1/logout', { method: 'POST' }); // one account at a time by default
  const keeper = await signIn(origin, 'keeper', 'Keeper-pass-1');
  assert.is((await keeper.json('/api/v1/me')).body.account.role, 'super');
  await keeper.json('/api/v1/logout', { method: 'POST' });
  assert.ok(rec.durationS >= seenS - 1, `recovered ${rec.durationS} s of a call recording ${seenS} s when last asked before the kill`);
  assert.ok(rec.durationS <= expectedS + 0.5, `recovered ${rec.durationS} s of a ${expectedS.toFixed(1)} s call`);

  const file = fs.readFileSync(path.join(work, 'var/data', rec.file));
  assert.not.ok(parseWavHeader(file, file.length).sizesStale, 'the WAV header was repaired');
  const wav = decodeWav(file);
  // The call's audio, not just its length: a second of the recording found in what the line
  // carried. The line went off-hook 1 s into the scenario, which plays from when the simulator
  // starts; how far into it the recording begins depends on how long the daemon took to start,
  // and the speech has pauses: the loudest second of the recording is the one looked for.
  const match = locateWide(wav.samples, loudestSecond(wav.samples), 8000, speech, 0, 60 * 8000);
  assert.ok(match.correlation > 0.95, `correlation ${match.correlation.toFixed(3)}`);

  // The operation log tells what start-up found.
  const log = await getJson(daemon.url('/api/v1/operations?kind=system&operation=recover'));
  assert.is(log.total, 1);
  assert.match(log.items[0].detail, /1 recordings closed and indexed/);
  assert.is(log.items[0].by, 'system');

  // The call is still going on the line: the restarted daemon records it again.
  await waitFor('recording to resume after the restart', async () => {
    const ch = (await getJson(daemon.url('/api/v1/channels'))).items[0];
    return ch.recording ? true : null;
  });
  killTree(daemon.child, 'SIGTERM');
  killTree(sim, 'SIGTERM');
});

test.run();
