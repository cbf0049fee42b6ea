/**
 * The object-store archive's cost: recordings uploaded to a local
 * single-node Ceph RADOS Gateway (test/support/ceph-rgw.ts) the way the box
 * uploads them (SHA-256, Content-MD5 per request, JSON sidecar, HEAD to
 * verify), one at a time. Prints the throughput and the box's CPU per
 * recorded hour (8 kHz A-law: 28.8 MB an hour), for one-minute recordings
 * (single PUTs) and for one large file in 16 MiB parts. The gateway's own CPU
 * is not the box's and is not counted.
 *
 *   node --import tsx bench/objectstore-upload.bench.ts     (BENCH_OS_MINUTES recordings, default 120)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startCephGateway } from '../test/support/ceph-rgw.ts';
import { BucketInspector } from '../test/support/s3-inspect.ts';
import { ObjectStoreClient } from '../firmware/objectstore/s3-client.ts';
import { uploadRecording, type UploadContext } from '../firmware/objectstore/upload-one.ts';
import { DEFAULT_OBJECT_STORE_SETTINGS } from '../firmware/objectstore/object-store-settings.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../firmware/recording/record-entry.ts';
import { analogRef } from '../firmware/ports/channel-ref.ts';
import { recordingFile } from '../firmware/recording/recording-paths.ts';

const MINUTES = Number(process.env.BENCH_OS_MINUTES ?? 120);
const ALAW_BYTES_PER_HOUR = 8000 * 3600;
const T0 = Date.parse('2026-11-20T09:00:00+08:00');
const report = (name: string, value: number, unit: string) => console.log(`BENCH ${name} ${Number(value.toFixed(3))} ${unit}`);

function entry(i: number, size: number): RecordEntry {
  const at = T0 + i * 61_000;
  const ref = analogRef(i % 8);
  const id = recordId(at, ref, 1);
  return withEntryDefaults({
    id, callId: id, part: 1, ...ref, lineNumber: '8001', remoteNumber: `1380013${String(i).padStart(4, '0')}`, callerName: '',
    callType: 'outgoing', startedAt: at, durationMs: (size / 8000) * 1000, startMode: 'voltage', stopMode: 'hangup', level: 'normal',
    file: recordingFile(at, ref, id), sizeBytes: size, codec: 'alaw', archived: false, sealed: false, sha256: null, deleted: false,
  });
}

const gw = await startCephGateway();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'os-bench-'));
try {
  const inspector = new BucketInspector(gw, 'bench');
  await inspector.create();
  inspector.close();
  const client = new ObjectStoreClient({
    ...DEFAULT_OBJECT_STORE_SETTINGS, enabled: true, endpoint: gw.endpoint, region: gw.region, bucket: 'bench', accessKeyId: gw.accessKey, secretAccessKey: gw.secretKey,
  });
  const ctx = (multipartBytes: number): UploadContext => ({
    client, prefix: 'bench/', serial: 'BENCH-0001', multipartBytes, save: async () => undefined, now: () => Date.now(), sent: () => undefined,
  });
  const run = async (name: string, files: Array<{ e: RecordEntry; file: string }>, multipartBytes: number) => {
    const bytes = files.reduce((n, f) => n + fs.statSync(f.file).size, 0);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const f of files) await uploadRecording(ctx(multipartBytes), f.e, f.file, { id: f.e.id, enqueuedAt: 0, attempts: 0, nextAt: 0, lastError: null });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    report(`objectstore_${name}_throughput`, bytes / seconds / (1 << 20), 'MiB/s');
    report(`objectstore_${name}_recordings_per_s`, files.length / seconds, 'rec/s');
    report(`objectstore_${name}_cpu_per_recorded_hour`, (cpuS / bytes) * ALAW_BYTES_PER_HOUR, 's');
    report(`objectstore_${name}_cpu_share_of_one_core`, (cpuS / seconds) * 100, '%core');
  };

  // One-minute recordings (480 kB each): single PUTs. A warm-up first (the gateway makes its pools).
  const minute = 8000 * 60;
  const small = Array.from({ length: MINUTES + 5 }, (_, i) => {
    const e = entry(i, minute);
    const file = path.join(dir, `${e.id}.wav`);
    fs.writeFileSync(file, randomBytes(minute));
    return { e, file };
  });
  await run('warmup', small.slice(0, 5), 16 << 20);
  await run('minute_files', small.slice(5), 16 << 20);

  // One two-hour recording (57.6 MB) in 16 MiB parts.
  const big = entry(100_000, 2 * ALAW_BYTES_PER_HOUR);
  const bigFile = path.join(dir, 'big.wav');
  fs.writeFileSync(bigFile, randomBytes(2 * ALAW_BYTES_PER_HOUR));
  await run('multipart', [{ e: big, file: bigFile }], 16 << 20);
  client.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  await gw.stop();
}
