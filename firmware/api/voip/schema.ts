import { z } from 'zod';
import { voipPatchSchema } from '../../app/vocabulary.ts';

export const voipPatch = voipPatchSchema;

const text = z.string().max(64).optional();

/** Who and when of an imported phone recording (the file itself holds only audio). */
export const importQuery = z
  .object({
    startedAt: z.string().max(40).optional().refine((v) => v === undefined || Number.isFinite(Date.parse(v)) || /^\d{10,13}$/.test(v), 'an ISO 8601 time or epoch milliseconds'),
    localNumber: text,
    localName: text,
    remoteNumber: text,
    remoteName: text,
    direction: z.enum(['in', 'out', 'unknown']).default('unknown'),
    device: text,
  })
  .strict();

export function timeOf(v: string | undefined, now: number): number {
  if (v === undefined) return now;
  return /^\d{10,13}$/.test(v) ? Number(v) : Date.parse(v);
}
