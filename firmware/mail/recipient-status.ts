/**
 * The last send to each recipient (接收邮箱 … 最近一次发送状态): when, what
 * (test or alarm mail), whether the server took it and its answer. Kept in
 * `<config>/mail-status.json` so it survives a restart; a failed write only
 * costs the history.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../settings/settings-file.ts';
import type { RecipientResult } from './smtp-sender.ts';

export const MAIL_STATUS_FILE = 'mail-status.json';

const statusSchema = z.object({
  at: z.number(),
  kind: z.enum(['test', 'alarm']),
  ok: z.boolean(),
  detail: z.string(),
});
export type RecipientStatus = z.infer<typeof statusSchema>;
const fileSchema = z.record(z.string(), statusSchema);

export class RecipientStatusBook {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly byAddress: Map<string, RecipientStatus>,
    private readonly onWriteError: (e: Error) => void,
  ) {}

  static async open(configDir: string, onWriteError: (e: Error) => void): Promise<RecipientStatusBook> {
    const file = path.join(configDir, MAIL_STATUS_FILE);
    const map = new Map<string, RecipientStatus>();
    try {
      const parsed = fileSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      if (parsed.success) for (const [k, v] of Object.entries(parsed.data)) map.set(k, v);
    } catch {
      /* none yet, or unreadable: start empty */
    }
    return new RecipientStatusBook(file, map, onWriteError);
  }

  of(address: string): RecipientStatus | null {
    return this.byAddress.get(address.toLowerCase()) ?? null;
  }

  record(kind: RecipientStatus['kind'], at: number, results: readonly RecipientResult[], keep: readonly string[]): void {
    for (const r of results) this.byAddress.set(r.address.toLowerCase(), { at, kind, ok: r.ok, detail: r.detail });
    // Only the recipients configured now are remembered.
    const wanted = new Set(keep.map((a) => a.toLowerCase()));
    for (const k of this.byAddress.keys()) if (!wanted.has(k)) this.byAddress.delete(k);
    const text = `${JSON.stringify(Object.fromEntries(this.byAddress), null, 2)}\n`;
    // Writes follow one another, so the file ends with the latest statuses.
    this.writing = this.writing.then(() => writeFileAtomic(this.file, text)).catch((e: unknown) => this.onWriteError(e as Error));
  }

  /** Resolves once the statuses recorded so far are on disk (or their write has failed and been reported). */
  flushed(): Promise<void> {
    return this.writing;
  }
}
