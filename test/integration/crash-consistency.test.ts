/**
 * Power cut at random moments: the daemon records eight lines continuously
 * (a file every 10 s per line) onto a small disk where maintenance deletes,
 * while archives to MP3 run, and is killed with SIGKILL 22 times at random
 * points. Afterwards: every index entry has its file, valid and matching its
 * signature; every file has its entry; no temporary files or markers; no
 * finished recording lost (only maintenance deletes, and only the oldest).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { getJson, killTree, startDaemonProcess, startSimulator, waitFor, type DaemonProcess } from '../support/processes.ts';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { signatureOf } from '../../firmware/recording/file-signature.ts';
import { probeDuration } from '../../firmware/audio/probe-duration.ts';
import { authedFetch } from '../support/api-client.ts';
import { tempDir } from '../support/temp-dir.ts';

const KILLS = 22;
const children: ChildProcess[] = [];
test.after(() => {
  for (const c of children) killTree(c, 'SIGKILL');
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

test('22 power cuts during recording, archive and maintenance leave files and index consistent', async () => {
  const work = tempDir('crash-');
  const data = path.join(work, 'var/data');
  fs.mkdirSync(data, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', data]);
  try {
    fs.mkdirSync(path.join(work, 'var/config'), { recursive: true });
    fs.writeFileSync(
      path.join(work, 'var/config/recorder.json'),
      JSON.stringify({
        recording: { maxFileS: 10, minFileS: 1 },
        storage: { reservePercent: 40, deletePerRound: 6, archiveFormat: 'mp3' },
        channels: Object.fromEntries(Array.from({ length: 8 }, (_, ch) => [String(ch), { controlMode: 'continuous' }])),
      }),
    );
    const sim = startSimulator(work, ['--continuous']);
    children.push(sim);
    await waitFor('the pseudo-terminal pair', () => fs.existsSync(path.join(work, 'var/linecard-host.pty')));
    const r = rng(2026);
    const seen = new Map<string, number>(); // id -> start time of every recording seen indexed
    const note = async (d: DaemonProcess) => {
      const body = await getJson(d.url('/api/v1/records?limit=500')).catch(() => null);
      for (const e of body?.items ?? []) seen.set(e.id, Date.parse(e.startTime));
    };
    const post = (d: DaemonProcess, p: string) => authedFetch(d.url(p), { method: 'POST' }).catch(() => undefined);
    const moments: string[] = [];
    for (let i = 0; i < KILLS; i++) {
      const d = await startDaemonProcess(work);
      children.push(d.child);
      await note(d);
      const what = r();
      if (what < 0.35) {
        void post(d, '/api/v1/storage/archive');
        moments.push('archive');
      } else if (what < 0.6) {
        void post(d, '/api/v1/storage/maintenance');
        moments.push('maintenance');
      } else moments.push('recording');
      await sleep(200 + Math.floor(r() * 2800));
      await note(d);
      d.child.kill('SIGKILL');
      await new Promise((res) => d.child.once('exit', res));
    }
    // A clean start finishes what was interrupted; then a clean stop.
    const last = await startDaemonProcess(work);
    children.push(last.child);
    await waitFor('the resumed archive to end', async () => ((await getJson(last.url('/api/v1/storage'))).archive.running ? null : true), 60_000);
    await sleep(1500);
    await note(last);
    last.child.kill('SIGTERM');
    await new Promise((res) => last.child.once('exit', res));
    killTree(sim, 'SIGTERM');
    assert.ok(moments.includes('archive') && moments.includes('maintenance'), moments.join(','));

    const index = new RecordIndex(path.join(data, 'index'));
    await index.open();
    const live = (await queryRecords(index, { limit: 100_000, offset: 0 })).items;
    const deleted = (await queryRecords(index, { deleted: true, limit: 100_000, offset: 0 })).items;
    const entries = [...live, ...deleted];
    assert.ok(entries.length > 30, `${entries.length} recordings`);
    assert.ok(entries.some((e) => e.archived && e.codec === 'mp3'), 'some recordings were archived to MP3');
    assert.ok(entries.some((e) => e.stopMode === 'power-loss'), 'some recordings were recovered after a kill');
    // Every entry has its file, valid and as signed.
    for (const e of entries) {
      if (!e.file) continue;
      const file = path.join(data, e.file);
      assert.ok(fs.existsSync(file), `entry ${e.id} has its file ${e.file}`);
      const ms = await probeDuration(file);
      assert.ok(Math.abs(ms - e.durationMs) <= 300, `${e.id}: file ${ms} ms, entry ${e.durationMs} ms`);
      assert.is(await signatureOf(file, null), e.sha256, `${e.id} matches its signature`);
    }
    // Every file has its entry; nothing temporary, no markers left.
    const byFile = new Set(entries.filter((e) => e.file).map((e) => path.join(data, e.file!)));
    const files = [...filesUnder(path.join(data, 'recordings')), ...filesUnder(path.join(data, 'history'))].filter((f) => !f.endsWith('records.jsonl'));
    for (const f of files) assert.ok(byFile.has(f), `orphan file ${path.relative(data, f)}`);
    assert.equal(filesUnder(path.join(data, 'open')), []);
    assert.not.ok(fs.existsSync(path.join(data, 'archive.json')));
    assert.equal(await index.pendingPurges(), []);
    // No finished recording lost: whatever is gone was deleted by maintenance, oldest first.
    const ids = new Set(entries.map((e) => e.id));
    const gone = [...seen].filter(([id]) => !ids.has(id));
    const oldestKept = Math.min(...entries.filter((e) => e.level === 'normal').map((e) => e.startedAt));
    for (const [id, t] of gone) assert.ok(t <= oldestKept, `recording ${id} vanished though newer ones are kept`);
    await index.close();
  } finally {
    for (const c of children) killTree(c, 'SIGKILL');
    await sleep(300);
    execFileSync('umount', ['-l', data]);
  }
});

test.run();
