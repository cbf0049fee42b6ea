/**
 * The box's system configuration, `system.json` in the configuration folder:
 * IP settings, time settings and system settings (系统设置), each checked
 * on its own when loaded (a damaged section falls back to the factory values
 * and is reported), saved atomically, one update at a time.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from './settings-file.ts';
import { FACTORY_NETWORK, networkSettingsSchema, type NetworkSettings } from '../system/network-settings.ts';
import { FACTORY_TIME, timeSettingsSchema, type TimeSettings } from '../system/time-settings.ts';
import { FACTORY_SYSTEM, systemSettingsSchema, type SystemSettings } from '../system/system-settings.ts';

export const SYSTEM_CONFIG_FILE = 'system.json';
/** A network change waiting for confirmation, with the files it replaced. */
export const NETWORK_PENDING_FILE = 'network-pending.json';

const pendingSchema = z.object({
  previousFiles: z.object({ interfaces: z.string().nullable(), resolv: z.string().nullable() }),
  settings: z.unknown(),
});
export type PendingNetwork = z.infer<typeof pendingSchema>;

export interface SystemConfig {
  network: NetworkSettings;
  time: TimeSettings;
  /** `webPort` absent: the port the daemon was started with. */
  system: Omit<SystemSettings, 'webPort'> & { webPort?: number };
}

const fileSchema = z.object({ version: z.literal(1), network: z.unknown().optional(), time: z.unknown().optional(), system: z.unknown().optional() });

export class SystemConfigStore {
  private turn: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private current: SystemConfig,
    /** Sections that were damaged at load, with the reason. */
    readonly problems: string[],
  ) {}

  static async open(configDir: string): Promise<SystemConfigStore> {
    const file = path.join(configDir, SYSTEM_CONFIG_FILE);
    const read = await readJsonFile(file, fileSchema);
    const problems: string[] = [];
    if (!read.ok && !read.missing) problems.push(`system.json: ${read.reason}`);
    const raw = read.ok ? read.value : { version: 1 as const };
    const section = <T>(name: string, value: unknown, schema: z.ZodType<T>, factory: T): T => {
      if (value === undefined) return factory;
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      problems.push(`system.json ${name}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return factory;
    };
    const systemPart = systemSettingsSchema.partial({ webPort: true });
    return new SystemConfigStore(file, {
      network: section('network', raw.network, networkSettingsSchema, structuredClone(FACTORY_NETWORK) as NetworkSettings),
      time: section('time', raw.time, timeSettingsSchema, { ...FACTORY_TIME }),
      system: section('system', raw.system, systemPart, (({ webPort: _, ...rest }) => rest)(FACTORY_SYSTEM)),
    }, problems);
  }

  private get pendingFile(): string {
    return path.join(path.dirname(this.file), NETWORK_PENDING_FILE);
  }

  /** The network change waiting for confirmation, null when none (a damaged file counts as none). */
  async readPendingNetwork(): Promise<PendingNetwork | null> {
    const r = await readJsonFile(this.pendingFile, pendingSchema);
    return r.ok ? r.value : null;
  }

  async savePendingNetwork(p: PendingNetwork): Promise<void> {
    await writeFileAtomic(this.pendingFile, JSON.stringify(p));
  }

  async clearPendingNetwork(): Promise<void> {
    await fs.rm(this.pendingFile, { force: true });
  }

  get config(): Readonly<SystemConfig> {
    return this.current;
  }

  /** Saves `change(config)` durably, then makes it current; updates run one at a time. */
  update<T>(change: (c: SystemConfig) => { next: SystemConfig; value: T } | Promise<{ next: SystemConfig; value: T }>): Promise<T> {
    const run = this.turn.then(async () => {
      const { next, value } = await change(structuredClone(this.current));
      await writeFileAtomic(this.file, `${JSON.stringify({ version: 1, ...next }, null, 2)}\n`);
      this.current = next;
      return value;
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Runs `op` in turn with updates (no save). */
  inTurn<T>(op: () => Promise<T>): Promise<T> {
    const run = this.turn.then(op);
    this.turn = run.catch(() => undefined);
    return run;
  }
}
