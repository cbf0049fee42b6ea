import { z } from 'zod';

export const versionParams = z.object({ version: z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'a version is x.y.z') }).strict();

/** Activating or rolling back to an older version needs `confirmDowngrade`. */
export const switchBody = z.object({ confirmDowngrade: z.boolean().default(false) }).strict();
