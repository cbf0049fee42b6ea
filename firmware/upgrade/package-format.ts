/**
 * The field upgrade package (系统升级, manual 3.22), one file:
 *
 *   "RDXPKG1\n"                      8 bytes
 *   manifest length (u32 BE), manifest (UTF-8 JSON)
 *   signature length (u32 BE), Ed25519 signature of the manifest bytes
 *   payload: gzip of the files' bytes one after the other, in manifest order
 *
 * The manifest names the version, the board models it fits, the oldest
 * version it may upgrade from, the payload's length and SHA-256, and every
 * file's path, length, SHA-256 and mode; so the signature covers every byte.
 */
import { z } from 'zod';

export const PACKAGE_MAGIC = Buffer.from('RDXPKG1\n');
export const MAX_MANIFEST_BYTES = 1 << 20;
export const SIGNATURE_BYTES = 64;
export const PACKAGE_PRODUCT = 'rdx-recorder';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
export const versionText = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'a version is x.y.z or x.y.z-suffix');
const safePath = z
  .string()
  .min(1)
  .max(400)
  .refine((p) => !p.startsWith('/') && !p.split('/').some((s) => s === '..' || s === '.' || s === ''), 'a relative path inside the package');

export const manifestSchema = z
  .object({
    format: z.literal(1),
    product: z.literal(PACKAGE_PRODUCT),
    version: versionText,
    boards: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1),
    /** The CPU architecture of the native modules (node's process.arch: arm64, arm, x64); absent for pure JavaScript. */
    arch: z.enum(['arm64', 'arm', 'x64']).optional(),
    minFromVersion: versionText,
    createdAt: z.string().max(40),
    commit: z.string().max(64).optional(),
    payload: z.object({ bytes: z.number().int().min(0), sha256: sha256Hex }).strict(),
    files: z
      .array(z.object({ path: safePath, bytes: z.number().int().min(0), sha256: sha256Hex, mode: z.number().int().min(0).max(0o777) }).strict())
      .min(1)
      .refine((fs) => new Set(fs.map((f) => f.path)).size === fs.length, 'file paths are unique'),
  })
  .strict();

export type PackageManifest = z.infer<typeof manifestSchema>;

/** Bytes before the payload. */
export function headerBytes(manifestBytes: number): number {
  return PACKAGE_MAGIC.length + 4 + manifestBytes + 4 + SIGNATURE_BYTES;
}

export function encodeHeader(manifest: Buffer, signature: Buffer): Buffer {
  const lenM = Buffer.alloc(4);
  lenM.writeUInt32BE(manifest.length);
  const lenS = Buffer.alloc(4);
  lenS.writeUInt32BE(signature.length);
  return Buffer.concat([PACKAGE_MAGIC, lenM, manifest, lenS, signature]);
}

/** -1, 0, 1: numeric x.y.z, and a suffixed version before the plain one. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core, ...rest] = v.split('-');
    return { nums: (core ?? '').split('.').map((n) => Number(n) || 0), pre: rest.join('-') };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (!x.pre) return 1;
  if (!y.pre) return -1;
  return x.pre < y.pre ? -1 : 1;
}
