/**
 * The archive's transcoding signs a new statement naming the original's
 * signature: archived recordings verify back to what was recorded, through
 * the verifier script and the box's own check.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { custodyFixture, runVerifier } from './helpers.ts';

test('a transcoded archive verifies back to its original', async () => {
  const f = await custodyFixture();
  const t0 = Date.parse('2026-11-20T10:00:00+08:00');
  const originals = [await f.record(0, t0, 3), await f.record(1, t0 + 60_000, 2), await f.record(2, t0 + 120_000, 4)];
  const report = await f.archiver('ima-adpcm').run();
  assert.is(report.archived, 3);
  for (const o of originals) {
    const now = (await f.index.get(o.id))!;
    assert.ok(now.archived && now.codec === 'ima-adpcm' && now.sha256 !== o.sha256);
    assert.not.ok(fs.existsSync(path.join(f.dataDir, o.file!)), 'the original is gone');
    const s = (await f.custody.statementOf(o.id))!;
    const st = s.entry.statement as { kind: string; sha256: string; file: string; source: { sha256: string; file: string; codec: string } };
    assert.is(st.kind, 'transcoded');
    assert.is(st.sha256, now.sha256);
    assert.equal([st.source.sha256, st.source.file, st.source.codec], [o.sha256, o.file, 'alaw']);
    const v = await f.records.verify(o.id);
    assert.ok(v.match && v.custody?.signed && v.custody.matchesStatement && v.custody.signatureValid && v.custody.chain.inChain);
  }
  await f.box.ledger.idle();
  const r = await runVerifier(['--public-key', f.publicKeyFile(), '--json', f.dataDir]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const recs = r.lines.filter((l) => l.type === 'recording');
  assert.equal(recs.map((x) => [x.id, x.status]).sort(), originals.map((o) => [o.id, 'intact']).sort());
  assert.ok(recs.every((x) => x.file.startsWith('history/')));
  await f.close();
});

test.run();
