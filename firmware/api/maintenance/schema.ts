import { z } from 'zod';

/** The typed confirmation of the dialog (确认, or confirm). */
export const confirmBody = z.object({ confirm: z.string().max(40) }).strict();

/** Formatting is confirmed with the signed-in account's password. */
export const formatDiskBody = z.object({ password: z.string().max(200) }).strict();
