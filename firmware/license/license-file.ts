/**
 * The license file (License升级, manual 3.19): what a box may record and
 * which features it may use, bound to the box's serial number and signed
 * with Ed25519. The signature covers the canonical JSON of `license` (keys
 * sorted), so the file may be reformatted but not changed.
 *
 *   {"license": {"format": 1, "id", "serial", "customer", "issuedAt",
 *                "channels": {"analog", "e1", "voip"},
 *                "features": {"cloudPlatform", "cloudSeats", "screenPop", "monitoring", "transcription"}},
 *    "signature": "<base64>"}
 */
import { createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { RecorderError } from '../errors.ts';
import type { TrustedKey } from './signing-keys.ts';

export const MAX_LICENSE_BYTES = 16 * 1024;

export const licenseSchema = z
  .object({
    format: z.literal(1),
    id: z.string().min(1).max(64),
    serial: z.string().min(1).max(64),
    customer: z.string().max(200).default(''),
    issuedAt: z.string().max(40),
    channels: z.object({
      /** 模拟录音: analog lines recorded (路). */
      analog: z.number().int().min(0).max(256),
      /** E1录音: E1 ports recorded; 0 不支持. */
      e1: z.number().int().min(0).max(16),
      /** Voip录音: concurrent VoIP calls recorded; 0 不支持. */
      voip: z.number().int().min(0).max(4096),
    }).strict(),
    features: z.object({
      /** 云平台 */
      cloudPlatform: z.boolean(),
      /** 云座席: seats; 0 不支持. */
      cloudSeats: z.number().int().min(0).max(10000),
      /** 座席弹屏 */
      screenPop: z.boolean(),
      /** 座席监听 (live listening) */
      monitoring: z.boolean(),
      /** 在线/离线转文字 */
      transcription: z.boolean(),
    }).strict(),
  })
  .strict();

export type License = z.infer<typeof licenseSchema>;
export type LicenseFeature = keyof License['features'];

const fileSchema = z.object({ license: z.unknown(), signature: z.string().regex(/^[A-Za-z0-9+/=]+$/) }).strict();

/** JSON with object keys sorted, the bytes the signature covers. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function signLicense(license: License, privateKeyPem: string | KeyObject): string {
  const parsed = licenseSchema.parse(license);
  const key = typeof privateKeyPem === 'string' ? createPrivateKey(privateKeyPem) : privateKeyPem;
  const signature = sign(null, Buffer.from(canonicalJson(parsed)), key).toString('base64');
  return `${JSON.stringify({ license: parsed, signature }, null, 2)}\n`;
}

export interface VerifiedLicense {
  license: License;
  /** Which trusted key signed it. */
  signedBy: TrustedKey['name'];
}

/**
 * Checks a license file for this box: well formed (`license_invalid`),
 * signed by a trusted key (`license_signature`), for this serial
 * (`license_serial`).
 */
export function verifyLicense(text: string, serial: string | null, keys: readonly TrustedKey[]): VerifiedLicense {
  if (Buffer.byteLength(text) > MAX_LICENSE_BYTES) throw new RecorderError('license_invalid', `a license file is at most ${MAX_LICENSE_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RecorderError('license_invalid', 'the license file is not JSON');
  }
  const file = fileSchema.safeParse(json);
  if (!file.success) throw new RecorderError('license_invalid', 'the license file needs "license" and "signature"');
  const parsed = licenseSchema.safeParse(file.data.license);
  if (!parsed.success) throw new RecorderError('license_invalid', `the license is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const signed = Buffer.from(canonicalJson(file.data.license));
  const signature = Buffer.from(file.data.signature, 'base64');
  const by = keys.find((k) => signature.length === 64 && verify(null, signed, k.key, signature));
  if (!by) throw new RecorderError('license_signature', 'the license is not signed by a key this box trusts (forged or altered)');
  if (!serial || parsed.data.serial !== serial) {
    throw new RecorderError('license_serial', `the license is for the box ${parsed.data.serial}, this box is ${serial ?? 'without a serial number'}`);
  }
  return { license: parsed.data, signedBy: by.name };
}
