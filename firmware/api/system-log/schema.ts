import { z } from 'zod';

/** A saved log's file name as listed (`20261120090000_manual.zip`). */
export const logPath = z.object({ name: z.string().min(1).max(80).regex(/^[0-9A-Za-z_.-]+$/, 'a saved log file name') });

export const tailQuery = z.object({ lines: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
