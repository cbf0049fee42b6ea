/**
 * A one-sheet XLSX workbook (Office Open XML, ECMA-376) written as a stream:
 * the package parts are small fixed XML, and the sheet's rows are pulled from
 * an async source only as fast as the zip's deflater and the client take
 * them (yazl pipes every entry with back-pressure), so a sheet of any length
 * passes through bounded memory. Text cells are inline strings and numbers
 * are numbers: no shared-string table to hold, no formula ever.
 */
import { Readable, type PassThrough } from 'node:stream';
import { ZipFile } from 'yazl';

export type XlsxCell = string | number;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const CONTENT_TYPES =
  `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
  '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' +
  '</Types>';
const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
const WORKBOOK_RELS = `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`;
const workbook = (sheet: string) =>
  `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets><sheet name="${xmlText(sheet.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`;

/** Text as XML character data: markup escaped, characters XML cannot hold dropped. */
export function xmlText(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `A`, `B`, … `Z`, `AA`… of a 0-based column. */
function column(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

function rowXml(r: number, cells: readonly XlsxCell[]): string {
  let x = `<row r="${r}">`;
  cells.forEach((v, i) => {
    const ref = `${column(i)}${r}`;
    if (typeof v === 'number' && Number.isFinite(v)) x += `<c r="${ref}"><v>${v}</v></c>`;
    else if (v !== '') x += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlText(String(v))}</t></is></c>`;
  });
  return `${x}</row>`;
}

async function* sheetXml(headers: readonly XlsxCell[], pages: AsyncIterable<XlsxCell[][]>): AsyncGenerator<Buffer> {
  yield Buffer.from(`${XML_HEAD}<worksheet xmlns="${NS_MAIN}"><sheetData>${rowXml(1, headers)}`);
  let r = 2;
  for await (const rows of pages) yield Buffer.from(rows.map((row) => rowXml(r++, row)).join(''));
  yield Buffer.from('</sheetData></worksheet>');
}

/** The workbook as a stream; leaving it (destroying the stream) abandons `pages`. */
export function xlsxStream(sheet: string, headers: readonly XlsxCell[], pages: AsyncIterable<XlsxCell[][]>): Readable {
  const zip = new ZipFile();
  // yazl's output is a PassThrough (its typings say only ReadableStream).
  const out = zip.outputStream as PassThrough;
  const part = (name: string, xml: string) => zip.addBuffer(Buffer.from(xml), name);
  part('[Content_Types].xml', CONTENT_TYPES);
  part('_rels/.rels', ROOT_RELS);
  part('xl/workbook.xml', workbook(sheet));
  part('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
  const rows = Readable.from(sheetXml(headers, pages), { objectMode: false });
  out.on('error', () => undefined);
  rows.on('error', (e) => out.destroy(e));
  zip.on('error', (e: Error) => out.destroy(e));
  out.once('close', () => rows.destroy());
  zip.addReadStream(rows, 'xl/worksheets/sheet1.xml');
  zip.end();
  return out;
}
