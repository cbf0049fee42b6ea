/**
 * Signing in: one scrypt password check (the cost of every sign-in and of a
 * wrong password), a whole sign-in through the services (check, session,
 * operation log, last-address save), and resolving a session token (done on
 * every request). Medians of AUTH_BENCH_RUNS (default 20) runs.
 *
 *   node --import tsx bench/auth.bench.ts
 *
 * Prints `BENCH <name> <value> <unit>` lines.
 */
import { performance } from 'node:perf_hooks';
import { hashPassword, verifyPassword } from '../firmware/accounts/password.ts';
import { authFixture, LAN, withAccounts } from '../test/accounts/helpers.ts';

const RUNS = Math.max(3, Number(process.env.AUTH_BENCH_RUNS ?? 20) || 20);
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return median(times);
}

const hash = await hashPassword('Passw0rd-x');
console.log(`BENCH auth_password_check ${(await timed(() => verifyPassword('Passw0rd-x', hash))).toFixed(1)} ms`);

const f = await authFixture();
await withAccounts(f);
console.log(`BENCH auth_sign_in ${(await timed(async () => (await f.auth.login({ username: 'super', password: 'Passw0rd-x', ip: LAN })).token)).toFixed(1)} ms`);
const { token } = await f.auth.login({ username: 'super', password: 'Passw0rd-x', ip: LAN });
const N = 100_000;
const t = performance.now();
for (let i = 0; i < N; i++) f.auth.resolveSession(token, LAN);
console.log(`BENCH auth_resolve_session ${(((performance.now() - t) / N) * 1000).toFixed(2)} us`);
await f.close();
