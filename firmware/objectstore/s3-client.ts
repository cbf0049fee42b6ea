/**
 * The object store as the archive uses it, over the official S3 client:
 * objects put whole or in parts, each body sent with its Content-MD5 so the
 * store refuses one damaged on the way; a HEAD for what the store holds
 * (size, the SHA-256 the box sent as metadata, and the store's own
 * x-amz-checksum-sha256 when it keeps one); byte ranges read back for
 * playback. The SDK's own retries are off: the upload queue retries with its
 * back-off, and classifies failures (`failureOf`).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand,
  HeadObjectCommand, ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ObjectStoreSettings } from './object-store-settings.ts';

export interface StoredObject {
  size: number;
  /** User metadata (x-amz-meta-*), lower-case names. */
  metadata: Record<string, string>;
  /** The store's own SHA-256 of the whole object (base64), when it keeps one. */
  checksumSha256: string | null;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
}

export type StoreFailure = 'credentials' | 'bucket' | 'unreachable' | 'refused';

/** What kind of failure an S3 call ended with: wrong keys, no such bucket, no answer, or any other refusal. */
export function failureOf(e: unknown): StoreFailure {
  const err = e as { name?: string; Code?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.Code ?? err.name ?? '';
  if (['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'InvalidToken', 'ExpiredToken', 'Forbidden'].includes(name)) return 'credentials';
  if (name === 'NoSuchBucket') return 'bucket';
  const status = err.$metadata?.httpStatusCode;
  if (status === 403) return 'credentials';
  if (status === undefined || status >= 500 || ['TimeoutError', 'RequestTimeout', 'AbortError'].includes(name)) return 'unreachable';
  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|socket hang up/i.test(`${err.code ?? ''} ${(e as Error).message ?? ''}`)) return 'unreachable';
  return 'refused';
}

export function describeFailure(e: unknown): string {
  const err = e as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const code = err.Code ?? err.name ?? 'Error';
  const message = err.message && err.message !== code && err.message !== 'UnknownError' ? `: ${err.message}` : '';
  return `${code}${status ? ` (HTTP ${status})` : ''}${message}`.slice(0, 300);
}

// The SDK warns once per process that its releases after January 2027 need Node.js 22: the box ships
// its own Node.js with a pinned SDK, so the warning says nothing to an administrator reading the log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');

export class ObjectStoreClient {
  private readonly s3: S3Client;
  readonly bucket: string;
  private readonly owner: boolean;

  constructor(s: ObjectStoreSettings, timeouts = { connectMs: 5000, requestMs: 60_000 }, shared?: S3Client) {
    this.bucket = s.bucket;
    this.owner = !shared;
    this.s3 = shared ?? new S3Client({
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      region: s.region,
      forcePathStyle: s.pathStyle,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
      maxAttempts: 1,
      // Checksums only where an operation needs one: many S3-compatible stores refuse the newer trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs },
    });
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const h = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }));
      return { size: h.ContentLength ?? 0, metadata: h.Metadata ?? {}, checksumSha256: h.ChecksumSHA256 ?? null };
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 && (e as { name?: string }).name !== 'NoSuchBucket') return null;
      throw e;
    }
  }

  async put(key: string, body: Buffer, metadata: Record<string, string>, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentLength: body.length, ContentMD5: md5(body), ContentType: contentType, Metadata: metadata }));
  }

  async createMultipart(key: string, metadata: Record<string, string>, contentType: string): Promise<string> {
    const r = await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, Metadata: metadata }));
    if (!r.UploadId) throw new Error('the store gave no upload id');
    return r.UploadId;
  }

  async uploadPart(key: string, uploadId: string, partNumber: number, body: Buffer): Promise<string> {
    const r = await this.s3.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.length, ContentMD5: md5(body) }));
    if (!r.ETag) throw new Error(`the store gave no ETag for part ${partNumber}`);
    return r.ETag;
  }

  /** The parts the store holds of an upload; null when the upload is gone (completed or aborted). */
  async listParts(key: string, uploadId: string): Promise<Array<UploadedPart & { size: number }> | null> {
    const parts: Array<UploadedPart & { size: number }> = [];
    let marker: string | undefined;
    try {
      for (;;) {
        const r = await this.s3.send(new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }));
        for (const p of r.Parts ?? []) if (p.PartNumber && p.ETag) parts.push({ partNumber: p.PartNumber, etag: p.ETag, size: p.Size ?? 0 });
        if (!r.IsTruncated) return parts;
        marker = r.NextPartNumberMarker;
      }
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchUpload' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        if ((e as { name?: string }).name === 'NoSuchBucket') throw e;
        return null;
      }
      throw e;
    }
  }

  async completeMultipart(key: string, uploadId: string, parts: readonly UploadedPart[]): Promise<void> {
    await this.s3.send(new CompleteMultipartUploadCommand({
      Bucket: this.bucket, Key: key, UploadId: uploadId,
      MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
    }));
  }

  async abortMultipart(key: string, uploadId: string): Promise<void> {
    await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
  }

  /** Bytes start..endInclusive of an object, as a stream. */
  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${endInclusive}` }));
    return r.Body as Readable;
  }

  /** The same connection on another bucket (a copy made before the bucket setting changed). */
  inBucket(bucket: string): ObjectStoreClient {
    if (bucket === this.bucket) return this;
    const view = Object.create(ObjectStoreClient.prototype) as ObjectStoreClient;
    Object.assign(view, { s3: this.s3, bucket, owner: false });
    return view;
  }

  close(): void {
    if (this.owner) this.s3.destroy();
  }
}
