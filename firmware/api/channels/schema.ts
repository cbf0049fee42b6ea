import { z } from 'zod';
import { channelRefParam } from '../params.ts';

export const channelPath = z.object({ ref: channelRefParam });

export const forcedBody = z.object({ on: z.boolean() }).strict();
