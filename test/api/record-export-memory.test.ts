/**
 * An export of 100,000 recordings streams through bounded memory: the index
 * is read a page at a time and the client's pace holds the reading back.
 * Checked by the memory (heap and buffers) the process keeps after a collection while
 * the CSV and the XLSX are being received; every row arrives, in order.
 */
import { authedFetch } from '../support/api-client.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generatedEntry, writeGeneratedIndex } from '../support/generated-entries.ts';
import { startSimBox, T0, type SimBox } from '../support/sim-box.ts';
import { tempDir } from '../support/temp-dir.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 100_000;
/** Heap the export may keep while it runs; loading the rows at once would take several times this. */
const HEAP_BOUND = 32 * 1024 * 1024;

let box: SimBox;

const entry = (i: number) => generatedEntry(i, T0);

test.before(async () => {
  const t0 = Date.now();
  const dataDir = tempDir('export-memory-');
  await writeGeneratedIndex(dataDir, ROWS, T0);
  box = await startSimBox({ sources: [], dataDir });
  if (process.env.TEST_VERBOSE) console.log('index built and box started', Date.now() - t0, 'ms');
});

test.after(async () => {
  await box.stop();
});

/** JavaScript heap and the buffers outside it. */
function used(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

async function receive(p: string, onChunk: (c: Buffer) => void): Promise<{ bytes: number; peakGrowth: number }> {
  gc();
  const base = used();
  let peakGrowth = 0;
  let bytes = 0;
  let nextSample = 0;
  const started = Date.now();
  const res = await authedFetch(`http://127.0.0.1:${box.port}/api/v1${p}`);
  assert.is(res.status, 200);
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const c = Buffer.from(chunk);
    bytes += c.length;
    onChunk(c);
    if (bytes >= nextSample) {
      nextSample = bytes + 512 * 1024;
      gc();
      peakGrowth = Math.max(peakGrowth, used() - base);
    }
  }
  if (process.env.TEST_VERBOSE) console.log(p, bytes, (peakGrowth / 1048576).toFixed(1), 'MiB', Date.now() - started, 'ms');
  return { bytes, peakGrowth };
}

test('100,000 rows of CSV stream with bounded memory, every row in order', async () => {
  let lines = 0;
  let tail = '';
  let lastId = '';
  let ordered = true;
  let previous = Infinity;
  let idColumn = -1;
  const { bytes, peakGrowth } = await receive('/records/export.csv?lang=en', (c) => {
    const parts = (tail + c.toString('utf8')).split('\r\n');
    tail = parts.pop()!;
    for (const line of parts) {
      lines++;
      if (lines === 1) {
        idColumn = line.replace(/^\uFEFF/, '').split(',').indexOf('Recording id');
        continue;
      }
      lastId = line.split(',')[idColumn] ?? '';
      const t = Number(lastId.slice(0, 13));
      if (t > previous) ordered = false;
      previous = t;
    }
  });
  assert.ok(idColumn >= 0, 'the header names the recording id column');
  assert.is(lines, 1 + ROWS);
  assert.ok(ordered, 'newest first');
  assert.is(lastId, entry(ROWS - 1).id);
  assert.ok(bytes > 10_000_000);
  assert.ok(peakGrowth < HEAP_BOUND, `heap grew by ${(peakGrowth / 1048576).toFixed(1)} MiB`);
});

test('100,000 rows of XLSX stream with bounded memory', async () => {
  const { bytes, peakGrowth } = await receive('/records/export.xlsx', () => undefined);
  assert.ok(bytes > 1_000_000);
  assert.ok(peakGrowth < HEAP_BOUND, `heap grew by ${(peakGrowth / 1048576).toFixed(1)} MiB`);
});

test.run();
