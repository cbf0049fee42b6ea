import { z } from 'zod';
import { mailPatchSchema } from '../../app/mail-service.ts';

export { mailPatchSchema };

export const testMailBody = z
  .object({
    /** 发送测试内容: the text of the test mail; the box's default when left out. */
    text: z.string().max(4000).optional(),
  })
  .strict();
