/**
 * A recording read from its copy in the store, for when local retention has
 * removed the box's file: byte ranges are fetched with ranged GETs as the
 * player or the download asks for them. A sealed copy (encrypted at rest, as
 * the box keeps it) is fetched whole into a temporary file and decrypted
 * from there, since its chunks are authenticated from the start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { RecorderError } from '../errors.ts';
import { openRecordingReader, type RecordingReader } from '../recording/sealed-file.ts';
import type { ObjectStoreClient } from './s3-client.ts';
import type { StoreCopy } from './upload-queue.ts';

export async function openRemoteRecording(client: ObjectStoreClient, copy: StoreCopy, key: Buffer | null, tmpDir = os.tmpdir()): Promise<RecordingReader> {
  if (copy.sealed) return openSealedCopy(client, copy, key, tmpDir);
  return {
    size: copy.sizeBytes,
    sealed: false,
    stream(start, endInclusive) {
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(endInclusive) || start < 0 || endInclusive < start - 1 || endInclusive >= copy.sizeBytes) {
        throw new RecorderError('RANGE_NOT_SATISFIABLE', `bytes ${start}-${endInclusive} are outside a ${copy.sizeBytes}-byte recording`);
      }
      const out = new PassThrough();
      if (endInclusive < start) {
        out.end();
        return out;
      }
      client.getRange(copy.key, start, endInclusive).then(
        (body) => pipeline(body, out, () => undefined),
        (e: unknown) => out.destroy(new RecorderError('OBJECT_STORE_UNAVAILABLE', `the store's copy of ${copy.id} cannot be read: ${(e as Error).message}`)),
      );
      return out;
    },
    close: async () => undefined,
  };
}

async function openSealedCopy(client: ObjectStoreClient, copy: StoreCopy, key: Buffer | null, tmpDir: string): Promise<RecordingReader> {
  const tmp = path.join(tmpDir, `rdx-remote-${randomBytes(6).toString('hex')}`);
  try {
    const body: Readable = await client.getRange(copy.key, 0, copy.sizeBytes - 1);
    await new Promise<void>((resolve, reject) => pipeline(body, fs.createWriteStream(tmp, { mode: 0o600 }), (e) => (e ? reject(e) : resolve())));
    const reader = await openRecordingReader(tmp, key);
    return { ...reader, size: reader.size, sealed: reader.sealed, stream: (s, e) => reader.stream(s, e), close: async () => { await reader.close(); await fs.promises.rm(tmp, { force: true }); } };
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    if (e instanceof RecorderError) throw e;
    throw new RecorderError('OBJECT_STORE_UNAVAILABLE', `the store's copy of ${copy.id} cannot be read: ${(e as Error).message}`);
  }
}
