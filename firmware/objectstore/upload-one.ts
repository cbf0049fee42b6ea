/**
 * One recording's way into the store: the file hashed (SHA-256), the store
 * asked whether it already holds it (an upload finished just before a kill
 * is not sent again), then put whole or in parts — each part with its
 * Content-MD5, each part's ETag saved before the next so an upload cut short
 * continues with the parts the store confirms (ListParts) — then the JSON
 * sidecar, and last a HEAD that must show the size and the SHA-256: the
 * store's own x-amz-checksum-sha256 when it keeps one, else the metadata the
 * box sent with the bytes. Never the multipart ETag.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import type { RecordEntry } from '../recording/record-entry.ts';
import { contentTypeOf, objectKeyOf, objectMetadata, sidecarOf } from './object-keys.ts';
import type { ObjectStoreClient } from './s3-client.ts';
import type { StoreCopy, UploadJob } from './upload-queue.ts';

export interface UploadContext {
  client: ObjectStoreClient;
  prefix: string;
  serial: string;
  /** Files this large or larger go up in parts of this size. */
  multipartBytes: number;
  /** Saves the job (the parts sent so far) before the next step. */
  save(job: UploadJob): Promise<void>;
  now(): number;
  /** Bytes sent, for throughput. */
  sent(bytes: number): void;
}

export class VerifyError extends Error {}

async function sha256Of(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

async function readSlice(fd: fs.promises.FileHandle, start: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fd.read(buf, done, length - done, start + done);
    if (bytesRead === 0) throw new Error('the file became shorter while it was uploaded');
    done += bytesRead;
  }
  return buf;
}

export async function uploadRecording(ctx: UploadContext, entry: RecordEntry, file: string, job: UploadJob): Promise<StoreCopy> {
  const { key, sidecarKey } = objectKeyOf(ctx.prefix, ctx.serial, entry);
  const { sha256, size } = await sha256Of(file);
  if (job.key !== key || job.sha256 !== sha256 || job.size !== size) {
    // A different file than the one an earlier attempt began with (archived since): start again.
    if (job.multipart && job.key) await ctx.client.abortMultipart(job.key, job.multipart.uploadId).catch(() => undefined);
    job = { ...job, key, sha256, size, multipart: undefined };
    await ctx.save(job);
  }
  const metadata = objectMetadata(entry, ctx.serial, sha256);
  const contentType = contentTypeOf(entry, entry.sealed);
  const there = await ctx.client.head(key);
  if (!there || there.size !== size || there.metadata.sha256 !== sha256) {
    if (size < ctx.multipartBytes) {
      const body = await fs.promises.readFile(file);
      if (body.length !== size) throw new Error('the file changed while it was uploaded');
      await ctx.client.put(key, body, metadata, contentType);
      ctx.sent(size);
    } else {
      await uploadInParts(ctx, job, file, key, size, metadata, contentType);
    }
  } else if (job.multipart) {
    await ctx.client.abortMultipart(key, job.multipart.uploadId).catch(() => undefined);
  }
  await ctx.client.put(sidecarKey, sidecarOf(entry, ctx.serial, sha256), { 'record-id': entry.id, sha256 }, 'application/json');
  const check = await ctx.client.head(key);
  if (!check) throw new VerifyError(`${key} is not in the store after its upload`);
  if (check.size !== size) throw new VerifyError(`${key} holds ${check.size} bytes, the file ${size}`);
  const storeSum = check.checksumSha256 && !check.checksumSha256.includes('-') ? Buffer.from(check.checksumSha256, 'base64').toString('hex') : null;
  if (storeSum !== null && storeSum !== sha256) throw new VerifyError(`${key}: the store's SHA-256 ${storeSum} is not the file's ${sha256}`);
  if (storeSum === null && check.metadata.sha256 !== sha256) throw new VerifyError(`${key}: SHA-256 ${check.metadata.sha256 ?? 'missing'} in the store, ${sha256} on the box`);
  return {
    id: entry.id, bucket: ctx.client.bucket, key, sidecarKey, file: entry.file!, sizeBytes: size, sha256, codec: entry.codec, sealed: entry.sealed,
    verifiedBy: storeSum !== null ? 'checksum' : 'metadata', verifiedAt: ctx.now(), localFreedAt: null,
  };
}

async function uploadInParts(ctx: UploadContext, job: UploadJob, file: string, key: string, size: number, metadata: Record<string, string>, contentType: string): Promise<void> {
  let state = job.multipart;
  if (state) {
    const held = await ctx.client.listParts(key, state.uploadId);
    if (held === null) state = undefined;
    else {
      // Keep only the parts the store confirms, with the ETag it gives.
      const confirmed = new Map(held.map((p) => [p.partNumber, p]));
      state = { ...state, parts: state.parts.filter((p) => confirmed.get(p.partNumber)?.etag === p.etag) };
    }
  }
  if (!state) {
    const partSize = ctx.multipartBytes;
    state = { uploadId: await ctx.client.createMultipart(key, metadata, contentType), partSize, parts: [] };
    job.multipart = state;
    await ctx.save(job);
  }
  const count = Math.ceil(size / state.partSize);
  const fd = await fs.promises.open(file, 'r');
  try {
    for (let n = 1; n <= count; n++) {
      if (state.parts.some((p) => p.partNumber === n)) continue;
      const start = (n - 1) * state.partSize;
      const body = await readSlice(fd, start, Math.min(state.partSize, size - start));
      const etag = await ctx.client.uploadPart(key, state.uploadId, n, body);
      ctx.sent(body.length);
      state.parts.push({ partNumber: n, etag });
      job.multipart = state;
      await ctx.save(job);
    }
  } finally {
    await fd.close();
  }
  await ctx.client.completeMultipart(key, state.uploadId, [...state.parts].sort((a, b) => a.partNumber - b.partNumber));
}
