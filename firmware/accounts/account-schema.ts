/**
 * The accounts file's contents: the accounts (账号参数表) and the web
 * access settings (multi-user operation, automatic sign-out, 账号抢登 and
 * the allowed address ranges, WEB允许访问权限配置).
 */
import { z } from 'zod';
import { parseCidr, parseIp } from './ip-address.ts';
import { ROLES } from './roles.ts';

export const MAX_ACCOUNTS = 64;
export const MAX_ALLOW_RANGES = 8;
/** 使用时间 of a temporary account, in hours (manual: up to 65535). */
export const MAX_VALID_HOURS = 65535;

export const usernameSchema = z
  .string()
  .regex(/^[\p{L}\p{N}_.@-]{1,32}$/u, 'a user name has 1 to 32 letters, digits or _ . @ -');

export const cidrSchema = z.string().max(64).refine((s) => parseCidr(s) !== null, 'not a subnet such as 192.168.1.0/24');
export const ipSchema = z.string().max(64).refine((s) => parseIp(s) !== null, 'not an IP address');

export const accountSchema = z.object({
  username: usernameSchema,
  role: z.enum(ROLES),
  passwordHash: z.string().min(1).max(512),
  /** 网段限定: the account signs in only from this subnet; null when any address may. */
  subnet: cidrSchema.nullable().default(null),
  enabled: z.boolean().default(true),
  createdAt: z.number().int().nonnegative(),
  /** A temporary account's end of validity; null for the others. */
  expiresAt: z.number().int().nonnegative().nullable().default(null),
  mustChangePassword: z.boolean().default(false),
  /** 登录IP: where the account last signed in from. */
  lastLoginIp: z.string().max(64).nullable().default(null),
  lastLoginAt: z.number().int().nonnegative().nullable().default(null),
});
export type Account = z.infer<typeof accountSchema>;

export const LOGIN_CONFLICTS = ['replace', 'refuse'] as const;
export type LoginConflict = (typeof LOGIN_CONFLICTS)[number];

export const allowRangeSchema = z
  .object({ from: ipSchema, to: ipSchema })
  .strict()
  .refine(({ from, to }) => {
    const a = parseIp(from)!;
    const b = parseIp(to)!;
    return a.family === b.family && a.value <= b.value;
  }, 'a range runs from a lower to a higher address of the same family');

export const accessSettingsSchema = z
  .object({
    /** WEB界面同时多人操作: different accounts signed in at once. */
    multiUser: z.boolean().default(false),
    /** Sign a session out after this many minutes without a request. */
    idleLogoutMinutes: z.number().int().min(1).max(1440).default(30),
    /** 账号抢登: a second sign-in of the same account ends the first (`replace`) or is refused (`refuse`). */
    loginConflict: z.enum(LOGIN_CONFLICTS).default('replace'),
    /** WEB允许访问权限配置: when enabled with ranges, only these addresses reach the web interface (loopback always does). */
    allowList: z
      .object({ enabled: z.boolean().default(false), ranges: z.array(allowRangeSchema).max(MAX_ALLOW_RANGES).default([]) })
      .strict()
      .default({ enabled: false, ranges: [] }),
  })
  .strict();
export type AccessSettings = z.infer<typeof accessSettingsSchema>;

export const accountsFileSchema = z.object({
  version: z.literal(1),
  accounts: z.array(accountSchema).max(MAX_ACCOUNTS),
  access: accessSettingsSchema.default(() => accessSettingsSchema.parse({})),
});
export type AccountsFile = z.infer<typeof accountsFileSchema>;
