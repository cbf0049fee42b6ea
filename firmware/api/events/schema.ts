import { z } from 'zod';
import { BOX_EVENT_TYPES, type BoxEventType } from '../../app/vocabulary.ts';
import { channelRefParam } from '../params.ts';

/** `types=channel.state,recording.started` (all when absent), `channel=7` or `e1-1-16`. */
export const eventsQuery = z
  .object({
    types: z
      .string()
      .transform((s, ctx): BoxEventType[] => {
        const list = s.split(',').map((t) => t.trim()).filter(Boolean);
        const bad = list.filter((t) => !BOX_EVENT_TYPES.includes(t as BoxEventType));
        if (bad.length) {
          ctx.addIssue({ code: 'custom', message: `unknown event type ${bad.join(', ')}; one of ${BOX_EVENT_TYPES.join(', ')}` });
          return z.NEVER;
        }
        return list as BoxEventType[];
      })
      .optional(),
    channel: channelRefParam.optional(),
  })
  .strict();
