import { z } from 'zod';
import { e1PortPatchSchema } from '../../app/vocabulary.ts';

export const e1PortPath = z.object({ port: z.coerce.number().int().min(0).max(63) });

export const e1PortPatch = e1PortPatchSchema;
