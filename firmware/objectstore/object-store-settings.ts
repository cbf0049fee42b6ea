/**
 * The object-store archive's settings (对象存储): an S3-compatible endpoint,
 * its bucket and keys, when recordings go up and how long the box keeps its
 * own copy once the store holds a verified one. Kept in
 * `<config>/objectstore.json`, written atomically; the secret key is stored
 * but never shown back (the view says only whether one is set).
 */
import { z } from 'zod';

export const UPLOAD_WHEN = ['finished', 'archived'] as const;
export type UploadWhen = (typeof UPLOAD_WHEN)[number];

export const objectStoreSettingsSchema = z
  .object({
    enabled: z.boolean(),
    /** `https://s3.example.com` or `http://10.0.0.5:7480`; empty: AWS for the region. */
    endpoint: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(256)]),
    region: z.string().min(1).max(64).regex(/^[a-z0-9-]+$/),
    bucket: z.union([z.literal(''), z.string().min(3).max(63).regex(/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/, 'lower-case letters, digits, dots and hyphens')]),
    accessKeyId: z.string().max(128),
    secretAccessKey: z.string().max(256),
    /** Path-style addressing (`endpoint/bucket/key`), which MinIO and Ceph usually need. */
    pathStyle: z.boolean(),
    /** Prepended to every key, e.g. `recorders/`; empty for none. */
    prefix: z.string().max(128).regex(/^([A-Za-z0-9._-]+\/)*$/, 'folders ending with /'),
    /** When a recording goes up: as soon as it is finished, or when the daily archive has moved it to history. */
    uploadWhen: z.enum(UPLOAD_WHEN),
    /** Days the box keeps a recording once the store holds a verified copy; null keeps it until disk maintenance removes it. */
    keepLocalDays: z.number().int().min(0).max(3650).nullable(),
    /** Files this large (MiB) or larger go up in parts. */
    multipartMiB: z.number().int().min(5).max(1024),
    /** The queue is behind (alarm) when its oldest recording has waited this many minutes. */
    behindMinutes: z.number().int().min(1).max(10080),
  })
  .strict();

export type ObjectStoreSettings = z.infer<typeof objectStoreSettingsSchema>;

export const DEFAULT_OBJECT_STORE_SETTINGS: ObjectStoreSettings = {
  enabled: false,
  endpoint: '',
  region: 'us-east-1',
  bucket: '',
  accessKeyId: '',
  secretAccessKey: '',
  pathStyle: true,
  prefix: '',
  uploadWhen: 'finished',
  keepLocalDays: null,
  multipartMiB: 16,
  behindMinutes: 60,
};

/** A change: any field; the secret left out (or empty with `keepSecret`) stays as it is. */
export const objectStorePatchSchema = objectStoreSettingsSchema.partial().strict();
export type ObjectStorePatch = z.infer<typeof objectStorePatchSchema>;

/** The settings as shown: everything but the secret, which is only said to be set or not. */
export type ObjectStoreSettingsView = Omit<ObjectStoreSettings, 'secretAccessKey'> & { secretSet: boolean };

export function viewOf(s: ObjectStoreSettings): ObjectStoreSettingsView {
  const { secretAccessKey, ...rest } = s;
  return { ...rest, secretSet: secretAccessKey.length > 0 };
}

/** What an enabled store still lacks, or null when it can be used. */
export function missingForUse(s: ObjectStoreSettings): string | null {
  if (!s.enabled) return null;
  if (!s.bucket) return 'a bucket';
  if (!s.accessKeyId || !s.secretAccessKey) return 'an access key and its secret';
  return null;
}
