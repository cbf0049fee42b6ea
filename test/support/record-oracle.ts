/**
 * Random recordings and searches, and a brute-force filter that answers any
 * search: the reference the index's search engine is checked against.
 */
import * as assert from 'uvu/assert';
import path from 'node:path';
import { RecordIndex } from '../../firmware/recording/record-index.ts';
import { queryRecords, parseNumberPattern, type RecordQuery } from '../../firmware/recording/record-query.ts';
import { recordId, withEntryDefaults, type RecordEntry } from '../../firmware/recording/record-entry.ts';
import { recordingFile } from '../../firmware/recording/recording-paths.ts';
import { dayStart, localDay } from '../../firmware/recording/local-day.ts';
import type { CallDirection, CallType } from '../../firmware/calls/call-types.ts';
import type { ChannelRef, PortType } from '../../firmware/ports/channel-ref.ts';
import { tempDir } from './temp-dir.ts';

export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export const START = Date.parse('2026-06-01T00:00:00Z');
export const DAYS = 92;
const NUMBERS = ['13800138000', '13812345678', '13955880001', '5588', '55881234', '02188776655', '0755123', '', '', '8001'];
export const TYPES: CallType[] = ['incoming-answered', 'incoming-missed', 'outgoing', 'idle'];
const DIRECTIONS: CallDirection[] = ['incoming', 'outgoing', 'internal', 'unknown'];

/**
 * Channel references: analog lines 0..11; with `wide`, E1 timeslots on
 * trunks 0..2 and VoIP extensions (8001, 8002, 300) on ports 0..1, which
 * format 3 could not hold.
 */
function pickRef(r: () => number, wide: boolean): ChannelRef {
  const x = r();
  if (x < 0.7) return { portType: 'analog', port: 0, channel: Math.floor(r() * 12) };
  if (x < 0.85) return { portType: 'e1', port: wide ? Math.floor(r() * 3) : 0, channel: 1 + Math.floor(r() * 11) };
  if (!wide) return { portType: 'voip', port: 0, channel: Math.floor(r() * 12) };
  return { portType: 'voip', port: Math.floor(r() * 2), channel: [8001, 8002, 300, 7][Math.floor(r() * 4)]! };
}

export function makeEntries(n: number, seed: number, wide = true): RecordEntry[] {
  const r = rng(seed);
  const out = new Map<string, RecordEntry>();
  while (out.size < n) {
    const startedAt = START + Math.floor(r() * DAYS * 86_400_000);
    const ref = pickRef(r, wide);
    const { channel } = ref;
    const callType = TYPES[Math.floor(r() * 4)]!;
    const part = callType === 'incoming-missed' ? 0 : r() < 0.9 ? 1 : 2;
    const id = recordId(startedAt, ref, part === 0 ? 'm' : part);
    const file = part === 0 ? null : recordingFile(startedAt, ref, id, r() < 0.5, r() < 0.3 ? 'mp3' : 'alaw');
    const extra = wide && ref.portType !== 'analog'
      ? { localName: r() < 0.5 ? '前台' : 'Trunk A', direction: DIRECTIONS[Math.floor(r() * 4)]!, participants: r() < 0.3 ? 'alice;bob;carol' : '', stereo: r() < 0.5 }
      : {};
    out.set(id, withEntryDefaults({
      id,
      callId: r() < 0.9 ? `${channel}-${startedAt - (part === 2 ? 1_800_000 : 0)}` : `sip-${Math.floor(r() * 1e9)}`,
      part,
      channel,
      portType: ref.portType,
      port: ref.port,
      lineNumber: String(8000 + (channel % 12) + (r() < 0.05 ? 100 : 0)),
      remoteNumber: NUMBERS[Math.floor(r() * NUMBERS.length)]! + (r() < 0.3 ? String(Math.floor(r() * 100)) : ''),
      callerName: r() < 0.1 ? '张三' : '',
      callType,
      startedAt,
      durationMs: Math.floor(r() * 600_000),
      startMode: r() < 0.9 ? 'voltage' : 'signalling',
      stopMode: part === 0 ? null : r() < 0.9 ? 'hangup' : 'superseded',
      level: r() < 0.1 ? 'important' : 'normal',
      file,
      sizeBytes: file ? Math.floor(r() * 1e6) : 0,
      codec: file ? (file.endsWith('.mp3') ? 'mp3' : 'alaw') : null,
      archived: file ? file.startsWith('history') : r() < 0.5,
      sealed: r() < 0.2,
      sha256: file ? Buffer.from(Array.from({ length: 32 }, () => Math.floor(r() * 256))).toString('hex') : null,
      deleted: r() < 0.05,
      ...extra,
    }));
  }
  return [...out.values()];
}

