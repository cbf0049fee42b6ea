import { z } from 'zod';

export const loginBody = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().max(256),
    /** An API client: the answer carries the token for `Authorization: Bearer`, and no cookies are set. */
    bearer: z.boolean().optional(),
  })
  .strict();

export const passwordBody = z.object({ oldPassword: z.string().max(256), newPassword: z.string().max(256) }).strict();
