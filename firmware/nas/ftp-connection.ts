/**
 * A NAS target over FTP or FTPS (explicit TLS, AUTH TLS) with basic-ftp.
 * Paths are relative to the account's login folder joined with the
 * target's directory. Replies map to `NasError` kinds: 530 wrong
 * credentials, 452/552 full, 550/553 refused; socket errors unreachable.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { Client, FTPError } from 'basic-ftp';
import type { NasTarget } from '../settings/nas-settings.ts';
import { NasError, type NasConnection } from './nas-connection.ts';
import type { RateLimiter } from './rate-limiter.ts';

const TIMEOUT_MS = 30_000;

export function ftpError(e: unknown): NasError {
  if (e instanceof NasError) return e;
  if (e instanceof FTPError) {
    const code = e.code;
    if (code === 530) return new NasError('auth', `FTP ${code}: ${e.message}`);
    if (code === 452 || code === 552) return new NasError('full', `FTP ${code}: ${e.message}`);
    if (code === 550 || code === 553 || code === 532) return new NasError('denied', `FTP ${code}: ${e.message}`);
    return new NasError('protocol', `FTP ${code}: ${e.message}`);
  }
  const err = e as NodeJS.ErrnoException;
  const text = err?.message ?? String(e);
  if (/ENOSPC/.test(text)) return new NasError('full', text);
  return new NasError('unreachable', text);
}

export async function openFtp(target: NasTarget, limiter: RateLimiter): Promise<NasConnection> {
  const client = new Client(TIMEOUT_MS);
  try {
    await client.access({
      host: target.host,
      port: target.port || 21,
      user: target.account,
      password: target.password,
      secure: target.protocol === 'ftps',
      // NAS boxes carry self-signed certificates; the session is encrypted, the peer is the address configured.
      secureOptions: { rejectUnauthorized: false },
    });
  } catch (e) {
    client.close();
    throw ftpError(e);
  }
  const home = (await client.pwd().catch(() => '/')).replace(/\/+$/, '');
  const base = [home, ...target.directory.split('/').filter(Boolean)].join('/');
  const abs = (p: string) => `${base}/${p}`.replace(/\/+/g, '/');
  const run = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (e) {
      throw ftpError(e);
    }
  };
  return {
    ensureDir: (dir) =>
      run(async () => {
        await client.ensureDir(abs(dir));
        await client.cd('/');
      }),
    async size(file) {
      try {
        return await client.size(abs(file));
      } catch (e) {
        if (e instanceof FTPError && e.code === 550) return null;
        throw ftpError(e);
      }
    },
    upload: (local, file) =>
      run(async () => {
        const source = fs.createReadStream(local).pipe(limiter.pace());
        await client.uploadFrom(source, abs(file));
      }),
    sha256: (file) =>
      run(async () => {
        const hash = createHash('sha256');
        await client.downloadTo(new Writable({ write: (c: Buffer, _e, done) => (hash.update(c), done()) }), abs(file));
        return hash.digest('hex');
      }),
    replace: (from, to) =>
      run(async () => {
        await client.remove(abs(to), true);
        await client.rename(abs(from), abs(to));
      }),
    remove: (file) => run(async () => void (await client.remove(abs(file), true))),
    close: async () => client.close(),
  };
}