function like(pattern: string, n: string): boolean {
  const p = parseNumberPattern(pattern);
  if ('re' in p) return p.re.test(n);
  return p.kind === 'exact' ? n === p.text : n.startsWith(p.text);
}

/** Newest first with ties ordered by port type, port, channel, part, like the index keys. */
function keyOrder(e: RecordEntry): string {
  const type = { analog: 0, e1: 1, voip: 2 }[e.portType];
  return `${String(e.startedAt).padStart(13, '0')}${type}${String(e.port).padStart(2, '0')}${String(e.channel).padStart(5, '0')}${String(e.part).padStart(3, '0')}`;
}

export function oracle(all: RecordEntry[], q: RecordQuery): { total: number; ids: string[] } {
  const hits = all
    .filter((e) => e.deleted === !!q.deleted)
    .filter((e) => (q.from === undefined || e.startedAt >= q.from) && (q.to === undefined || e.startedAt <= q.to))
    .filter((e) => q.lineNumber === undefined || e.lineNumber === q.lineNumber)
    .filter((e) => q.remoteNumber === undefined || like(q.remoteNumber, e.remoteNumber))
    .filter((e) => q.portType === undefined || e.portType === q.portType)
    .filter((e) => q.port === undefined || e.port === q.port)
    .filter((e) => q.channel === undefined || e.channel === q.channel)
    .filter((e) => q.callType === undefined || e.callType === q.callType)
    .filter((e) => q.level === undefined || e.level === q.level)
    .filter((e) => q.minDurationMs === undefined || e.durationMs >= q.minDurationMs)
    .filter((e) => q.maxDurationMs === undefined || e.durationMs <= q.maxDurationMs)
    .filter((e) => q.store === undefined || e.archived === (q.store === 'history'))
    .sort((a, b) => (keyOrder(a) < keyOrder(b) ? 1 : keyOrder(a) > keyOrder(b) ? -1 : 0));
  return { total: hits.length, ids: hits.slice(q.offset, q.offset + q.limit).map((e) => e.id) };
}

export function randomQuery(r: () => number): RecordQuery {
  const q: RecordQuery = { limit: [1, 5, 16, 50][Math.floor(r() * 4)]!, offset: r() < 0.7 ? 0 : Math.floor(r() * 200) };
  const span = r();
  if (span < 0.3) {
    const day = localDay(START) + Math.floor(r() * DAYS);
    q.from = dayStart(day);
    q.to = dayStart(day + 1 + Math.floor(r() * 3)) - 1;
  } else if (span < 0.6) {
    q.from = START + Math.floor(r() * DAYS * 86_400_000);
    q.to = q.from + Math.floor(r() * 40 * 86_400_000);
  } else if (span < 0.7) q.from = START + Math.floor(r() * DAYS * 86_400_000);
  const pick = () => r() < 0.25;
  if (pick()) q.channel = r() < 0.7 ? Math.floor(r() * 12) : [8001, 8002, 300, 16][Math.floor(r() * 4)]!;
  if (pick()) q.portType = (['analog', 'e1', 'voip'] as PortType[])[Math.floor(r() * 3)]!;
  if (r() < 0.12) q.port = Math.floor(r() * 3);
  if (pick()) q.callType = TYPES[Math.floor(r() * 4)]!;
  if (r() < 0.15) q.level = r() < 0.5 ? 'important' : 'normal';
  if (r() < 0.1) q.lineNumber = String(8000 + Math.floor(r() * 12));
  if (r() < 0.3) q.remoteNumber = ['5588%', '138%', '13800138000', '%5588%', '0755%', '8001', '1%3', '13955880001%', '5588'][Math.floor(r() * 9)]!;
  if (r() < 0.1) q.minDurationMs = Math.floor(r() * 300_000);
  if (r() < 0.1) q.maxDurationMs = Math.floor(r() * 600_000);
  if (r() < 0.1) q.store = r() < 0.5 ? 'today' : 'history';
  if (r() < 0.05) q.deleted = true;
  return q;
}

export async function fixture(entries: RecordEntry[]): Promise<RecordIndex> {
  const index = new RecordIndex(path.join(tempDir('query-'), 'index'));
  await index.open();
  for (let i = 0; i < entries.length; i += 500) await index.putMany(entries.slice(i, i + 500));
  return index;
}

/** The engine's answer equals the oracle's: total, ids and order of the page; returns the plan. */
export async function compare(index: RecordIndex, all: RecordEntry[], q: RecordQuery, label: string): Promise<string> {
  const want = oracle(all, q);
  const got = await queryRecords(index, q);
  assert.is(got.total, want.total, `${label} total ${JSON.stringify(q)} (${got.plan})`);
  assert.equal(got.items.map((e) => e.id), want.ids, `${label} page ${JSON.stringify(q)} (${got.plan})`);
  return got.plan;
}
