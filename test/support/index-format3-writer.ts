/**
 * Writes an index in format 3 (the format before channel references), as a
 * box running the previous firmware left it: primary keys `t|d <time:6>
 * <port type:1> <channel:1> <part:1>`, entry values of codec version 1,
 * month-grouped number keys, not-archived keys, JSON statistics cells and
 * pending purges. Entries must be representable in format 3: port 0 and
 * channels up to 255.
 */
import { ClassicLevel } from 'classic-level';
import { CALL_TYPES } from '../../firmware/recording/record-codec.ts';
import { parseRecordId, RECORD_FORMATS, type RecordEntry, type RecordIdParts } from '../../firmware/recording/record-entry.ts';
import { folderDayOf } from '../../firmware/recording/record-index.ts';
import { localDay, monthOfDay } from '../../firmware/recording/local-day.ts';
import { numberMonth } from '../../firmware/recording/record-keys.ts';
import { PORT_TYPES } from '../../firmware/ports/channel-ref.ts';

const START_MODES = ['voltage', 'voice', 'dtmf', 'polarity', 'ring', 'continuous', 'forced', 'signalling'];
const STOP_MODES = ['hangup', 'disconnect', 'busy-tone', 'polarity', 'dtmf', 'silence', 'ring-timeout', 'manual', 'max-length', 'switch-off', 'linecard-fault', 'shutdown', 'power-loss', 'superseded'];
const DAY_MS = 86_400_000;

function tail(p: RecordIdParts): number[] {
  if (p.port !== 0 || p.channel > 255) throw new RangeError(`format 3 cannot hold ${p.portType} ${p.port}.${p.channel}`);
  const t = Buffer.alloc(6);
  t.writeUIntBE(p.startedAt, 0, 6);
  return [...t, PORT_TYPES.indexOf(p.portType), p.channel, p.part];
}

const key = (prefix: string, p: RecordIdParts) => Buffer.from([prefix.charCodeAt(0), ...tail(p)]);

function varint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function str(out: number[], s: string): void {
  const b = Buffer.from(s, 'utf8');
  varint(out, b.length);
  out.push(...b);
}

/** Codec version 1, as format 3 stored an entry. */
export function encodeFormat3Value(e: RecordEntry): Buffer {
  const out = [1];
  out.push((e.archived ? 1 : 0) | (e.sealed ? 2 : 0) | (e.sha256 ? 4 : 0) | (e.file ? 8 : 0) | (e.level === 'important' ? 16 : 0));
  out.push(CALL_TYPES.indexOf(e.callType), START_MODES.indexOf(e.startMode), e.stopMode === null ? 0 : STOP_MODES.indexOf(e.stopMode) + 1);
  out.push(e.codec === null ? 0 : RECORD_FORMATS.indexOf(e.codec) + 1);
  varint(out, Math.round(e.durationMs));
  varint(out, e.sizeBytes);
  const offset = folderDayOf(e) - Math.floor(e.startedAt / DAY_MS);
  varint(out, offset < 0 ? -2 * offset - 1 : 2 * offset);
  const m = /^(\d+)-(\d+)$/.exec(e.callId);
  const callStart = m && Number(m[1]) === e.channel ? Number(m[2]) : NaN;
  if (callStart <= e.startedAt) varint(out, e.startedAt - callStart + 1);
  else {
    varint(out, 0);
    str(out, e.callId);
  }
  str(out, e.lineNumber);
  str(out, e.remoteNumber);
  str(out, e.callerName);
  if (e.sha256) out.push(...Buffer.from(e.sha256, 'hex'));
  return Buffer.from(out);
}

export class Format3Writer {
  readonly db: ClassicLevel<Buffer, Buffer>;
  private cells = new Map<string, unknown[][]>();

  /** `cells: false` leaves the statistics out (a large bench index; the conversion recomputes them). */
  constructor(location: string, private readonly withCells = true) {
    this.db = new ClassicLevel<Buffer, Buffer>(location, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  }

  async open(version = '3'): Promise<void> {
    await this.db.open();
    await this.db.put(Buffer.from('v'), Buffer.from(version));
  }

  /** Writes new entries (each id once). */
  async write(entries: readonly RecordEntry[]): Promise<void> {
    const batch = this.db.batch();
    for (const e of entries) {
      const p = parseRecordId(e.id)!;
      batch.put(key(e.deleted ? 'd' : 't', p), encodeFormat3Value(e));
      if (e.deleted) continue;
      if (e.remoteNumber) {
        const head = Buffer.alloc(3);
        head[0] = 0x6e;
        head.writeUInt16BE(numberMonth(e.startedAt), 1);
        batch.put(Buffer.concat([head, Buffer.from(e.remoteNumber, 'latin1'), Buffer.from([0, ...tail(p)])]), Buffer.alloc(0));
      }
      if (!e.archived) batch.put(key('a', p), Buffer.alloc(0));
      if (this.withCells) {
        const day = localDay(e.startedAt);
        this.addToCell(`s${day}:${PORT_TYPES.indexOf(e.portType)}:${e.channel}`, e);
        this.addToCell(`m${monthOfDay(day)}:${PORT_TYPES.indexOf(e.portType)}:${e.channel}`, e);
      }
    }
    await batch.write();
  }

  /** A purge begun and not finished. */
  async pendingPurge(e: RecordEntry): Promise<void> {
    await this.db.put(key('p', parseRecordId(e.id)!), Buffer.from(e.file ?? ''));
  }

  private addToCell(name: string, e: RecordEntry): void {
    const rows = this.cells.get(name) ?? [];
    let row = rows.find((r) => r[0] === e.lineNumber && r[1] === e.callType && r[2] === e.level);
    if (!row) rows.push((row = [e.lineNumber, e.callType, e.level, 0, 0, 0, 0]));
    (row[3] as number)++;
    if (e.part <= 1) (row[4] as number)++;
    if (e.file) (row[5] as number)++;
    (row[6] as number) += e.durationMs;
    this.cells.set(name, rows);
  }

  async close(): Promise<void> {
    const batch = this.db.batch();
    for (const [name, rows] of this.cells) {
      const m = /^([sm])(-?\d+):(\d+):(\d+)$/.exec(name)!;
      const k = Buffer.alloc(7);
      k[0] = m[1]!.charCodeAt(0);
      k.writeUInt32BE(Number(m[2]) + 2 ** 31, 1);
      k[5] = Number(m[3]);
      k[6] = Number(m[4]);
      batch.put(k, Buffer.from(JSON.stringify(rows)));
    }
    await batch.write();
    await this.db.close();
  }
}
