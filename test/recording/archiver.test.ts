import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { Archiver, ARCHIVE_JOURNAL } from '../../firmware/recording/archiver.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { signatureOf } from '../../firmware/recording/file-signature.ts';
import { openRecordingReader, unsealFile } from '../../firmware/recording/sealed-file.ts';
import { probeDuration, durationMatches } from '../../firmware/audio/probe-duration.ts';
import type { ArchiveSettings } from '../../firmware/recording/archiver.ts';
import { KEY, quiet, storeFixture } from '../support/store-fixture.ts';

const T = Date.parse('2026-11-20T09:00:00+08:00');

for (const format of ['mp3', 'ima-adpcm', 'pcm16'] as const) {
  test(`archive moves today's recordings to history as ${format}, sealed, signed, duration kept`, async () => {
    const f = await storeFixture(KEY);
    const recs = [await f.record(0, T, 5), await f.record(1, T + 60_000, 7)];
    const settings: ArchiveSettings = { format, mp3Kbps: 16 };
    const archiver = new Archiver(f.dataDir, f.index, () => KEY, () => settings, quiet);
    const report = await archiver.run();
    assert.is(report.archived, 2);
    assert.is(report.failed, 0);
    for (const before of recs) {
      const e = (await f.index.get(before.id))!;
      assert.ok(e.archived && e.sealed);
      assert.is(e.codec, format);
      assert.ok(e.file!.startsWith(`history/2026/11/20/ch0${before.channel}/`) && e.file!.endsWith(format === 'mp3' ? '.mp3' : '.wav'), e.file!);
      assert.not.ok(fs.existsSync(path.join(f.dataDir, before.file!)), 'the source is gone');
      const file = path.join(f.dataDir, e.file!);
      assert.is(await signatureOf(file, KEY), e.sha256);
      const plain = `${file}.check`;
      await unsealFile(file, plain, KEY);
      assert.ok(durationMatches(before.durationMs, await probeDuration(plain), format), `${before.durationMs} ms`);
      const reader = await openRecordingReader(file, KEY);
      assert.is(reader.size, e.sizeBytes);
      await reader.close();
      fs.rmSync(plain);
    }
    assert.not.ok(fs.existsSync(path.join(f.dataDir, 'recordings', '2026')), "today's folders are removed once empty");
    assert.is((await queryRecords(f.index, { store: 'history', limit: 10, offset: 0 })).total, 2);
    assert.is((await queryRecords(f.index, { store: 'today', limit: 10, offset: 0 })).total, 0);
    assert.not.ok(fs.existsSync(path.join(f.dataDir, ARCHIVE_JOURNAL)));
    await f.index.close();
  });
}

test('a damaged source stays in today with an error; the others are archived', async () => {
  const f = await storeFixture();
  const good = await f.record(0, T, 4);
  const bad = await f.record(1, T + 10_000, 4);
  fs.writeFileSync(path.join(f.dataDir, bad.file!), 'RIFF garbage');
  const errors: string[] = [];
  const log = { info() {}, error: (_o: object, m: string) => void errors.push(m) };
  const report = await new Archiver(f.dataDir, f.index, () => null, () => ({ format: 'alaw', mp3Kbps: 16 }), log).run();
  assert.is(report.archived, 1);
  assert.is(report.failed, 1);
  assert.ok((await f.index.get(good.id))!.archived);
  const stays = (await f.index.get(bad.id))!;
  assert.not.ok(stays.archived);
  assert.ok(fs.existsSync(path.join(f.dataDir, stays.file!)), 'the damaged file is kept for inspection');
  assert.is(errors.length, 1);
  await f.index.close();
});

test('an archive interrupted at any step is finished by the next run: no orphans, nothing lost', async () => {
  const f = await storeFixture();
  const recs = [await f.record(0, T, 3), await f.record(1, T + 1000, 3), await f.record(2, T + 2000, 3)];
  const settings = () => ({ format: 'ima-adpcm' as const, mp3Kbps: 16 });
  const archiver = new Archiver(f.dataDir, f.index, () => null, settings, quiet);
  // rec 0: power lost after the index was updated, before the source was removed.
  const done = await archiver.archiveOne(recs[0]!);
  fs.writeFileSync(path.join(f.dataDir, recs[0]!.file!), fs.readFileSync(path.join(f.dataDir, done.file!)));
  // rec 1: power lost mid-transcode: a partial temporary file in history.
  const dst1 = path.join(f.dataDir, 'history/2026/11/20/ch01', `${recs[1]!.id}.wav.tmp`);
  fs.mkdirSync(path.dirname(dst1), { recursive: true });
  fs.writeFileSync(dst1, 'partial');
  fs.writeFileSync(`${dst1}.5f0e1a.tmp`, 'a seal cut short');
  fs.writeFileSync(path.join(f.dataDir, ARCHIVE_JOURNAL), '{}');
  assert.ok(archiver.interrupted());
  const report = await archiver.run();
  assert.is(report.archived, 2);
  assert.is(report.orphansRemoved, 1);
  const files: string[] = [];
  const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((x) => (x.isDirectory() ? walk(path.join(d, x.name)) : files.push(path.relative(f.dataDir, path.join(d, x.name)))));
  walk(path.join(f.dataDir, 'history'));
  if (fs.existsSync(path.join(f.dataDir, 'recordings'))) walk(path.join(f.dataDir, 'recordings'));
  const audio = files.filter((x) => !x.endsWith('records.jsonl')).sort();
  const indexed = (await queryRecords(f.index, { limit: 10, offset: 0 })).items.map((e) => e.file!).sort();
  assert.equal(audio, indexed, 'every file indexed, every entry has its file');
  assert.is(indexed.length, 3);
  await f.index.close();
});

test.run();
