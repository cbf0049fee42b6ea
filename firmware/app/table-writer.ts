/**
 * Tables streamed out as CSV or XLSX, a page of rows at a time, waiting for
 * the client whenever the output is full, so a table of any length passes
 * through bounded memory. CSV: UTF-8 with a byte-order mark (Excel then
 * reads Chinese correctly), RFC 4180 quoting, and a text cell starting with
 * = + - @ (or a tab or carriage return) prefixed with ' so a spreadsheet
 * never takes it for a formula. XLSX (exceljs streaming writer): cells are
 * typed strings and numbers, never formulas.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';

export type TableFormat = 'csv' | 'xlsx';
export type Cell = string | number;

export const TABLE_TYPE: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A CSV field: neutralised if a spreadsheet would run it, quoted when it holds a separator, quote or line break. */
export function csvField(v: Cell): string {
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvLine = (cells: readonly Cell[]) => `${cells.map(csvField).join(',')}\r\n`;

/** Resolves when `s` has room again, or is closed. */
function room(s: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      s.off('drain', done);
      s.off('close', done);
      resolve();
    };
    s.on('drain', done);
    s.on('close', done);
  });
}

/**
 * The table as a stream. Rows are pulled from `pages` only as fast as the
 * client reads; when the client goes away the pages are abandoned (their
 * generator's `finally` runs). An error while reading ends the stream with it.
 */
export function writeTable(format: TableFormat, sheet: string, headers: readonly Cell[], pages: AsyncIterable<Cell[][]>): Readable {
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  // The consumer learns of a failure from destroy(); nothing must throw afterwards.
  out.on('error', () => undefined);
  const write = format === 'csv' ? writeCsv : writeXlsx;
  write(out, sheet, headers, pages).catch((e: unknown) => out.destroy(e as Error));
  return out;
}

async function writeCsv(out: PassThrough, _sheet: string, headers: readonly Cell[], pages: AsyncIterable<Cell[][]>): Promise<void> {
  out.write(`\uFEFF${csvLine(headers)}`);
  for await (const rows of pages) {
    if (out.destroyed) return;
    if (!out.write(rows.map(csvLine).join(''))) await room(out);
    if (out.destroyed) return;
  }
  out.end();
}

async function writeXlsx(out: PassThrough, sheet: string, headers: readonly Cell[], pages: AsyncIterable<Cell[][]>): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const ws = book.addWorksheet(sheet);
  ws.addRow([...headers]).commit();
  for await (const rows of pages) {
    if (out.destroyed) return;
    for (const r of rows) ws.addRow(r).commit();
    // The workbook's zip writes into `out` as it goes: wait while the client is behind.
    if (out.writableNeedDrain) await room(out);
    if (out.destroyed) return;
  }
  ws.commit();
  await book.commit();
}
