import { MAX_CHANNEL, MAX_PORT, PORT_TYPES } from '../../app/vocabulary.ts';
import { z } from 'zod';
import { dateParam } from '../params.ts';

export const statsQuery = z
  .object({
    from: dateParam,
    to: dateParam,
    portType: z.enum(PORT_TYPES).optional(),
    port: z.coerce.number().int().min(0).max(MAX_PORT).optional(),
    channel: z.coerce.number().int().min(0).max(MAX_CHANNEL).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'from is after to', path: ['from'] });

