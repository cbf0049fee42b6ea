/**
 * Saved system logs (系统日志, manual 3.21): each a zip in `<log dir>/saved/`
 * named `YYYYMMDDHHMMSS_<reason>.zip` (box time), holding the tail of every
 * log file of the log folder and a status snapshot (`status.json`). Saved
 * on demand or by the box on a fault; the folder is kept within a size
 * budget and a file count by deleting the oldest bundles (the newest is
 * always kept). A bundle is written beside its final name and renamed, so a
 * power loss never leaves half a bundle in the list.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export const SAVED_DIR = 'saved';
const NAME = /^(\d{14})_([a-z0-9-]{1,40})(?:-(\d{1,3}))?\.zip$/;

export interface SavedLog {
  name: string;
  sizeBytes: number;
  /** When it was saved (from its name, box time). */
  createdAt: number;
  /** `manual`, or the alarm or event that saved it (`linecard-down`, `restart-after-fault` …). */
  reason: string;
}

export interface SavedLogLimits {
  /** All bundles together stay within this many bytes. */
  budgetBytes: number;
  /** At most this many bundles. */
  maxFiles: number;
  /** At most this many bytes of each log file go into a bundle (its end). */
  tailBytes: number;
}

export const DEFAULT_SAVED_LOG_LIMITS: Readonly<SavedLogLimits> = Object.freeze({ budgetBytes: 32 * 1024 * 1024, maxFiles: 50, tailBytes: 4 * 1024 * 1024 });

export interface BundleExtras {
  /** Written as status.json. */
  snapshot: unknown;
  /** More text files (name → contents), e.g. the kernel log. */
  texts?: Record<string, string>;
}

export class SavedLogs {
  readonly dir: string;

  constructor(
    private readonly logDir: string,
    readonly limits: SavedLogLimits = DEFAULT_SAVED_LOG_LIMITS,
  ) {
    this.dir = path.join(logDir, SAVED_DIR);
  }

  static isName(name: string): boolean {
    return NAME.test(name);
  }

  /** Newest first. */
  async list(): Promise<SavedLog[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: SavedLog[] = [];
    for (const name of names) {
      const m = NAME.exec(name);
      if (!m) continue;
      const st = await fsp.stat(path.join(this.dir, name)).catch(() => null);
      if (!st?.isFile()) continue;
      out.push({ name, sizeBytes: st.size, createdAt: parseStamp(m[1]!), reason: m[2]! });
    }
    return out.sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
  }

  /** Writes a bundle of the log files' tails and `extras`, then keeps the folder within its limits. */
  async save(reason: string, at: number, extras: BundleExtras): Promise<SavedLog> {
    if (!/^[a-z0-9-]{1,40}$/.test(reason)) throw new Error(`not a reason: ${reason}`);
    await fsp.mkdir(this.dir, { recursive: true });
    const stamp = formatStamp(at);
    let name = `${stamp}_${reason}.zip`;
    for (let i = 2; fs.existsSync(path.join(this.dir, name)); i++) name = `${stamp}_${reason}-${i}.zip`;
    const file = path.join(this.dir, name);
    const tmp = `${file}.tmp`;
    const zip = new yazl.ZipFile();
    const mtime = new Date(at);
    zip.addBuffer(Buffer.from(`${JSON.stringify(extras.snapshot, null, 2)}\n`), 'status.json', { mtime });
    for (const [n, text] of Object.entries(extras.texts ?? {})) zip.addBuffer(Buffer.from(text), n, { mtime });
    for (const log of await this.logFiles()) {
      const tail = await readTail(path.join(this.logDir, log), this.limits.tailBytes);
      if (tail) zip.addBuffer(tail, `logs/${log}`, { mtime });
    }
    zip.end();
    try {
      await pipeline(zip.outputStream, fs.createWriteStream(tmp, { mode: 0o600 }));
      await fsp.rename(tmp, file);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
    await this.keepWithinLimits();
    const st = await fsp.stat(file);
    return { name, sizeBytes: st.size, createdAt: parseStamp(stamp), reason };
  }

  /** The bundle's path, or null when there is none of that name. */
  async find(name: string): Promise<{ file: string; sizeBytes: number } | null> {
    if (!SavedLogs.isName(name)) return null;
    const file = path.join(this.dir, name);
    const st = await fsp.stat(file).catch(() => null);
    return st?.isFile() ? { file, sizeBytes: st.size } : null;
  }

  /** False when there was none of that name. */
  async remove(name: string): Promise<boolean> {
    const found = await this.find(name);
    if (!found) return false;
    await fsp.rm(found.file, { force: true });
    return true;
  }

  /** Deletes the oldest bundles past the budget or the count; the newest stays whatever its size. */
  async keepWithinLimits(): Promise<string[]> {
    const all = await this.list();
    const removed: string[] = [];
    let total = 0;
    for (const [i, s] of all.entries()) {
      total += s.sizeBytes;
      if (i === 0) continue;
      if (total > this.limits.budgetBytes || i >= this.limits.maxFiles) {
        await fsp.rm(path.join(this.dir, s.name), { force: true });
        removed.push(s.name);
        total -= s.sizeBytes;
      }
    }
    return removed;
  }

  /** The log folder's files (recorder.log, its rotated copies, other *.log). */
  private async logFiles(): Promise<string[]> {
    const names = await fsp.readdir(this.logDir).catch(() => [] as string[]);
    return names.filter((n) => /\.log(\.\d+)?$/.test(n)).sort();
  }
}

async function readTail(file: string, max: number): Promise<Buffer | null> {
  let h: fsp.FileHandle;
  try {
    h = await fsp.open(file, 'r');
  } catch {
    return null;
  }
  try {
    const { size } = await h.stat();
    const length = Math.min(size, max);
    const buf = Buffer.alloc(length);
    const { bytesRead } = await h.read(buf, 0, length, size - length);
    let out = buf.subarray(0, bytesRead);
    // Start at a whole line when cut.
    if (size > max) {
      const nl = out.indexOf(10);
      if (nl >= 0) out = out.subarray(nl + 1);
    }
    return out;
  } finally {
    await h.close();
  }
}

function formatStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function parseStamp(s: string): number {
  const n = (a: number, b: number) => Number(s.slice(a, b));
  return new Date(n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14)).getTime();
}
