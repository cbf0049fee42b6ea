/**
 * Recording search, details and playback (manual 3.9 / 3.10). Every search
 * condition of the manual's page is a query parameter; audio is served with
 * Range support, decrypted on the fly when the file is sealed.
 */
import path from 'node:path';
import type { Router } from '@koa/router';
import { z } from 'zod';
import type { Daemon } from '../daemon.ts';
import { RecorderError, isRecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { presentRecord } from './record-presenter.ts';
import { queryRecords } from '../recording/record-query.ts';
import { openRecordingReader } from '../recording/sealed-file.ts';
import { dayStart, parseDayLabel } from '../recording/local-day.ts';
import type { RecordEntry } from '../recording/record-entry.ts';

/** A moment: ISO 8601 time, or a `YYYY-MM-DD` date (its start, or its end for an upper bound). */
const moment = (end: boolean) =>
  z.string().transform((s, ctx) => {
    const day = parseDayLabel(s);
    if (day !== null) return end ? dayStart(day + 1) - 1 : dayStart(day);
    const t = Date.parse(s);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 time or YYYY-MM-DD date' });
      return z.NEVER;
    }
    return t;
  });

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const recordQuerySchema = z
  .object({
    from: moment(false).optional(),
    to: moment(true).optional(),
    lineNumber: z.string().regex(/^[0-9*#A-D]{1,32}$/).optional(),
    remoteNumber: z.string().regex(/^[0-9*#A-D+%]{1,32}$/, 'digits, * # A-D + and % only').optional(),
    portType: z.enum(['analog', 'e1', 'voip']).optional(),
    channel: z.coerce.number().int().min(0).max(255).optional(),
    callType: z.enum(['incoming-answered', 'incoming-missed', 'outgoing', 'idle']).optional(),
    level: z.enum(['normal', 'important']).optional(),
    minDurationS: z.coerce.number().min(0).optional(),
    maxDurationS: z.coerce.number().min(0).optional(),
    store: z.enum(['today', 'history']).optional(),
    deleted: flag.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(16),
    page: z.coerce.number().int().min(1).optional(),
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

export function recordRoutes(router: Router, daemon: Daemon): void {
  router.get('/records', async (ctx) => {
    const parsed = recordQuerySchema.safeParse(ctx.query);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    const q = parsed.data;
    const offset = q.offset ?? ((q.page ?? 1) - 1) * q.limit;
    const { minDurationS, maxDurationS, page: _page, ...rest } = q;
    const result = await queryRecords(daemon.index, {
      ...rest,
      // 0 as the upper bound means no bound, as on the manual's search page.
      minDurationMs: minDurationS ? minDurationS * 1000 : undefined,
      maxDurationMs: maxDurationS ? maxDurationS * 1000 : undefined,
      offset,
    });
    ctx.body = {
      total: result.total,
      page: Math.floor(offset / q.limit) + 1,
      pages: Math.ceil(result.total / q.limit),
      limit: q.limit,
      items: result.items.map(presentRecord),
    };
  });

  router.get('/records/:id', async (ctx) => {
    ctx.body = presentRecord(await recordOf(daemon, ctx.params.id!));
  });

  router.get('/records/:id/audio', async (ctx) => {
    const entry = await recordOf(daemon, ctx.params.id!);
    if (!entry.file) throw new RecorderError('RECORD_FILE_MISSING', `recording ${entry.id} is a missed call without audio`);
    const file = path.join(daemon.recorder.dataDir, entry.file);
    let reader;
    try {
      reader = await openRecordingReader(file, daemon.storage.finisher.key);
    } catch (e) {
      if (isRecorderError(e)) throw e;
      throw new RecorderError('RECORD_FILE_MISSING', `the file of recording ${entry.id} is missing`);
    }
    const size = reader.size;
    const mp3 = entry.codec === 'mp3';
    ctx.type = mp3 ? 'audio/mpeg' : 'audio/wav';
    ctx.set('Accept-Ranges', 'bytes');
    ctx.attachment(path.basename(entry.file), { type: ctx.query.download === '1' ? 'attachment' : 'inline' });
    const range = parseRange(ctx.get('range'), size);
    if (range === 'invalid') {
      await reader.close();
      ctx.status = 416;
      ctx.set('Content-Range', `bytes */${size}`);
      ctx.body = '';
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${start}-${end}/${size}`);
    }
    ctx.length = end - start + 1;
    const stream = reader.stream(start, end);
    const close = () => void reader.close().catch(() => undefined);
    stream.once('close', close);
    ctx.body = stream;
  });
}

export async function recordOf(daemon: Daemon, id: string): Promise<RecordEntry> {
  const entry = await daemon.index.get(id);
  if (!entry) throw new RecorderError('RECORD_NOT_FOUND', `no recording ${id}`);
  return entry;
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
