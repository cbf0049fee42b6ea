/**
 * Chain of custody (firmware/custody/): what signing and chaining costs per
 * finished recording, the effect of batching fsyncs, and how fast the
 * offline verifier checks a data folder.
 *
 *   node --import tsx bench/custody.bench.ts
 *
 * - sign: building and signing one recording's statement (Ed25519, canonical JSON), CPU only;
 * - append, one at a time: each append awaited before the next (one fdatasync each), as
 *   recordings finishing seconds apart are;
 * - append, batched: CUSTODY_BENCH_BATCH appends at once (recordings finishing together),
 *   written with one fdatasync;
 * - verifier: scripts/verify-recordings' work (chain, sidecars, SHA-256 of every file) over
 *   CUSTODY_BENCH_RECORDINGS recordings of CUSTODY_BENCH_SECONDS seconds of A-law, and the
 *   chain alone (entries per second).
 *
 * Prints `BENCH <name> <value> <unit>` lines. Files go to the OS temporary folder (its disk
 * decides the fsync figures; the files hashed are read from the page cache).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ChainLedger, chainFileOf } from '../firmware/custody/chain-ledger.ts';
import { verifyChain } from '../firmware/custody/chain-verify.ts';
import { generateSigningKey } from '../firmware/custody/key-material.ts';
import { RecordingCustody, statementOfEvent } from '../firmware/custody/recording-custody.ts';
import { signEntry, GENESIS_PREV } from '../firmware/custody/statement.ts';
import { verifyRecordings } from '../firmware/custody/verify-recordings.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../firmware/recording/record-entry.ts';
import { recordingFile } from '../firmware/recording/recording-paths.ts';
import { appendEntry } from '../firmware/recording/sidecar.ts';
import { analogRef } from '../firmware/ports/channel-ref.ts';

const SIGNS = 5000;
const SINGLE = Number(process.env.CUSTODY_BENCH_SINGLE ?? 300);
const BATCH = Number(process.env.CUSTODY_BENCH_BATCH ?? 64);
const BATCHES = 20;
const RECORDINGS = Number(process.env.CUSTODY_BENCH_RECORDINGS ?? 500);
const SECONDS = Number(process.env.CUSTODY_BENCH_SECONDS ?? 60);
const T0 = Date.parse('2026-11-20T09:00:00+08:00');

const report = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${value.toFixed(value < 10 ? 2 : 1)} ${unit}`);
const quiet = { info() {}, warn() {}, error() {} };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custody-bench-'));
const key = generateSigningKey();

function entry(i: number, file: string | null = null, sha256: string | null = null, sizeBytes = 0): RecordEntry {
  const at = T0 + i * 7000;
  const ref = analogRef(i % 64);
  const id = recordId(at, ref, 1);
  return withEntryDefaults({
    id, callId: id, part: 1, ...ref, lineNumber: `8${i % 64}`, remoteNumber: `1380013${String(i).padStart(4, '0')}`, callerName: '',
    callType: 'outgoing', startedAt: at, durationMs: SECONDS * 1000, startMode: 'voltage', stopMode: 'hangup', level: 'normal',
    file: file ?? recordingFile(at, ref, id), sizeBytes, codec: 'alaw', archived: false, sealed: false,
    sha256: sha256 ?? 'ab'.repeat(32), deleted: false,
  });
}

// 1. Signing alone.
{
  const statement = statementOfEvent({ kind: 'recorded', entry: entry(1) }, 'RDS-0001')!;
  for (let i = 0; i < 200; i++) signEntry(key, { seq: i, prev: GENESIS_PREV, time: T0, statement });
  const t0 = performance.now();
  for (let i = 0; i < SIGNS; i++) signEntry(key, { seq: i, prev: GENESIS_PREV, time: T0, statement });
  report('custody_sign_statement', ((performance.now() - t0) * 1000) / SIGNS, 'us');
}

// 2. Appends, one at a time and batched.
{
  const ledger = new ChainLedger(path.join(dir, 'append'), key, Date.now, quiet);
  await ledger.open('RDS-0001', 'bench');
  const custody = new RecordingCustody(ledger, 'RDS-0001');
  let t0 = performance.now();
  for (let i = 0; i < SINGLE; i++) await custody.record({ kind: 'recorded', entry: entry(i) });
  const single = ((performance.now() - t0) * 1000) / SINGLE;
  report('custody_append_single', single, 'us');
  const flushes = ledger.stats.flushes;
  t0 = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    await Promise.all(Array.from({ length: BATCH }, (_, j) => custody.record({ kind: 'recorded', entry: entry(SINGLE + b * BATCH + j) })));
  }
  const batched = ((performance.now() - t0) * 1000) / (BATCHES * BATCH);
  report(`custody_append_batched_${BATCH}`, batched, 'us');
  report(`custody_fsyncs_per_batch_${BATCH}`, (ledger.stats.flushes - flushes) / BATCHES, 'fsyncs');
  report('custody_batching_speedup', single / batched, 'x');
  ledger.close();
}

// 3. The verifier over a data folder of finished recordings.
{
  const dataDir = path.join(dir, 'data');
  const ledger = new ChainLedger(dataDir, key, Date.now, quiet);
  await ledger.open('RDS-0001', 'bench');
  const custody = new RecordingCustody(ledger, 'RDS-0001');
  const audio = randomBytes(SECONDS * 8000 + 44);
  for (let i = 0; i < RECORDINGS; i++) {
    const e0 = entry(i);
    audio.writeUInt32BE(i, 100);
    fs.mkdirSync(path.dirname(path.join(dataDir, e0.file!)), { recursive: true });
    fs.writeFileSync(path.join(dataDir, e0.file!), audio);
    const e = { ...e0, sha256: createHash('sha256').update(audio).digest('hex'), sizeBytes: audio.length };
    await appendEntry(dataDir, e, await custody.record({ kind: 'recorded', entry: e }));
  }
  ledger.close();
  const pub = { raw: key.raw, fingerprint: key.fingerprint, key: key.key };
  let t0 = performance.now();
  const r = await verifyRecordings({ dataDir, anchors: [pub] });
  const ms = performance.now() - t0;
  if (r.tampered || r.counts.intact !== RECORDINGS) throw new Error(`verifier: ${JSON.stringify(r.counts)} ${JSON.stringify(r.chain.problems)}`);
  report(`custody_verify_recordings_${SECONDS}s`, (RECORDINGS * 1000) / ms, 'recordings/s');
  report(`custody_verify_audio_${SECONDS}s`, (RECORDINGS * audio.length) / 1e6 / (ms / 1000), 'MB/s');
  t0 = performance.now();
  const chain = await verifyChain(chainFileOf(dataDir), [pub]);
  report('custody_verify_chain', (chain.report.entries * 1000) / (performance.now() - t0), 'entries/s');
  report('custody_chain_bytes_per_recording', fs.statSync(chainFileOf(dataDir)).size / chain.report.entries, 'bytes');
}

fs.rmSync(dir, { recursive: true, force: true });
