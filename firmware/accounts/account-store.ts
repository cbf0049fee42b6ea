/**
 * The accounts and web access settings, kept in `accounts.json` in the
 * configuration folder (mode 0600, written atomically, the copy it replaced
 * kept as `accounts.last-good.json`). At first start, or when neither file
 * can be read, the one account is `admin` with the password `admin`, to be
 * changed at the first sign-in. Changes run one at a time, each saved before
 * it counts.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RecorderError } from '../errors.ts';
import { describeZodError } from '../schema-error.ts';
import { removeTempFiles } from '../recording/durable-files.ts';
import { writeFileAtomic } from '../settings/settings-file.ts';
import { accessSettingsSchema, accountsFileSchema, type AccessSettings, type Account, type AccountsFile } from './account-schema.ts';
import { hashPassword } from './password.ts';

export const ACCOUNTS_FILE = 'accounts.json';
export const ACCOUNTS_LAST_GOOD = 'accounts.last-good.json';
export const DEFAULT_ADMIN = 'admin';

export interface AccountsLoadReport {
  source: 'file' | 'last-good' | 'default';
  /** Why the file in force could not be used, when it could not. */
  problem: string | null;
}

type Loaded = { ok: true; data: AccountsFile; text: string } | { ok: false; missing: boolean; reason: string };

async function readAccountsFile(file: string): Promise<Loaded> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, missing, reason: missing ? 'missing' : (e as Error).message };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, missing: false, reason: `not JSON (${(e as Error).message})` };
  }
  const parsed = accountsFileSchema.safeParse(json);
  return parsed.success ? { ok: true, data: parsed.data, text } : { ok: false, missing: false, reason: describeZodError(parsed.error) };
}

const serialise = (data: AccountsFile) => `${JSON.stringify(data, null, 2)}\n`;

export class AccountStore {
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private data: AccountsFile,
    private savedText: string | null,
    readonly loadReport: AccountsLoadReport,
  ) {}

  static async open(dir: string, now: number): Promise<AccountStore> {
    const file = path.join(dir, ACCOUNTS_FILE);
    await removeTempFiles(file);
    await removeTempFiles(path.join(dir, ACCOUNTS_LAST_GOOD));
    const main = await readAccountsFile(file);
    if (main.ok) return new AccountStore(dir, main.data, main.text, { source: 'file', problem: null });
    if (!main.missing) await fs.rename(file, `${file}.damaged`).catch(() => undefined);
    const lastGood = await readAccountsFile(path.join(dir, ACCOUNTS_LAST_GOOD));
    const problem = main.missing ? null : main.reason;
    if (lastGood.ok) {
      const store = new AccountStore(dir, lastGood.data, null, { source: 'last-good', problem });
      await store.save(lastGood.data);
      return store;
    }
    const store = new AccountStore(dir, await defaultAccounts(now), null, { source: 'default', problem });
    await store.save(store.data);
    return store;
  }

  get accounts(): readonly Account[] {
    return this.data.accounts;
  }

  get access(): AccessSettings {
    return this.data.access;
  }

  find(username: string): Account | undefined {
    return this.data.accounts.find((a) => a.username === username);
  }

  /**
   * Changes the file: `change` gets the contents in force and returns the
   * new ones (or throws, changing nothing); they are saved, then in force.
   */
  update<T>(change: (data: AccountsFile) => { next: AccountsFile; value: T }): Promise<T> {
    const run = this.turn.then(async () => {
      const { next, value } = change(this.data);
      const checked = accountsFileSchema.safeParse(next);
      if (!checked.success) throw new RecorderError('BAD_REQUEST', `accounts: ${describeZodError(checked.error)}`);
      await this.save(checked.data);
      return value;
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private async save(next: AccountsFile): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (this.savedText !== null) await writeFileAtomic(path.join(this.dir, ACCOUNTS_LAST_GOOD), this.savedText);
    const text = serialise(next);
    await writeFileAtomic(path.join(this.dir, ACCOUNTS_FILE), text);
    this.savedText = text;
    this.data = next;
  }
}

async function defaultAccounts(now: number): Promise<AccountsFile> {
  return {
    version: 1,
    accounts: [
      {
        username: DEFAULT_ADMIN, role: 'admin', passwordHash: await hashPassword('admin'), subnet: null, enabled: true,
        createdAt: now, expiresAt: null, mustChangePassword: true, lastLoginIp: null, lastLoginAt: null,
      },
    ],
    access: accessSettingsSchema.parse({}),
  };
}
