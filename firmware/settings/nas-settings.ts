/**
 * NAS backup (私人网盘, manual 3.12): four targets, each on or off, over SMB
 * 2/3 or FTP/FTPS, with its address, account, password and directory; the
 * bandwidth the backups may use together, and whether an upload is checked
 * by reading it back (content) or by its size alone.
 */
import { z } from 'zod';

export const NAS_TARGETS = 4;

/** Directory names on the target: no Chinese (the manual's rule), no `..`, no control characters. */
const directory = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9 ._/-]*$/, 'ASCII letters, digits, space, ".", "_", "-" and "/" only (存储目录不能出现中文)')
  .refine((d) => !d.split(/[\\/]/).includes('..'), 'no ".." in the directory')
  .default('');

export const nasTargetSchema = z.object({
  enabled: z.boolean().default(false),
  protocol: z.enum(['smb', 'ftp', 'ftps']).default('smb'),
  /** Host name or IPv4 address of the NAS. */
  host: z.string().max(253).regex(/^[A-Za-z0-9.:_-]*$/, 'a host name or an IP address').default(''),
  /** 0: the protocol's port (445, 21). */
  port: z.number().int().min(0).max(65535).default(0),
  /** SMB share name (the first part of //host/share); unused for FTP. */
  share: z.string().max(80).regex(/^[^\\/\x00-\x1f"]*$/, 'a share name without slashes').default(''),
  account: z.string().max(64).regex(/^[^\x00-\x1f%]*$/, 'no control characters or %').default(''),
  /** Kept in the settings file; never shown by the API. */
  password: z.string().max(128).regex(/^[^\x00-\x1f]*$/, 'no control characters').default(''),
  directory,
  /** Backed up when the daily archive runs (自动备份: 录音归档时自动备份). */
  autoBackup: z.boolean().default(true),
});
export type NasTarget = z.infer<typeof nasTargetSchema>;

export const nasSettingsSchema = z.object({
  targets: z
    .array(nasTargetSchema)
    .max(NAS_TARGETS)
    .default([])
    .transform((t) => Array.from({ length: NAS_TARGETS }, (_, i) => t[i] ?? nasTargetSchema.parse({}))),
  /** Bandwidth the uploads may use together, KiB/s; 0: no limit. */
  bandwidthKBps: z.number().int().min(0).max(1_000_000).default(0),
  /** After an upload, read the file back and compare its SHA-256 (else its size only). */
  verifyContent: z.boolean().default(true),
});
export type NasSettings = z.infer<typeof nasSettingsSchema>;
export const DEFAULT_NAS_SETTINGS: Readonly<NasSettings> = Object.freeze(nasSettingsSchema.parse({}));

/** Rules between fields of a target that is on; a message naming them, or null. */
export function nasTargetRuleBroken(t: NasTarget): string | null {
  if (!t.enabled) return null;
  if (!t.host) return 'host (IP地址) is needed for a target that is on';
  if (t.protocol === 'smb' && !t.share) return 'share is needed for an SMB target';
  if (!t.account) return 'account (登录账号) is needed for a target that is on';
  return null;
}
