/**
 * Local retention ("keep N days on the box once safely in the store"): a
 * recording older than the limit leaves the box's disk only when its copy was
 * verified after upload and the store still shows it (a HEAD: size and
 * SHA-256), and only once the daily archive has moved it to history, so the
 * archive never looks for a file that is gone. Its index entry stays: search,
 * playback and download then read the store's copy.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RecordIndex } from '../recording/record-index.ts';
import type { ObjectStoreClient } from './s3-client.ts';
import type { UploadQueue } from './upload-queue.ts';

export interface RetentionReport {
  freed: number;
  /** Old enough but kept: not archived yet, or the store's copy did not check out. */
  kept: number;
}

export async function freeVerifiedCopies(o: {
  dataDir: string;
  index: RecordIndex;
  queue: UploadQueue;
  client: ObjectStoreClient;
  /** Recordings that started before this time may go. */
  before: number;
  now: () => number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}): Promise<RetentionReport> {
  const report: RetentionReport = { freed: 0, kept: 0 };
  for await (const { id, startedAt } of o.queue.heldBefore(o.before)) {
    const entry = await o.index.get(id);
    const copy = await o.queue.copy(id);
    if (!entry || !entry.file || !copy) {
      await o.queue.unheld(id, startedAt);
      continue;
    }
    if (!entry.archived) {
      report.kept++;
      continue;
    }
    const there = await o.client.inBucket(copy.bucket).head(copy.key).catch(() => null);
    if (!there || there.size !== copy.sizeBytes || (there.metadata.sha256 !== copy.sha256 && !there.checksumSha256)) {
      o.log.warn({ id, key: copy.key }, 'local retention: the store does not show the verified copy; the file stays on the box');
      report.kept++;
      continue;
    }
    await fs.rm(path.join(o.dataDir, entry.file), { force: true });
    await o.queue.freed(copy, startedAt, o.now());
    report.freed++;
  }
  if (report.freed) o.log.info({ ...report }, 'local retention freed recordings held in the object store');
  return report;
}
