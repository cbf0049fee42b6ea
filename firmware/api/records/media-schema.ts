import { z } from 'zod';
import { EXPORT_LANGS } from '../../app/export-labels.ts';
import { MAX_ZIP_RECORDS } from '../../app/download-service.ts';
import { DEFAULT_PEAK_POINTS, MAX_PEAK_POINTS } from '../../app/playback-service.ts';
import { recordQuery } from './schema.ts';

/** `points`: how many spans; more than the box computes is clamped, not refused. */
export const peaksQuery = z
  .object({ points: z.coerce.number().int('a whole number').min(1).default(DEFAULT_PEAK_POINTS).transform((n) => Math.min(n, MAX_PEAK_POINTS)) })
  .strict();

export const zipBody = z
  .object({ ids: z.array(z.string().min(1).max(64)).min(1, 'name at least one recording').max(MAX_ZIP_RECORDS, `at most ${MAX_ZIP_RECORDS} recordings in one download`) })
  .strict();

/** The search page's query (paging is accepted and ignored: the whole search is exported). */
export const exportQuery = recordQuery.extend({ lang: z.enum(EXPORT_LANGS).default('zh') }).strict();
