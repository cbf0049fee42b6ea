import { z } from 'zod';
import { cascadePatchSchema, peerSearchSchema, peerStatsQuerySchema } from '../../app/cascade-service.ts';

export const cascadePatch = cascadePatchSchema;

/** `q`: the search or statistics query as JSON. */
const jsonParam = <T>(schema: z.ZodType<T>) =>
  z.object({
    q: z
      .string()
      .max(4000)
      .transform((v, ctx) => {
        try {
          return JSON.parse(v) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'q must be JSON' });
          return z.NEVER;
        }
      })
      .pipe(schema),
  });

export const peerSearchQuery = jsonParam(peerSearchSchema);
export const peerStatsQuery = jsonParam(peerStatsQuerySchema);
export const registerQuery = z.object({ box: z.string().min(1).max(40), url: z.string().min(1).max(200) });
export const boxPath = z.object({ box: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/) });
export const boxRecordPath = z.object({ box: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/), id: z.string().min(1).max(64) });
