/**
 * Ed25519 keys of custody statements: the raw 32-byte public key, its
 * fingerprint (SHA-256 of the raw key, 64 hex digits; shown grouped by four),
 * PEM forms, signing and checking. No file access: the device key's files are
 * in device-key.ts, so the offline verifier uses this alone.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface PublicKeyInfo {
  /** Raw 32-byte key. */
  raw: Buffer;
  /** SHA-256 of the raw key, 64 lower-case hex digits. */
  fingerprint: string;
  key: KeyObject;
}

export interface SigningKey extends PublicKeyInfo {
  privateKey: KeyObject;
}

export function fingerprintOf(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex');
}

/** `ab12 cd34 …`: a fingerprint as people read it aloud or compare it. */
export function groupedFingerprint(fingerprint: string): string {
  return fingerprint.match(/.{1,4}/g)!.join(' ');
}

export function publicKeyFromRaw(raw: Uint8Array): PublicKeyInfo {
  if (raw.length !== 32) throw new Error(`an Ed25519 public key is 32 bytes, not ${raw.length}`);
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  return { raw: Buffer.from(raw), fingerprint: fingerprintOf(raw), key };
}

function rawOf(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** A public key from PEM text (SPKI, or a private key's PKCS#8 from which the public key follows). */
export function parsePublicKeyPem(text: string): PublicKeyInfo {
  let key: KeyObject;
  try {
    key = /PRIVATE KEY/.test(text) ? createPublicKey(createPrivateKey(text)) : createPublicKey(text);
  } catch (e) {
    throw new Error(`not a PEM public key (${(e as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
  const raw = rawOf(key);
  return { raw, fingerprint: fingerprintOf(raw), key };
}

export function parsePrivateKeyPem(text: string): SigningKey {
  const privateKey = createPrivateKey(text);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the key is ${privateKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
  const raw = rawOf(createPublicKey(privateKey));
  return { raw, fingerprint: fingerprintOf(raw), key: createPublicKey(privateKey), privateKey };
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = rawOf(publicKey);
  return { raw, fingerprint: fingerprintOf(raw), key: publicKey, privateKey };
}

export function privateKeyPem(k: SigningKey): string {
  return k.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function publicKeyPem(k: PublicKeyInfo): string {
  return k.key.export({ format: 'pem', type: 'spki' }).toString();
}

export function signBytes(k: SigningKey, data: Uint8Array): Buffer {
  return sign(null, data, k.privateKey);
}

export function verifyBytes(k: PublicKeyInfo, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return signature.length === 64 && verify(null, data, k.key, signature);
  } catch {
    return false;
  }
}
