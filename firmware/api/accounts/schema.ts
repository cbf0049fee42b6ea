import { z } from 'zod';
import { ROLES, accessSettingsSchema, cidrSchema, usernameSchema, MAX_VALID_HOURS } from '../../app/vocabulary.ts';

const accountFields = {
  password: z.string().max(256),
  role: z.enum(ROLES),
  /** 网段限定: sign in only from `subnet`. */
  subnetLimit: z.boolean().optional(),
  subnet: cidrSchema.nullable().optional(),
  /** 使用时间 of a temporary account, in hours from now. */
  validHours: z.number().int().min(1).max(MAX_VALID_HOURS).optional(),
  mustChangePassword: z.boolean().optional(),
};

export const accountCreate = z.object({ username: usernameSchema, ...accountFields }).strict();

export const accountPatch = z
  .object({ ...accountFields, password: accountFields.password.optional(), role: accountFields.role.optional(), enabled: z.boolean().optional() })
  .strict();

export const accountPath = z.object({ username: usernameSchema });

export const accessBody = accessSettingsSchema;
