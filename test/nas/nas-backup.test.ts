/**
 * NAS backup against real servers on 127.0.0.1 (Samba's smbd, vsftpd with
 * FTP and FTPS): recordings of the simulated box arrive on each with
 * matching content and their metadata, laid out by date and channel; the
 * password is never shown; the daily archive backs up what it archived
 * (the earlier copy replaced); wrong credentials raise the alarm and keep
 * the queue; a server stopped in the middle of a backup and started again
 * ends with every file there exactly once.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { speechLike } from '../../firmware/sim/signals.ts';
import { startScenarioBox } from '../support/scenario-box.ts';
import type { SimBox } from '../support/sim-box.ts';
import { authedFetch } from '../support/api-client.ts';
import { filesUnder, startSamba, startVsftpd, type NasServer } from '../support/nas-servers.ts';

const servers: NasServer[] = [];
const boxes: SimBox[] = [];

test.after(async () => {
  for (const b of boxes) await b.stop().catch(() => undefined);
  for (const s of servers) await s.dispose().catch(() => undefined);
});

/** A box with `calls` recorded calls of about 8 s on lines 0..3. */
async function boxWithCalls(calls: number): Promise<SimBox> {
  const lines = Array.from({ length: Math.min(4, calls) }, (_, ch) => {
    const timeline: Array<{ t: number; state: string }> = [{ t: 0, state: 'onhook' }];
    for (let k = ch; k < calls; k += 4) {
      const at = 1 + Math.floor(k / 4) * 12;
      timeline.push({ t: at, state: 'offhook' }, { t: at + 8, state: 'onhook' });
    }
    return { channel: ch, audio: [[0, speechLike(Math.ceil(calls / 4) * 12 + 4, 11 + ch)] as [number, Int16Array]], timeline };
  });
  const box = await startScenarioBox(Math.ceil(calls / 4) * 12 + 6, lines);
  boxes.push(box);
  await box.run((Math.ceil(calls / 4) * 12 + 4) * 1000);
  return box;
}

