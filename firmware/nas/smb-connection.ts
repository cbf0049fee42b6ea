/**
 * A NAS target over SMB 2/3 with Samba's `smbclient` (the image ships it;
 * no Node library speaks SMB 3 reliably). Each step is one smbclient run
 * through the host's shell, with the credentials in a private file (never
 * on the command line). The bandwidth limit paces whole files: after a file
 * of N bytes, the next one waits until N bytes at the limit would have taken.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Shell } from '../host/host.ts';
import type { NasTarget } from '../settings/nas-settings.ts';
import { NasError, parentChain, type NasConnection } from './nas-connection.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Slowest transfer assumed when sizing a step's timeout: 64 KiB/s. */
const SLOWEST_BPS = 64 * 1024;

/** The NasError an smbclient run's output and exit code mean; null when it succeeded. */
export function smbFailure(code: number, output: string): NasError | null {
  const statuses = [...output.matchAll(/NT_STATUS_[A-Z_]+/g)].map((m) => m[0]);
  const status = statuses[statuses.length - 1] ?? null;
  if (code === 0 && !status) return null;
  const text = output.trim().split('\n').filter(Boolean).slice(-2).join(' ').slice(0, 300) || `smbclient exit ${code}`;
  if (code === 124) return new NasError('unreachable', `timed out: ${text}`);
  if (status === null) return code === 0 ? null : new NasError(code === 127 ? 'protocol' : 'unreachable', text);
  if (/LOGON_FAILURE|WRONG_PASSWORD|ACCOUNT_(DISABLED|LOCKED_OUT|RESTRICTION)|PASSWORD_EXPIRED|NO_SUCH_USER/.test(status)) return new NasError('auth', text);
  if (/session setup failed|tree connect failed/.test(output) && status === 'NT_STATUS_ACCESS_DENIED') return new NasError('auth', text);
  if (/CONNECTION_REFUSED|HOST_UNREACHABLE|NETWORK_UNREACHABLE|IO_TIMEOUT|CONNECTION_(RESET|DISCONNECTED|ABORTED)|PIPE_BROKEN|INVALID_NETWORK_RESPONSE|NOT_FOUND$|BAD_NETWORK_PATH|UNSUCCESSFUL/.test(status)) {
    return new NasError('unreachable', text);
  }
  if (/DISK_FULL|QUOTA_EXCEEDED/.test(status)) return new NasError('full', text);
  if (/ACCESS_DENIED|BAD_NETWORK_NAME|MEDIA_WRITE_PROTECTED/.test(status)) return new NasError('denied', text);
  if (code === 0) return null; // a step that failed before the last one (an existing folder) is not an error
  return new NasError('protocol', text);
}

const quote = (p: string) => `"${p}"`;

export async function openSmb(target: NasTarget, shell: Shell, limiter: RateLimiter, scratchDir: string, slot: number): Promise<NasConnection> {
  fs.mkdirSync(scratchDir, { recursive: true, mode: 0o700 });
  const authFile = path.join(scratchDir, `smb-auth-${slot}`);
  fs.writeFileSync(authFile, `username = ${target.account}\npassword = ${target.password}\n`, { mode: 0o600 });
  const base = target.directory.split('/').filter(Boolean).join('/');
  const rel = (p: string) => [base, p].filter(Boolean).join('/');
  const args = (commands: string) => [
    `//${target.host}/${target.share}`, '-A', authFile, '-p', String(target.port || 445),
    '-m', 'SMB3', '--option=client min protocol=SMB2', '-c', commands,
  ];
  const run = async (commands: string, timeoutMs = 60_000): Promise<string> => {
    const r = await shell.run('smbclient', args(commands), { timeoutMs });
    const output = `${r.stdout}\n${r.stderr}`;
    const failure = smbFailure(r.code, output);
    if (failure) throw failure;
    return output;
  };
  const close = async () => fs.rmSync(authFile, { force: true });
  try {
    await run('ls');
  } catch (e) {
    await close();
    throw e;
  }
  const made = new Set<string>();
  return {
    async ensureDir(dir) {
      const chain = parentChain(rel(dir)).filter((d) => !made.has(d));
      if (!chain.length) return;
      // mkdir of a folder that exists reports a collision and the run goes on; `cd` at the end shows it is there.
      await run([...chain.map((d) => `mkdir ${quote(d)}`), `cd ${quote(chain[chain.length - 1]!)}`].join('; '));
      for (const d of chain) made.add(d);
    },
    async size(file) {
      const r = await shell.run('smbclient', args(`allinfo ${quote(rel(file))}`), { timeoutMs: 60_000 });
      const output = `${r.stdout}\n${r.stderr}`;
      if (/OBJECT_NAME_NOT_FOUND|NO_SUCH_FILE|OBJECT_PATH_NOT_FOUND/.test(output)) return null;
      const failure = smbFailure(r.code, output);
      if (failure) throw failure;
      const m = /stream: \[::\$DATA\], (\d+) bytes/.exec(output);
      if (!m) throw new NasError('protocol', `no size in smbclient's answer for ${file}`);
      return Number(m[1]);
    },
    async upload(local, file, sizeBytes) {
      await run(`put ${quote(local)} ${quote(rel(file))}`, Math.ceil(60_000 + (sizeBytes / SLOWEST_BPS) * 1000));
      // Whole-file pacing: the bucket is charged what went, so the next file waits its turn.
      await limiter.take(sizeBytes);
    },
    async sha256(file) {
      const tmp = path.join(scratchDir, `readback-${slot}-${process.pid}`);
      try {
        await run(`get ${quote(rel(file))} ${quote(tmp)}`, 120_000);
        const hash = createHash('sha256');
        for await (const chunk of fs.createReadStream(tmp)) hash.update(chunk as Buffer);
        return hash.digest('hex');
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    },
    replace: async (from, to) => void (await run(`rename ${quote(rel(from))} ${quote(rel(to))} -f`)),
    async remove(file) {
      const r = await shell.run('smbclient', args(`del ${quote(rel(file))}`), { timeoutMs: 60_000 });
      const output = `${r.stdout}\n${r.stderr}`;
      if (/OBJECT_NAME_NOT_FOUND|NO_SUCH_FILE|OBJECT_PATH_NOT_FOUND/.test(output)) return;
      const failure = smbFailure(r.code, output);
      if (failure) throw failure;
    },
    close,
  };
}
