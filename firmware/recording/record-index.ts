/**
 * The recording index in LevelDB. Each entry is stored once under `r!<id>`;
 * `t!<time>!<id>` and `c!<channel>!<time>!<id>` keys order it by start time,
 * overall and per channel, so a page of the newest recordings reads only the
 * keys it returns plus a key-only count.
 */
import { ClassicLevel } from 'classic-level';
import type { RecordEntry } from './record-entry.ts';

export interface RecordQuery {
  from?: number;
  to?: number;
  channel?: number;
  limit: number;
  offset: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const timeKey = (e: Pick<RecordEntry, 'startedAt' | 'id'>) => `t!${pad(e.startedAt, 13)}!${e.id}`;
const channelKey = (e: Pick<RecordEntry, 'startedAt' | 'id' | 'channel'>) => `c!${pad(e.channel, 3)}!${pad(e.startedAt, 13)}!${e.id}`;

export class RecordIndex {
  private readonly db: ClassicLevel<string, string>;

  constructor(location: string) {
    this.db = new ClassicLevel<string, string>(location, { valueEncoding: 'utf8' });
  }

  async open(): Promise<void> {
    await this.db.open();
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /** Inserts or replaces an entry (idempotent: safe to repeat after a crash). */
  async put(entry: RecordEntry): Promise<void> {
    const old = await this.get(entry.id);
    const batch = this.db.batch();
    if (old && old.startedAt !== entry.startedAt) batch.del(timeKey(old)).del(channelKey(old));
    batch.put(`r!${entry.id}`, JSON.stringify(entry)).put(timeKey(entry), '').put(channelKey(entry), '');
    await batch.write();
  }

  async get(id: string): Promise<RecordEntry | null> {
    const value = await this.db.get(`r!${id}`);
    return value === undefined ? null : (JSON.parse(value) as RecordEntry);
  }

  async delete(id: string): Promise<void> {
    const old = await this.get(id);
    if (!old) return;
    await this.db.batch().del(`r!${id}`).del(timeKey(old)).del(channelKey(old)).write();
  }

  /** Newest first, with the total number of matches. */
  async query(q: RecordQuery): Promise<{ total: number; items: RecordEntry[] }> {
    const from = pad(q.from ?? 0, 13);
    const to = pad(q.to ?? 9_999_999_999_999, 13);
    const prefix = q.channel === undefined ? 't!' : `c!${pad(q.channel, 3)}!`;
    const ids: string[] = [];
    let total = 0;
    for await (const key of this.db.keys({ gte: `${prefix}${from}`, lte: `${prefix}${to}~`, reverse: true })) {
      if (total >= q.offset && ids.length < q.limit) ids.push(key.slice(key.lastIndexOf('!') + 1));
      total++;
    }
    const values = ids.length ? await this.db.getMany(ids.map((id) => `r!${id}`)) : [];
    const items = values.filter((v): v is string => v !== undefined).map((v) => JSON.parse(v) as RecordEntry);
    return { total, items };
  }

}