/** The box's API as its administrator (one session for the whole test, as the box allows one at a time). */
function adminOf(box: SimBox) {
  return {
    async json(pathname: string, init: { method?: string; body?: unknown } = {}) {
      const res = await authedFetch(`http://127.0.0.1:${box.port}${pathname}`, {
        method: init.method ?? 'GET',
        ...(init.body !== undefined ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}

function targetOf(s: NasServer, directory: string) {
  return { enabled: true, protocol: s.kind, host: '127.0.0.1', port: s.port, share: s.share, account: s.account, password: s.password, directory };
}

/** Runs the box's clock until the target's queue is empty and its run has ended. */
async function untilBackedUp(box: SimBox, slot: number, what: string, limitS = 240): Promise<any> {
  const end = Date.now() + limitS * 1000;
  for (;;) {
    await box.run(200);
    const st = (await box.api('/api/v1/nas/status')).body.items[slot];
    if (st.queued === 0 && st.state === 'idle' && st.link === 'disconnected') return st;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(st)}`);
  }
}

function assertCopies(box: SimBox, server: NasServer, directory: string, records: any[]): void {
  const files = filesUnder(path.join(server.root, directory));
  for (const r of records) {
    const name = path.basename(r.file);
    const hits = [...files.keys()].filter((k) => path.basename(k) === name);
    assert.is(hits.length, 1, `${server.kind}: ${name} there once (${[...files.keys()].join(' ')})`);
    const rel = hits[0]!;
    assert.match(rel, new RegExp(`^SIM-0000000001/\\d{4}/\\d{2}/\\d{2}/ch0${r.channel}/${name.replace('.', '\\.')}$`), `${server.kind}: laid out by date and channel: ${rel}`);
    assert.ok(files.get(rel)!.equals(fs.readFileSync(path.join(box.dataDir, r.file))), `${server.kind}: ${name} has the recording's bytes`);
    const meta = JSON.parse(files.get(rel.replace(/\.(wav|mp3)$/, '.json'))!.toString());
    assert.is(meta.record.id, r.id);
  }
  assert.not.ok([...files.keys()].some((k) => k.endsWith('.part')), `${server.kind}: no partial upload left`);
}

test('recordings arrive on SMB, FTP and FTPS targets with matching content; the archive backs up what it archived', async () => {
  const [smb, ftp, ftps] = await Promise.all([startSamba(), startVsftpd(false), startVsftpd(true)]);
  servers.push(smb, ftp, ftps);
  const box = await boxWithCalls(4);
  const admin = adminOf(box);
  const records = (await box.api('/api/v1/records?limit=50')).body.items;
  assert.is(records.length, 4);

  const all = [smb, ftp, ftps];
  for (const [slot, s] of all.entries()) {
    const r = await admin.json(`/api/v1/nas/targets/${slot}`, { method: 'PATCH', body: targetOf(s, 'backup/rec') });
    assert.is(r.status, 200, JSON.stringify(r.body));
    assert.not.ok(JSON.stringify(r.body).includes(s.password), 'the password is never shown');
    assert.is(r.body.targets[slot].passwordSet, true);
  }
  const from = new Date(Date.parse(records[records.length - 1].startTime) - 1000).toISOString();
  const to = new Date(box.clock.now()).toISOString();
  for (const slot of [0, 1, 2]) {
    const run = await admin.json(`/api/v1/nas/targets/${slot}/backup`, { method: 'POST', body: { from, to } });
    assert.is(run.status, 202, JSON.stringify(run.body));
    assert.is(run.body.total, 4);
  }
  for (const slot of [0, 1, 2]) {
    const st = await untilBackedUp(box, slot, `target ${slot}`);
    assert.is(st.lastError, null);
    assert.ok(st.lastSyncAt, 'last sync time set');
  }
  for (const s of all) assertCopies(box, s, 'backup/rec', records);
  const runs = (await admin.json('/api/v1/nas/runs')).body.items;
  assert.ok(runs.filter((r: any) => r.kind === 'manual' && r.state === 'done' && r.done === 4).length === 3, JSON.stringify(runs));
  const ops = (await admin.json('/api/v1/operations?item=nas&limit=50')).body.items;
  assert.ok(ops.some((o: any) => o.operation === 'backup'), 'manual backups in the operation log');
  assert.ok(ops.some((o: any) => o.operation === 'set'), 'target changes in the operation log');
  assert.not.ok(JSON.stringify(ops).includes(smb.password), 'no password in the operation log');

  // The daily archive (transcoded to MP3 here): each target gets the archived file, and the earlier copy goes.
  assert.is((await admin.json('/api/v1/settings/recording', { method: 'PATCH', body: { archiveFormat: 'mp3' } })).status, 200);
  assert.is((await admin.json('/api/v1/storage/archive', { method: 'POST' })).status, 200);
  await box.run(500);
  const archived = (await box.api('/api/v1/records?limit=50')).body.items;
  assert.ok(archived.every((r: any) => r.store === 'history' && r.file.endsWith('.mp3')), 'archived');
  for (const end = Date.now() + 240_000; ; ) {
    await box.run(200);
    const auto = (await admin.json('/api/v1/nas/runs')).body.items.filter((r: any) => r.kind === 'auto');
    if (auto.length === 3 && auto.every((r: any) => r.state === 'done')) break;
    if (Date.now() > end) throw new Error(`automatic backups not done: ${JSON.stringify(auto)}`);
  }
  for (const s of all) assertCopies(box, s, 'backup/rec', archived);
  for (const s of all) assert.not.ok([...filesUnder(path.join(s.root, 'backup/rec')).keys()].some((k) => k.endsWith('.wav')), `${s.kind}: earlier WAV copies removed`);
  const auto = (await admin.json('/api/v1/nas/runs')).body.items.filter((r: any) => r.kind === 'auto');
  assert.is(auto.length, 3);
});

test('wrong credentials raise the alarm and keep the queue', async () => {
  const ftp = servers.find((s) => s.kind === 'ftp') ?? (await startVsftpd(false));
  if (!servers.includes(ftp)) servers.push(ftp);
  const smb = servers.find((s) => s.kind === 'smb')!;
  const box = boxes[0]!;
  const admin = adminOf(box);
  for (const [slot, s] of [[3, ftp], [0, smb]] as const) {
    assert.is((await admin.json(`/api/v1/nas/targets/${slot}`, { method: 'PATCH', body: { ...targetOf(s, 'wrong'), password: 'not-the-password' } })).status, 200);
    const run = await admin.json(`/api/v1/nas/targets/${slot}/backup`, { method: 'POST', body: { from: new Date(box.clock.now() - 30 * 86_400_000).toISOString(), to: new Date(box.clock.now()).toISOString() } });
    assert.is(run.status, 202);
    let st: any;
    for (const end = Date.now() + 60_000; Date.now() < end; ) {
      await box.run(100);
      st = (await box.api('/api/v1/nas/status')).body.items[slot];
      if (st.lastError) break;
    }
    assert.is(st.lastError?.kind, 'auth', JSON.stringify(st));
    assert.is(st.state, 'waiting');
    assert.is(st.queued, 4, 'the queue is kept for later');
    const alarms = (await box.api('/api/v1/alarms')).body.items;
    assert.ok(alarms.some((a: any) => a.id === `nas-${slot}`), `alarm nas-${slot}: ${JSON.stringify(alarms)}`);
    // Turned off: nothing is tried any more, the queue stays.
    assert.is((await admin.json(`/api/v1/nas/targets/${slot}`, { method: 'PATCH', body: { enabled: false } })).status, 200);
  }
});

test('a server stopped in the middle of a backup and started again ends with every file there exactly once', async () => {
  const smb = await startSamba();
  const ftp = await startVsftpd(false);
  servers.push(smb, ftp);
  const box = await boxWithCalls(8);
  const admin = adminOf(box);
  const records = (await box.api('/api/v1/records?limit=50')).body.items;
  assert.is(records.length, 8);
  // Slow enough (about 1 s of the box's clock per file) to stop the server in the middle.
  assert.is((await admin.json('/api/v1/nas', { method: 'PATCH', body: { bandwidthKBps: 64 } })).status, 200);
  // One target after the other, so that the other does not use the bandwidth meanwhile.
  for (const [slot, s] of [smb, ftp].entries()) {
    assert.is((await admin.json(`/api/v1/nas/targets/${slot}`, { method: 'PATCH', body: targetOf(s, 'drop') })).status, 200);
    await admin.json(`/api/v1/nas/targets/${slot}/backup`, { method: 'POST', body: { from: new Date(box.clock.now() - 30 * 86_400_000).toISOString(), to: new Date(box.clock.now()).toISOString() } });
    let st: any;
    for (let i = 0; i < 2000; i++) {
      await box.run(50);
      st = (await box.api('/api/v1/nas/status')).body.items[slot];
      if ((st.run?.done ?? 0) >= 2) break;
    }
    assert.ok(st.run && st.run.done >= 2 && st.run.done < 8, `stopped in the middle: ${JSON.stringify(st.run)}`);
    await s.stop();
    for (const end = Date.now() + 60_000; Date.now() < end && !st.lastError; ) {
      await box.run(100);
      st = (await box.api('/api/v1/nas/status')).body.items[slot];
    }
    assert.is(st.lastError?.kind, 'unreachable', JSON.stringify(st));
    assert.ok(st.queued > 0, 'the rest is still queued');
    await s.start();
    await untilBackedUp(box, slot, `target ${slot} after the restart`);
    assertCopies(box, s, 'drop', records);
  }
  const alarms = (await box.api('/api/v1/alarms')).body.items;
  assert.not.ok(alarms.some((a: any) => a.id === 'nas-0' || a.id === 'nas-1'), 'the alarms cleared once the backups finished');
});

test.run();
