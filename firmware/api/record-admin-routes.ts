/**
 * Changes to recordings: level (普通 / 重要), delete and restore, purge of the
 * deleted (清空已删除录音), and signature checks of the file on disk or of a
 * file a user uploads (录音验证).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Router } from '@koa/router';
import { z } from 'zod';
import type { Daemon } from '../daemon.ts';
import { RecorderError, isRecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { readJsonBody } from './json-body.ts';
import { presentRecord } from './record-presenter.ts';
import { recordOf } from './record-routes.ts';
import { signatureOf } from '../recording/file-signature.ts';

const changeSchema = z.object({ level: z.enum(['normal', 'important']) }).strict();
/** Largest upload checked against a signature: a 2-hour PCM recording. */
const MAX_VERIFY_UPLOAD = 256 * 1024 * 1024;

export function recordAdminRoutes(router: Router, daemon: Daemon): void {
  const store = daemon.storage.store;

  router.patch('/records/:id', async (ctx) => {
    const parsed = changeSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    ctx.body = presentRecord(await store.setLevel(ctx.params.id!, parsed.data.level));
  });

  router.delete('/records/:id', async (ctx) => {
    ctx.body = presentRecord(await store.markDeleted(ctx.params.id!, true));
  });

  router.post('/records/:id/restore', async (ctx) => {
    ctx.body = presentRecord(await store.markDeleted(ctx.params.id!, false));
  });

  router.post('/records/purge-deleted', async (ctx) => {
    ctx.body = { purged: await store.purgeDeleted() };
  });

  /** Whether the file on disk still matches the signature taken when it was finished. */
  router.get('/records/:id/verify', async (ctx) => {
    const e = await recordOf(daemon, ctx.params.id!);
    if (!e.file || !e.sha256) throw new RecorderError('BAD_REQUEST', `recording ${e.id} has no signed file`);
    let actual: string;
    try {
      actual = await signatureOf(path.join(daemon.recorder.dataDir, e.file), daemon.storage.finisher.key);
    } catch (err) {
      // A sealed file that fails authentication has been altered: that is the answer, not an error.
      if (isRecorderError(err) && (err.code === 'SEALED_FILE_DAMAGED' || err.code === 'SEALED_FILE_TRUNCATED')) {
        ctx.body = { id: e.id, match: false, expected: e.sha256, actual: null, reason: err.code };
        return;
      }
      if (isRecorderError(err) && err.code !== 'RECORD_FILE_MISSING') throw err;
      throw new RecorderError('RECORD_FILE_MISSING', `the file of recording ${e.id} is missing`);
    }
    ctx.body = { id: e.id, match: actual === e.sha256, expected: e.sha256, actual };
  });

  /** Whether an uploaded file (the request body) is this recording, unaltered. */
  router.post('/records/:id/verify', async (ctx) => {
    const e = await recordOf(daemon, ctx.params.id!);
    if (!e.sha256) throw new RecorderError('BAD_REQUEST', `recording ${e.id} has no signature`);
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_VERIFY_UPLOAD) throw new RecorderError('BAD_REQUEST', `the upload is larger than ${MAX_VERIFY_UPLOAD} bytes`);
      hash.update(chunk as Buffer);
    }
    if (size === 0) throw new RecorderError('BAD_REQUEST', 'send the file to check as the request body');
    const actual = hash.digest('hex');
    ctx.body = { id: e.id, match: actual === e.sha256, expected: e.sha256, actual, sizeBytes: size };
  });
}
