/**
 * MIME bodies (RFC 2046 section 5.1, RFC 2045): a Content-Type's media type
 * and parameters, and the parts of a multipart body with any boundary,
 * quoted or not. Pure; a body whose boundary is never found is an error.
 */

export interface ContentType {
  type: string;
  params: Record<string, string>;
}

export interface BodyPart {
  headers: Array<[string, string]>;
  contentType: ContentType;
  disposition: string;
  body: Buffer;
}

export function parseContentType(value: string | undefined): ContentType {
  if (!value) return { type: '', params: {} };
  const parts = splitParams(value);
  const params: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return { type: (parts[0] ?? '').trim().toLowerCase(), params };
}

function splitParams(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

export type MultipartResult = { ok: true; parts: BodyPart[] } | { ok: false; reason: string };

/** Splits a multipart body at `--boundary` delimiter lines; the preamble and epilogue are dropped. */
export function parseMultipart(body: Buffer, boundary: string | undefined): MultipartResult {
  if (!boundary || boundary.length > 200) return { ok: false, reason: 'multipart body without a usable boundary' };
  const text = body.toString('latin1');
  const delimiter = '--' + boundary;
  const lines = text.split(/\r?\n/);
  const parts: string[][] = [];
  let current: string[] | null = null;
  for (const line of lines) {
    const trimmed = line.replace(/[ \t]+$/, '');
    if (trimmed === delimiter + '--') { if (current) parts.push(current); current = null; break; }
    if (trimmed === delimiter) { if (current) parts.push(current); current = []; continue; }
    if (current) current.push(line);
  }
  if (current) parts.push(current); // a missing close delimiter is tolerated
  if (parts.length === 0) return { ok: false, reason: `multipart boundary "${boundary}" not found in the body` };
  return { ok: true, parts: parts.map(readPart) };
}

function readPart(lines: string[]): BodyPart {
  const headers: Array<[string, string]> = [];
  let i = 0;
  // RFC 2046: a part with no headers starts with its blank line.
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') { i++; break; }
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) { headers[headers.length - 1]![1] += ' ' + line.trim(); continue; }
    const colon = line.indexOf(':');
    if (colon <= 0) break; // no header section: the content starts here
    headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const content = lines.slice(i).join('\r\n');
  const get = (n: string) => headers.find(([k]) => k === n)?.[1];
  return {
    headers,
    contentType: parseContentType(get('content-type') ?? 'text/plain'),
    disposition: (get('content-disposition') ?? '').split(';')[0]!.trim().toLowerCase(),
    body: Buffer.from(content, 'latin1'),
  };
}
