/** Looking into a test bucket: its objects, their bytes, the multipart uploads left open. */
import { createHash } from 'node:crypto';
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, ListPartsCommand, S3Client,
} from '@aws-sdk/client-s3';
import type { CephGateway } from './ceph-rgw.ts';

export class BucketInspector {
  readonly s3: S3Client;

  constructor(readonly gw: CephGateway, readonly bucket: string) {
    this.s3 = new S3Client({
      endpoint: gw.endpoint, region: gw.region, forcePathStyle: true, maxAttempts: 1,
      credentials: { accessKeyId: gw.accessKey, secretAccessKey: gw.secretKey },
      requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
      // The gateway creates its pools on the first request: give that one time.
      requestHandler: { requestTimeout: 120_000 },
    });
  }

  async create(): Promise<void> {
    await this.s3.send(new CreateBucketCommand({ Bucket: this.bucket }));
  }

  async keys(): Promise<Array<{ key: string; size: number }>> {
    const out: Array<{ key: string; size: number }> = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, ContinuationToken: token }));
      for (const o of r.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async bytes(key: string): Promise<Buffer> {
    const r = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  }

  async sha256(key: string): Promise<string> {
    return createHash('sha256').update(await this.bytes(key)).digest('hex');
  }

  async metadata(key: string): Promise<Record<string, string>> {
    return (await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).Metadata ?? {};
  }

  async openUploads(): Promise<Array<{ key: string; uploadId: string }>> {
    const r = await this.s3.send(new ListMultipartUploadsCommand({ Bucket: this.bucket }));
    return (r.Uploads ?? []).map((u) => ({ key: u.Key!, uploadId: u.UploadId! }));
  }

  async partCount(key: string, uploadId: string): Promise<number> {
    const r = await this.s3.send(new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    return r.Parts?.length ?? 0;
  }

  close(): void {
    this.s3.destroy();
  }
}
