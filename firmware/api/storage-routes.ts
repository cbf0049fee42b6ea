/**
 * Statistics (录音统计), the data disk (device info: usage, 约可录…小时),
 * archive on demand (录音归档), a maintenance round and formatting the disk.
 */
import type { Router } from '@koa/router';
import { z } from 'zod';
import type { Daemon } from '../daemon.ts';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { readJsonBody } from './json-body.ts';
import { channelStats } from '../recording/stats-query.ts';
import { dayLabel, localDay, parseDayLabel } from '../recording/local-day.ts';

const date = z.string().transform((s, ctx) => {
  const day = parseDayLabel(s);
  if (day === null) {
    ctx.addIssue({ code: 'custom', message: 'not a YYYY-MM-DD date' });
    return z.NEVER;
  }
  return day;
});

const statsSchema = z
  .object({
    from: date,
    to: date,
    portType: z.enum(['analog', 'e1', 'voip']).optional(),
    channel: z.coerce.number().int().min(0).max(255).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from is after to', path: ['from'] });

const formatSchema = z.object({ confirm: z.literal('FORMAT') }).strict();

export function storageRoutes(router: Router, daemon: Daemon): void {
  router.get('/stats', async (ctx) => {
    const parsed = statsSchema.safeParse(ctx.query);
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', describeZodError(parsed.error));
    const q = parsed.data;
    const rows = await channelStats(daemon.index, { fromDay: q.from, toDay: q.to, portType: q.portType, channel: q.channel });
    const total = { incoming: 0, outgoing: 0, missed: 0, recordings: 0, durationMs: 0 };
    for (const r of rows) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
    ctx.body = {
      from: dayLabel(q.from),
      to: dayLabel(q.to),
      items: rows.map((r) => ({ ...r, durationS: Math.round(r.durationMs / 1000) })),
      total: { ...total, durationS: Math.round(total.durationMs / 1000) },
    };
  });

  router.get('/storage', async (ctx) => {
    const s = daemon.storage;
    const r = s.maintenance.report;
    ctx.body = {
      disk: r,
      settings: daemon.config.storage,
      encryption: { enabled: s.finisher.key !== null },
      archive: { running: s.archiver.busy, nextAt: new Date(s.nextArchiveAt).toISOString(), today: dayLabel(localDay(daemon.now())) },
    };
  });

  router.post('/storage/archive', async (ctx) => {
    ctx.body = await daemon.storage.archiveNow();
  });

  router.post('/storage/maintenance', async (ctx) => {
    await daemon.storage.checkDisk();
    ctx.body = daemon.storage.maintenance.report;
  });

  router.post('/storage/format', async (ctx) => {
    const parsed = formatSchema.safeParse(await readJsonBody(ctx));
    if (!parsed.success) throw new RecorderError('BAD_REQUEST', 'formatting erases every recording: send {"confirm":"FORMAT"}');
    await daemon.formatDataDisk();
    ctx.body = { formatted: true };
  });
}
