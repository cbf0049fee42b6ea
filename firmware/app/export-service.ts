/**
 * Exports (导出): the recordings a search finds as a call-detail table with
 * the columns of the manual's search page, and the statistics table (录音统计),
 * as CSV or XLSX with headers in Chinese or English. Records stream page by
 * page from the index, so an export of any length passes through bounded
 * memory. A view operation; a seat's rows are the channels its sync right
 * reaches.
 */
import type { Readable } from 'node:stream';
import { RecorderError } from '../errors.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { StreamQuery } from '../recording/record-stream.ts';
import type { StatsQuery } from '../recording/stats-query.ts';
import { downloadName, localStamp } from './download-name.ts';
import {
  RECORD_COLUMNS, SHEET_NAME, STATS_COLUMNS, TOTAL_LABEL, callTypeLabel, channelLabel, clockLength, levelLabel, localTime, portLabel,
  startModeLabel, stopModeLabel, type ExportLang,
} from './export-labels.ts';
import type { Principal } from './principal.ts';
import type { RecordService } from './record-service.ts';
import type { StorageService } from './storage-service.ts';
import { TABLE_TYPE, writeTable, type Cell, type TableFormat } from './table-writer.ts';

/** Rows in one export at most (a 64-line box's busiest months). */
export const MAX_EXPORT_ROWS = 1_000_000;

export interface TableDownload {
  stream: Readable;
  contentType: string;
  fileName: string;
}

export interface ExportOptions {
  format: TableFormat;
  lang: ExportLang;
}

export class ExportService {
  constructor(
    private readonly records: RecordService,
    private readonly storage: StorageService,
    private readonly now: () => number,
    /** The recording's signature (签名) for the export's last column; absent when custody is not running. */
    private readonly signatureOf: (e: RecordEntry) => string | null = () => null,
  ) {}

  /** The recordings a search finds, newest first, one row each. */
  async recordings(principal: Principal, q: StreamQuery, o: ExportOptions): Promise<TableDownload> {
    const { total } = await this.records.search(principal, { ...q, limit: 1, offset: 0 });
    if (total > MAX_EXPORT_ROWS) throw new RecorderError('BAD_REQUEST', `the search finds ${total} recordings; at most ${MAX_EXPORT_ROWS} can be exported at once: narrow it`);
    const { records, signatureOf } = this;
    async function* rows(): AsyncGenerator<Cell[][]> {
      let n = 0;
      // Signatures are looked up a page at a time, as the rows stream.
      for await (const page of records.pages(principal, q)) yield page.map((e) => recordRow(n++, e, o.lang, signatureOf(e) ?? ''));
    }
    return this.table('recordings', SHEET_NAME.records[o.lang], RECORD_COLUMNS[o.lang], rows(), o.format);
  }

  /** The statistics page's table for a date range: a row per channel and the total. */
  async stats(principal: Principal, q: StatsQuery, o: ExportOptions): Promise<TableDownload> {
    const r = await this.storage.stats(principal, q);
    const rows: Cell[][] = r.items.map((s, i) => [i, channelLabel(s), portLabel(o.lang, s.portType), s.incoming, s.outgoing, s.missed, s.recordings, clockLength(s.durationMs)]);
    const t = r.total;
    rows.push(['', TOTAL_LABEL[o.lang], '', t.incoming, t.outgoing, t.missed, t.recordings, clockLength(t.durationMs)]);
    async function* once(): AsyncGenerator<Cell[][]> {
      yield rows;
    }
    return this.table('statistics', SHEET_NAME.stats[o.lang], STATS_COLUMNS[o.lang], once(), o.format);
  }

  private table(name: string, sheet: string, headers: string[], pages: AsyncIterable<Cell[][]>, format: TableFormat): TableDownload {
    return { stream: writeTable(format, sheet, headers, pages), contentType: TABLE_TYPE[format], fileName: `${name}-${localStamp(this.now())}.${format}` };
  }
}

function recordRow(n: number, e: RecordEntry, lang: ExportLang, signature: string): Cell[] {
  return [
    n, channelLabel(e), portLabel(lang, e.portType), e.lineNumber, e.remoteNumber, e.callerName, callTypeLabel(lang, e.callType),
    localTime(e.startedAt), clockLength(e.durationMs), startModeLabel(lang, e.startMode), stopModeLabel(lang, e.stopMode),
    levelLabel(lang, e.level), e.file ? downloadName(e) : '', e.id, signature,
  ];
}
