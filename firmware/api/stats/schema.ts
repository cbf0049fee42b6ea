import { z } from 'zod';
import { PORT_TYPES } from '../../app/vocabulary.ts';
import { EXPORT_LANGS } from '../../app/export-labels.ts';
import { dateParam } from '../params.ts';
import { statsQuery } from '../storage/schema.ts';

/** A `YYYY-MM` month as a month number (months since January 1970). */
const monthParam = z.string().transform((s, ctx) => {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12 || Number(m[1]) < 1970) {
    ctx.addIssue({ code: 'custom', message: 'not a YYYY-MM month' });
    return z.NEVER;
  }
  return (Number(m[1]) - 1970) * 12 + Number(m[2]) - 1;
});

export const dailyQuery = z.object({ from: dateParam, to: dateParam, portType: z.enum(PORT_TYPES).optional() }).strict();
export const monthlyQuery = z.object({ from: monthParam, to: monthParam, portType: z.enum(PORT_TYPES).optional() }).strict();

/** The statistics page's query, and the language of the headers. */
export const statsExportQuery = z.looseObject({ lang: z.enum(EXPORT_LANGS).default('zh') }).transform((q, ctx) => {
  const { lang, ...rest } = q;
  const r = statsQuery.safeParse(rest);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return { ...r.data, lang };
});
