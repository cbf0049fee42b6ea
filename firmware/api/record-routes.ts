import fs from 'node:fs';
import path from 'node:path';
import type { Router } from '@koa/router';
import { z } from 'zod';
import type { Daemon } from '../daemon.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { presentRecord } from './record-presenter.ts';

const isoTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not an ISO 8601 time')
  .transform((s) => Date.parse(s));

const recordQuerySchema = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  channel: z.coerce.number().int().min(0).max(255).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(16),
  offset: z.coerce.number().int().min(0).default(0),
});

export function recordRoutes(router: Router, daemon: Daemon): void {
  router.get('/records', async (ctx) => {
    const parsed = recordQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    const { total, items } = await daemon.index.query(parsed.data);
    ctx.body = { total, items: items.map(presentRecord) };
  });

  router.get('/records/:id', async (ctx) => {
    const entry = await daemon.index.get(ctx.params.id!);
    if (!entry) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${ctx.params.id}`);
    ctx.body = presentRecord(entry);
  });

  router.get('/records/:id/audio', async (ctx) => {
    const entry = await daemon.index.get(ctx.params.id!);
    if (!entry) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${ctx.params.id}`);
    if (!entry.file) throw new RecorderError('RECORD_FILE_MISSING', `recording ${entry.id} is a missed call without audio`);
    const file = path.join(daemon.recorder.dataDir, entry.file);
    let size: number;
    try {
      size = (await fs.promises.stat(file)).size;
    } catch {
      throw new RecorderError('RECORD_FILE_MISSING', `the file of recording ${entry.id} is missing`);
    }
    ctx.type = 'audio/wav';
    ctx.set('Accept-Ranges', 'bytes');
    ctx.attachment(`${entry.id}.wav`, { type: 'inline' });
    const range = parseRange(ctx.get('range'), size);
    if (range === 'invalid') {
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${size}`);
      ctx.body = '';
      return;
    }
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      ctx.length = range.end - range.start + 1;
      ctx.body = fs.createReadStream(file, range);
    } else {
      ctx.length = size;
      ctx.body = fs.createReadStream(file);
    }
  });
}

/** A single `bytes=a-b` range (what browsers' audio players send); null when absent. */
function parseRange(header: string, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}
