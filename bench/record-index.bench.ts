/**
 * Benchmark of the recording index (firmware/recording/record-index.ts) and its
 * search engine (record-query.ts) at the size of a 64-line RDT after three
 * years: 10 million recordings.
 *
 *   node --import tsx bench/record-index.bench.ts
 *
 * Builds the index once through `RecordIndex.putMany` (the recorder's write
 * path, statistics included) from the seeded generator of
 * record-generator.ts, in
 * `.bench/index-<records>`; a marker file there records the generator's
 * parameters and the figures of the build, so later runs reuse the index.
 * Then times the searches of index-queries.ts: typical searches of the manual's recording pages (first page of
 * 16 rows with the total, and a page deep into the results), each ~30 times
 * with different days, channels and numbers, and checks totals against counts
 * kept while generating.
 *
 * Prints `BENCH <name> <value> <unit>`:
 *   index_insert_rate               records/s of the build (putMany batches of 2,000)
 *   index_bytes_per_record          index folder size / records, after a full compaction
 *   index_bytes_per_record_before_compaction
 *   index_build_rss                 peak RSS of the building process
 *   index_<query>_first_page_p50/_p95, index_<query>_deep_page_p50/_p95  ms
 *
 * Environment:
 *   BENCH_RECORDS  records in the index (default 10,000,000; e.g. 200000 for a quick check)
 *   BENCH_RUNS     runs of each query (default 30)
 *   BENCH_QUERIES  comma-separated query names to run (default: all)
 *   BENCH_REBUILD  1: build the index again even if it exists
 *
 * Days are the box's local days in Asia/Shanghai (China has no daylight saving).
 */
process.env.TZ = 'Asia/Shanghai';

import path from 'node:path';
import { RecordIndex } from '../firmware/recording/record-index.ts';
import { queryRecords } from '../firmware/recording/record-query.ts';
import { buildIndex, dbDir, folderBytes, readMarker } from './index-build.ts';
import { pct, runQueries } from './index-queries.ts';
import { RECORDS, line, note, root } from './record-generator.ts';

// ------------------------------------------------------------------ main

let marker = process.env.BENCH_REBUILD === '1' ? null : readMarker();
if (marker) {
  note(`reusing the index in ${path.relative(root, dbDir)} built ${marker.builtAt} (same parameters); figures of that build follow`);
} else {
  marker = await buildIndex();
  note('index built');
}
line('index_insert_rate', marker.insertRate, 'records/s');
line('index_build_rss', marker.buildPeakRssMiB, 'MiB');
line('index_bytes_per_record_before_compaction', marker.bytesBeforeCompaction / RECORDS, 'bytes');
line('index_bytes_per_record', marker.bytesAfterCompaction / RECORDS, 'bytes');
note(`build ${marker.buildSeconds.toFixed(0)} s (generator ${marker.generateSeconds.toFixed(0)} s), compaction ${marker.compactSeconds.toFixed(0)} s, index ${(marker.bytesAfterCompaction / 2 ** 20).toFixed(0)} MiB on disk now ${(folderBytes(dbDir) / 2 ** 20).toFixed(0)} MiB`);

const index = new RecordIndex(dbDir);
await index.open();
const results = await runQueries((q) => queryRecords(index, q), marker);
await index.close();
for (const r of results) {
  line(`index_${r.name}_first_page_p50`, pct(r.first, 50), 'ms');
  line(`index_${r.name}_first_page_p95`, pct(r.first, 95), 'ms');
  if (r.deep.length) {
    line(`index_${r.name}_deep_page_p50`, pct(r.deep, 50), 'ms');
    line(`index_${r.name}_deep_page_p95`, pct(r.deep, 95), 'ms');
  }
}

// Targets of the issue: any first page under 50 ms (p95), a day's count under 50 ms, under 150 bytes per record.
const misses: string[] = [];
for (const r of results) if (pct(r.first, 95) >= 50) misses.push(`${r.name} first page p95 ${pct(r.first, 95).toFixed(1)} ms`);
if (marker.bytesAfterCompaction / RECORDS >= 150) misses.push(`${(marker.bytesAfterCompaction / RECORDS).toFixed(0)} bytes per record`);
note(misses.length ? `targets missed: ${misses.join('; ')}` : 'targets met: every first page and day count p95 < 50 ms, < 150 bytes per record');
