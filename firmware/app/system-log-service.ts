/**
 * System logs (系统日志, manual 3.21): saved bundles (the log files' tails
 * and a status snapshot) listed, saved on demand, downloaded, deleted; the
 * box saves one by itself on a fault (logs/fault-saves.ts). `tail` reads
 * the running log's last lines (the console's `log tail`).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { RecorderError } from '../errors.ts';
import type { SavedLog, SavedLogs } from '../logs/saved-logs.ts';
import type { Auditor } from './audit.ts';
import { SYSTEM, type Principal } from './principal.ts';

export type { SavedLog };

export interface SavedLogList {
  items: SavedLog[];
  totalBytes: number;
  budgetBytes: number;
  maxFiles: number;
}

export interface LogLine {
  time: number | null;
  level: string;
  msg: string;
  /** The line as written, when it is not one of the logger's JSON lines. */
  raw?: string;
  /** Other fields of the line. */
  fields?: Record<string, unknown>;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
export const RUNNING_LOG = 'recorder.log';

export class SystemLogService {
  constructor(
    private readonly deps: {
      logs: SavedLogs;
      logDir: string;
      /** What the bundle's status.json holds. */
      snapshot: (reason: string) => Promise<unknown>;
      /** More files of the bundle (the kernel log …). */
      texts?: () => Promise<Record<string, string>>;
      audit: Auditor;
      now: () => number;
    },
  ) {}

  async list(): Promise<SavedLogList> {
    const items = await this.deps.logs.list();
    const { budgetBytes, maxFiles } = this.deps.logs.limits;
    return { items, totalBytes: items.reduce((n, i) => n + i.sizeBytes, 0), budgetBytes, maxFiles };
  }

  /** 保存日志: a bundle now. */
  save(principal: Principal): Promise<SavedLog> {
    return this.deps.audit.run(principal, { item: 'system', operation: 'save', parameter: 'log' }, () => this.write('manual'), (s) => s.name);
  }

  /** A bundle saved by the box itself (a fault; after an unclean stop); logged as the system's. */
  saveForFault(reason: string): Promise<SavedLog> {
    return this.deps.audit.run(SYSTEM, { item: 'system', operation: 'save', parameter: 'log', detail: reason }, () => this.write(reason), (s) => `${s.name} (${reason})`);
  }

  /** A saved bundle to download. */
  async open(name: string): Promise<{ name: string; sizeBytes: number; stream: Readable }> {
    const found = await this.deps.logs.find(name);
    if (!found) throw new RecorderError('LOG_NOT_FOUND', `no saved log named ${JSON.stringify(name.slice(0, 80))}`);
    return { name, sizeBytes: found.sizeBytes, stream: fs.createReadStream(found.file) };
  }

  async remove(principal: Principal, name: string): Promise<void> {
    await this.deps.audit.run(principal, { item: 'system', operation: 'delete', parameter: 'log', detail: name.slice(0, 80) }, async () => {
      if (!(await this.deps.logs.remove(name))) throw new RecorderError('LOG_NOT_FOUND', `no saved log named ${JSON.stringify(name.slice(0, 80))}`);
    });
  }

  /** The running log's last `lines` lines (at most 1000), oldest first. */
  async tail(lines = 50): Promise<LogLine[]> {
    const n = Math.max(1, Math.min(1000, Math.floor(lines)));
    const file = path.join(this.deps.logDir, RUNNING_LOG);
    let h: fsp.FileHandle;
    try {
      h = await fsp.open(file, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await h.stat();
      const length = Math.min(size, n * 1024);
      const buf = Buffer.alloc(length);
      await h.read(buf, 0, length, size - length);
      const text = buf.toString('utf8').split('\n').filter(Boolean);
      if (length < size) text.shift(); // cut in the middle
      return text.slice(-n).map(parseLine);
    } finally {
      await h.close();
    }
  }

  private async write(reason: string): Promise<SavedLog> {
    const at = this.deps.now();
    const [snapshot, texts] = await Promise.all([this.deps.snapshot(reason), this.deps.texts?.() ?? Promise.resolve({})]);
    try {
      return await this.deps.logs.save(reason, at, { snapshot, texts });
    } catch (e) {
      throw new RecorderError('LOG_SAVE_FAILED', `the system log could not be saved: ${(e as Error).message}`);
    }
  }
}

function parseLine(raw: string): LogLine {
  try {
    const j = JSON.parse(raw) as Record<string, unknown>;
    const { time, level, msg, pid: _pid, hostname: _h, app: _a, ...fields } = j;
    return {
      time: typeof time === 'number' ? time : null,
      level: typeof level === 'number' ? (LEVELS[level] ?? String(level)) : String(level ?? ''),
      msg: typeof msg === 'string' ? msg : '',
      ...(Object.keys(fields).length ? { fields } : {}),
    };
  } catch {
    return { time: null, level: '', msg: raw, raw };
  }
}
