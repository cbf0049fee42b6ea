/**
 * Public keys the box trusts for license files and upgrade packages. The
 * development keys (their private halves are in the repository under
 * `keys/dev/`, clearly not secret) are trusted unless the box runs with
 * `RECORDER_RELEASE_ONLY=1`; release public keys come from the environment
 * (`RECORDER_LICENSE_PUBLIC_KEY`, `RECORDER_PACKAGE_PUBLIC_KEY`: PEM text),
 * whose private halves never enter the repository.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

export const DEV_LICENSE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEA22LST0AwuTqmk9FjEgGRWEcgoDhIQvne8826T2uRkXQ=
-----END PUBLIC KEY-----
`;

export const DEV_PACKAGE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAqTINcl53T8yu/kMzZiWhf2h8zZj87/bbIg+q/6kjdVc=
-----END PUBLIC KEY-----
`;

export interface TrustedKey {
  /** `dev` or `release`: shown with what it signed. */
  name: 'dev' | 'release';
  key: KeyObject;
}

export type KeyPurpose = 'license' | 'package';

export function trustedKeys(purpose: KeyPurpose, env: NodeJS.ProcessEnv = process.env): TrustedKey[] {
  const keys: TrustedKey[] = [];
  const release = purpose === 'license' ? env.RECORDER_LICENSE_PUBLIC_KEY : env.RECORDER_PACKAGE_PUBLIC_KEY;
  if (release) keys.push({ name: 'release', key: createPublicKey(release) });
  if (env.RECORDER_RELEASE_ONLY !== '1') {
    keys.push({ name: 'dev', key: createPublicKey(purpose === 'license' ? DEV_LICENSE_PUBLIC_KEY : DEV_PACKAGE_PUBLIC_KEY) });
  }
  return keys;
}
