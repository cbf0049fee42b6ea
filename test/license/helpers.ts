/** License files for tests, signed with the development key in keys/dev/ (or another key, to forge one). */
import fs from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { signLicense, type License } from '../../firmware/license/license-file.ts';

export const DEV_LICENSE_KEY = fs.readFileSync(path.resolve(import.meta.dirname, '../../keys/dev/license-signing.dev.key.pem'), 'utf8');
export const SIM_SERIAL = 'SIM-0000000001';

export function licenseFor(serial: string, channels: Partial<License['channels']> = {}, features: Partial<License['features']> = {}): License {
  return {
    format: 1, id: 'L-TEST-1', serial, customer: 'Test customer', issuedAt: '2026-11-20T00:00:00Z',
    channels: { analog: 8, e1: 0, voip: 0, ...channels },
    features: { cloudPlatform: false, cloudSeats: 0, screenPop: false, monitoring: false, transcription: false, ...features },
  };
}

export function signedLicense(license: License, key: string = DEV_LICENSE_KEY): string {
  return signLicense(license, key);
}

export function foreignKey(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}
