/** Temporary journals, random operation entries and a brute-force filter to check queries against. */
import path from 'node:path';
import { Journal, type JournalOptions } from '../../firmware/journal/journal.ts';
import type { OperationInput, OperationRecord } from '../../firmware/journal/operation-entry.ts';
import { OPERATION_ITEMS, OPERATIONS } from '../../firmware/journal/operation-entry.ts';
import { refKey, type ChannelRef } from '../../firmware/ports/channel-ref.ts';
import { tempDir } from '../support/temp-dir.ts';

export const T0 = Date.parse('2026-03-01T00:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function tmpDir(): string {
  return tempDir('journal-');
}

export async function tmpJournal(opts: JournalOptions = {}, dir = tmpDir()): Promise<{ dir: string; journal: Journal }> {
  return { dir, journal: await Journal.open(path.join(dir, 'journal'), opts) };
}

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;

const ACCOUNTS = ['admin', 'operator', 'audit', '张三'];
const IPS = ['192.168.1.10', '192.168.1.11', 'fe80::1', 'console'];
const CHANNELS: ChannelRef[] = [
  { portType: 'analog', port: 0, channel: 3 },
  { portType: 'analog', port: 0, channel: 7 },
  { portType: 'e1', port: 1, channel: 7 },
  { portType: 'voip', port: 0, channel: 8001 },
];
export { ACCOUNTS, CHANNELS };

/** Random entries over `days` days from T0; a few share a millisecond. */
export function randomEntries(n: number, seed: number, days = 10): OperationInput[] {
  const r = rng(seed);
  const out: OperationInput[] = [];
  for (let i = 0; i < n; i++) {
    const time = i > 0 && r() < 0.05 ? out[i - 1]!.time : T0 + Math.floor(r() * days * DAY);
    const user = r() < 0.8;
    out.push({
      time,
      principal: user ? { kind: 'user', account: pick(r, ACCOUNTS), ip: pick(r, IPS) } : { kind: 'system' },
      item: pick(r, OPERATION_ITEMS),
      channel: r() < 0.5 ? pick(r, CHANNELS) : null,
      parameter: r() < 0.5 ? 'recordingEnabled' : null,
      operation: pick(r, OPERATIONS),
      result: r() < 0.85 ? { ok: true } : { ok: false, code: 'LINECARD_TIMEOUT' },
      detail: `entry ${i}`,
    });
  }
  return out;
}

export interface OracleFilter {
  from?: number;
  to?: number;
  account?: string;
  kind?: 'user' | 'system';
  item?: string;
  channel?: ChannelRef;
  operation?: string;
  result?: 'ok' | 'failed';
}

/** Every entry matching the filter, newest first (later writes first within a millisecond). */
export function oracle(entries: readonly OperationInput[], f: OracleFilter): number[] {
  const idx: number[] = [];
  entries.forEach((e, i) => {
    if (f.from !== undefined && e.time < f.from) return;
    if (f.to !== undefined && e.time >= f.to) return;
    if (f.kind && e.principal.kind !== f.kind) return;
    if (f.account !== undefined && (e.principal.kind !== 'user' || e.principal.account !== f.account)) return;
    if (f.item && e.item !== f.item) return;
    if (f.channel && (!e.channel || refKey(e.channel) !== refKey(f.channel))) return;
    if (f.operation && e.operation !== f.operation) return;
    if (f.result && (e.result.ok ? 'ok' : 'failed') !== f.result) return;
    idx.push(i);
  });
  return idx.sort((a, b) => entries[b]!.time - entries[a]!.time || b - a);
}

/** The detail field names the entry in these tests. */
export const indexOf = (r: OperationRecord): number => Number(r.detail.split(' ')[1]);

export const quiet = { info() {}, warn() {}, error() {} };

/** Resolves to the error `fn` rejects with; fails when it resolves. */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
