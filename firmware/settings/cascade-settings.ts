/**
 * Work mode (工作模式, manual 3.13): one box alone, the master of a cascade
 * (its search, statistics and playback cover its slaves' recordings; the
 * files stay on each box), or a slave that registers with its master. The
 * boxes of a cascade share a secret that signs every request between them.
 */
import { z } from 'zod';

const url = z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(200)]);

export const cascadeSettingsSchema = z.object({
  mode: z.enum(['standalone', 'master', 'slave']).default('standalone'),
  /** The box's name in the cascade; empty: its serial number. Letters, digits, `.`, `_`, `-`. */
  boxId: z.union([z.literal(''), z.string().max(40).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"')]).default(''),
  /** Shared secret of the cascade (at least 16 characters); never shown by the API. */
  secret: z.string().max(128).default(''),
  /** Slave: the master's URL, e.g. http://192.168.123.100. */
  masterUrl: url.default(''),
  /** Slave: its own URL as the master reaches it. */
  advertisedUrl: url.default(''),
});
export type CascadeSettings = z.infer<typeof cascadeSettingsSchema>;
export const DEFAULT_CASCADE_SETTINGS: Readonly<CascadeSettings> = Object.freeze(cascadeSettingsSchema.parse({}));

export function cascadeRuleBroken(c: CascadeSettings): string | null {
  if (c.mode === 'standalone') return null;
  if (c.secret.length < 16) return 'secret (the cascade\'s shared secret) needs at least 16 characters';
  if (c.mode === 'slave' && (!c.masterUrl || !c.advertisedUrl)) return 'a slave needs masterUrl and advertisedUrl';
  return null;
}
