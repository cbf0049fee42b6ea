/**
 * The device key: an Ed25519 key pair made at the first start and kept in
 * the configuration folder as `device-key.pem` (PKCS#8, mode 0600, written
 * atomically), never on the data disk. It is its own file, so resetting the
 * settings keeps it. Rotation stages the next key as `device-key.next.pem`,
 * the hand-over is appended to the chain, then the next key replaces the
 * current one; a start finds a staged key and finishes or drops the rotation
 * depending on whether the chain names it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../settings/settings-file.ts';
import { generateSigningKey, parsePrivateKeyPem, privateKeyPem, type SigningKey } from './key-material.ts';

export const DEVICE_KEY_FILE = 'device-key.pem';
export const NEXT_KEY_FILE = 'device-key.next.pem';

export interface DeviceKeyLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LoadedDeviceKey {
  key: SigningKey;
  /** Made now: none was there. */
  created: boolean;
  /** The file there could not be read as a key; it was set aside under this name and a new key made. */
  replacedDamaged: string | null;
}

/** The device key, made when there is none; a damaged key file is set aside, not overwritten. */
export async function loadOrCreateDeviceKey(configDir: string, log: DeviceKeyLogger): Promise<LoadedDeviceKey> {
  fs.mkdirSync(configDir, { recursive: true });
  const file = path.join(configDir, DEVICE_KEY_FILE);
  let text: string | null = null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let replacedDamaged: string | null = null;
  if (text !== null) {
    try {
      return { key: parsePrivateKeyPem(text), created: false, replacedDamaged: null };
    } catch (e) {
      replacedDamaged = `${DEVICE_KEY_FILE}.damaged-${Date.now()}`;
      fs.renameSync(file, path.join(configDir, replacedDamaged));
      log.error({ file, keptAs: replacedDamaged, err: (e as Error).message }, 'device key unreadable; set aside, a new key is made');
    }
  }
  const key = generateSigningKey();
  await writeFileAtomic(file, privateKeyPem(key));
  log.info({ fingerprint: key.fingerprint }, 'device key created');
  return { key, created: true, replacedDamaged };
}

/** Writes the next key beside the current one (first step of a rotation). */
export async function stageNextKey(configDir: string): Promise<SigningKey> {
  const key = generateSigningKey();
  await writeFileAtomic(path.join(configDir, NEXT_KEY_FILE), privateKeyPem(key));
  return key;
}

/** The staged next key, if a rotation was cut short; null when none or unreadable. */
export function readStagedKey(configDir: string): SigningKey | null {
  try {
    return parsePrivateKeyPem(fs.readFileSync(path.join(configDir, NEXT_KEY_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** Makes the staged key the device key (last step of a rotation; the old private key is gone). */
export async function promoteStagedKey(configDir: string): Promise<void> {
  fs.renameSync(path.join(configDir, NEXT_KEY_FILE), path.join(configDir, DEVICE_KEY_FILE));
  const dir = fs.openSync(configDir, 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

export function dropStagedKey(configDir: string): void {
  fs.rmSync(path.join(configDir, NEXT_KEY_FILE), { force: true });
}
