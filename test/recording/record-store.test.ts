import { analogRef } from '../../firmware/ports/channel-ref.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { ClassicLevel } from 'classic-level';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { RecordStore } from '../../firmware/recording/record-store.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { openOrRebuildIndex } from '../../firmware/recording/index-rebuild.ts';
import { signatureOf } from '../../firmware/recording/file-signature.ts';
import { isSealedFile } from '../../firmware/recording/sealed-file.ts';
import { Archiver } from '../../firmware/recording/archiver.ts';
import { KEY, quiet, storeFixture } from '../support/store-fixture.ts';

const T = Date.parse('2026-11-20T09:00:00+08:00');
const everything = async (index: RecordIndex) => ({
  live: (await queryRecords(index, { limit: 1000, offset: 0 })).items,
  deleted: (await queryRecords(index, { deleted: true, limit: 1000, offset: 0 })).items,
});

test('a finished recording is signed (SHA-256 of what a user downloads) and, with a key, sealed', async () => {
  const plain = await storeFixture();
  const a = await plain.record(1, T, 4);
  assert.ok(a.sha256 && !a.sealed);
  const file = path.join(plain.dataDir, a.file!);
  assert.is(await signatureOf(file, null), a.sha256);
  const sealed = await storeFixture(KEY);
  const b = await sealed.record(1, T, 4);
  assert.ok(b.sealed);
  assert.ok(await isSealedFile(path.join(sealed.dataDir, b.file!)));
  assert.is(b.sha256, a.sha256, 'same audio, same signature, encrypted or not');
  await plain.index.close();
  await sealed.index.close();
});

test('delete marks, restore brings back, purge removes file and entry; an interrupted purge finishes at the next start', async () => {
  const f = await storeFixture();
  const store = new RecordStore(f.dataDir, f.index);
  const recs = [];
  for (let i = 0; i < 4; i++) recs.push(await f.record(i, T + i * 60_000, 3));
  await store.markDeleted(recs[0]!.id, true);
  await store.markDeleted(recs[1]!.id, true);
  await store.markDeleted(recs[1]!.id, false);
  let all = await everything(f.index);
  assert.equal(all.deleted.map((e) => e.id), [recs[0]!.id]);
  assert.is(all.live.length, 3);
  assert.is(await store.purgeDeleted(), 1);
  assert.not.ok(fs.existsSync(path.join(f.dataDir, recs[0]!.file!)));
  assert.is(await f.index.get(recs[0]!.id), null);
  // Power lost after the purge began and the file went, before the entry did.
  await f.index.beginPurge([recs[2]!]);
  fs.rmSync(path.join(f.dataDir, recs[2]!.file!));
  await f.index.close();
  const reopened = new RecordIndex(path.join(f.dataDir, 'index'));
  await reopened.open();
  assert.is((await reopened.get(recs[2]!.id))?.id, recs[2]!.id, 'entry still there before the start-up step');
  assert.is(await new RecordStore(f.dataDir, reopened).finishPendingPurges(), 1);
  assert.is(await reopened.get(recs[2]!.id), null);
  all = await everything(reopened);
  assert.equal(all.live.map((e) => e.id).sort(), [recs[1]!.id, recs[3]!.id].sort());
  await reopened.close();
});

test('a lost or damaged index is rebuilt from the sidecars and files, with every change since', async () => {
  const f = await storeFixture(KEY);
  const store = new RecordStore(f.dataDir, f.index);
  const recs = [];
  // Three days, two recordings each: the rebuild reads a day folder at a time.
  for (let i = 0; i < 6; i++) recs.push(await f.record(i % 3, T + Math.floor(i / 2) * 86_400_000 + i * 90_000, 3, `1380013800${i}`));
  f.recorder.missed(analogRef(2), { callId: `2-${T + 1_000_000}`, at: T + 1_000_000, endedAt: T + 1_020_000, remoteNumber: '5588', callerName: '', lineNumber: '8002', level: 'normal' });
  await f.recorder.drain();
  await store.setLevel(recs[0]!.id, 'important');
  await store.markDeleted(recs[1]!.id, true);
  await store.purge([recs[2]!]);
  const archiver = new Archiver(f.dataDir, f.index, () => KEY, () => ({ format: 'ima-adpcm', mp3Kbps: 16 }), quiet);
  await archiver.archiveOne((await f.index.get(recs[3]!.id))!);
  const before = await everything(f.index);
  await f.index.close();

  // Lost: the index folder is gone.
  fs.rmSync(path.join(f.dataDir, 'index'), { recursive: true });
  const told: string[] = [];
  let { index, rebuilt } = await openOrRebuildIndex(f.dataDir, (l) => new RecordIndex(l), quiet, (what) => told.push(what));
  assert.ok(rebuilt);
  assert.equal(await everything(index), before);
  assert.ok(told.length > 0 && told.every((w) => /^index rebuild: \d+ sidecars read, \d+ entries$/.test(w)), `the rebuild tells how far it got: ${told.join('; ')}`);
  await index.close();

  // Damaged: LevelDB's CURRENT file points nowhere.
  fs.writeFileSync(path.join(f.dataDir, 'index', 'CURRENT'), 'MANIFEST-999999\n');
  ({ index, rebuilt } = await openOrRebuildIndex(f.dataDir, (l) => new RecordIndex(l), quiet));
  assert.ok(rebuilt);
  assert.equal(await everything(index), before);
  assert.ok(fs.readdirSync(f.dataDir).some((n) => n.startsWith('index.damaged-')), 'the damaged index is kept aside');
  await index.close();
});

test('an index of the first release is converted at start-up', async () => {
  const f = await storeFixture();
  const rec = await f.record(3, T, 3);
  await f.index.close();
  fs.rmSync(path.join(f.dataDir, 'index'), { recursive: true });
  fs.rmSync(path.join(f.dataDir, path.dirname(rec.file!), 'records.jsonl')); // the first release kept no sidecars
  const old = new ClassicLevel<string, string>(path.join(f.dataDir, 'index'), { valueEncoding: 'utf8' });
  await old.open();
  const { archived: _a, sealed: _s, sha256: _h, deleted: _d, ...v1 } = rec;
  await old.batch().put(`r!${rec.id}`, JSON.stringify(v1)).put(`t!${rec.startedAt}!${rec.id}`, '').write();
  await old.close();
  const { index } = await openOrRebuildIndex(f.dataDir, (l) => new RecordIndex(l), quiet);
  const got = await index.get(rec.id);
  assert.equal(got, { ...rec, sha256: null });
  await index.close();
});

test.run();
