/**
 * Edit conflicts on settings pages: a page is read with its revision (in the
 * body and the ETag), and a change may name the revision it was made from,
 * in `If-Match` or as `revision` in the body; the settings service refuses a
 * stale one (409 stale).
 */
import type { Context } from 'koa';
import { z } from 'zod';

export const revisionField = z.string().min(1).max(64);

/** A patch schema that also takes `revision`: `{revision, patch}`. */
export function withRevision<T>(patch: z.ZodType<T>) {
  return z
    .looseObject({ revision: revisionField.optional() })
    .transform(({ revision, ...rest }, ctx) => {
      const r = patch.safeParse(rest);
      if (!r.success) {
        for (const issue of r.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
        return z.NEVER;
      }
      return { revision, patch: r.data };
    });
}

export function sendRevised<T extends object>(ctx: Context, body: T, revision: string): void {
  ctx.set('ETag', `"${revision}"`);
  ctx.body = { ...body, revision };
}

/** The revision a change was made from: If-Match, else the body's, else none (no check). */
export function ifRevisionOf(ctx: Context, fromBody?: string): string | undefined {
  const header = ctx.get('if-match').trim();
  if (header && header !== '*') return header.replace(/^W\//, '').replace(/^"|"$/g, '');
  return fromBody;
}
