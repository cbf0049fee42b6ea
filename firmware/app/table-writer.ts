/**
 * Tables streamed out as CSV or XLSX, a page of rows at a time, waiting for
 * the client whenever the output is full, so a table of any length passes
 * through bounded memory. CSV: UTF-8 with a byte-order mark (Excel then
 * reads Chinese correctly), RFC 4180 quoting, and a text cell starting with
 * = + - @ (or a tab or carriage return) prefixed with ' so a spreadsheet
 * never takes it for a formula. XLSX (xlsx-stream.ts): cells are typed
 * strings and numbers, never formulas.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { xlsxStream } from './xlsx-stream.ts';

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
  if (format === 'xlsx') return xlsxStream(sheet, headers, pages);
  const out = new PassThrough({ highWaterMark: 64 * 1024 });
  // The consumer learns of a failure from destroy(); nothing must throw afterwards.
  out.on('error', () => undefined);
  writeCsv(out, headers, pages).catch((e: unknown) => out.destroy(e as Error));
  return out;
}

async function writeCsv(out: PassThrough, headers: readonly Cell[], pages: AsyncIterable<Cell[][]>): Promise<void> {
  out.write(`\uFEFF${csvLine(headers)}`);
  for await (const rows of pages) {
    if (out.destroyed) return;
    if (!out.write(rows.map(csvLine).join(''))) await room(out);
    if (out.destroyed) return;
  }
  out.end();
}
