/**
 * Streaming every match of a search a page at a time gives exactly the
 * search's matches in its order, also when many recordings share one start
 * time across page boundaries, and with conditions on any driver.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { queryRecords } from '../../firmware/recording/record-query.ts';
import { streamRecords, type StreamQuery } from '../../firmware/recording/record-stream.ts';
import { generatedEntry } from '../support/generated-entries.ts';
import { tempDir } from '../support/temp-dir.ts';

const NEWEST = Date.parse('2026-11-20T09:00:00+08:00');

test('pages of a stream are the search, in order, whatever the page size', async () => {
  const index = new RecordIndex(path.join(tempDir('stream-'), 'index'));
  await index.open();
  // Runs of 8 channels starting in the same millisecond, and plain entries.
  const entries = Array.from({ length: 2000 }, (_, i) => {
    const e = generatedEntry(i, NEWEST);
    return i < 800 ? { ...generatedEntry(i, NEWEST), ...sameInstant(e, i) } : e;
  });
  await index.putMany(entries);
  const queries: StreamQuery[] = [
    {}, { channel: 3 }, { remoteNumber: '138001300%' }, { minDurationMs: 300_000 }, { callType: 'outgoing', level: 'normal' },
    { from: NEWEST - 86_400_000 * 5, to: NEWEST - 86_400_000 * 2 }, { lineNumber: '8005' }, { remoteNumber: '13800130007' },
  ];
  for (const q of queries) {
    const all = (await queryRecords(index, { ...q, limit: 100_000, offset: 0 })).items.map((e) => e.id);
    for (const size of [7, 64, 500]) {
      const got: string[] = [];
      for await (const page of streamRecords(index, q, size)) {
        assert.ok(page.length <= size);
        got.push(...page.map((e) => e.id));
      }
      assert.equal(got, all, `${JSON.stringify(q)} by ${size}`);
    }
  }
  await index.close();
});

/** Entries i = 8k … 8k+7 start in the same millisecond, one per channel. */
function sameInstant(e: ReturnType<typeof generatedEntry>, i: number) {
  const startedAt = NEWEST - 3_600_000 - Math.floor(i / 8) * 60_000;
  const id = `${String(startedAt).padStart(13, '0')}-${e.id.split('-').slice(1).join('-')}`;
  return { startedAt, id, callId: id };
}

test.run();
