import { z } from 'zod';
import { NAS_TARGETS, nasPatchSchema, nasTargetPatchSchema } from '../../app/nas-service.ts';

export const nasPatch = nasPatchSchema;
export const nasTargetPatch = nasTargetPatchSchema;

export const slotPath = z.object({ slot: z.coerce.number().int().min(0).max(NAS_TARGETS - 1) });

const time = z
  .string()
  .max(40)
  .refine((v) => Number.isFinite(Date.parse(v)), 'an ISO 8601 time')
  .transform((v) => Date.parse(v));

/** 手动备份: the start times of the recordings to copy. */
export const backupBody = z.strictObject({ from: time, to: time });

export const runsQuery = z.object({
  slot: z.coerce.number().int().min(0).max(NAS_TARGETS - 1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
