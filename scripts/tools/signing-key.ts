/**
 * The private key a tool signs with: the release key from the environment
 * (`<NAME>` holding the PEM, or `<NAME>_FILE` naming a file), else the
 * development key in keys/dev/ (trusted only by boxes not set to release keys only).
 */
import fs from 'node:fs';
import path from 'node:path';

export function signingKey(envName: string, devFile: string): { pem: string; name: 'release' | 'dev' } {
  const pem = process.env[envName] ?? (process.env[`${envName}_FILE`] ? fs.readFileSync(process.env[`${envName}_FILE`]!, 'utf8') : null);
  if (pem) return { pem, name: 'release' };
  const root = path.resolve(import.meta.dirname, '..', '..');
  process.stderr.write(`signing with the development key keys/dev/${devFile} (set ${envName} for a release)\n`);
  return { pem: fs.readFileSync(path.join(root, 'keys', 'dev', devFile), 'utf8'), name: 'dev' };
}
