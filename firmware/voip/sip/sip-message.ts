/**
 * SIP messages (RFC 3261 section 7, 20): parsing a request or response from
 * bytes and serialising one. Pure: no I/O. Header names are kept in their
 * canonical long form (compact forms expanded), values unfolded; a bad
 * message yields a typed failure with the status to answer, never a throw.
 */

export type SipHeaders = Array<[name: string, value: string]>;

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: Buffer;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export type SipParseResult =
  | { ok: true; message: SipMessage }
  /** `status` is what a server answers (400, 513); `headers` holds what could be read, to address the answer. */
  | { ok: false; status: 400 | 513; reason: string; method?: string; headers: SipHeaders };

/** The largest message accepted (a UDP datagram cannot be larger). */
export const MAX_SIP_MESSAGE = 65_535;

const COMPACT: Record<string, string> = {
  i: 'Call-ID', m: 'Contact', e: 'Content-Encoding', l: 'Content-Length', c: 'Content-Type', f: 'From',
  s: 'Subject', k: 'Supported', t: 'To', v: 'Via', o: 'Event', r: 'Refer-To', b: 'Referred-By',
  u: 'Allow-Events', x: 'Session-Expires', a: 'Accept-Contact', j: 'Reject-Contact', d: 'Request-Disposition', y: 'Identity', n: 'Identity-Info',
};

const CANONICAL: Record<string, string> = Object.fromEntries(
  ['Call-ID', 'CSeq', 'Via', 'From', 'To', 'Contact', 'Content-Length', 'Content-Type', 'Content-Disposition', 'Max-Forwards',
    'Require', 'Supported', 'Allow', 'Session-Expires', 'Min-SE', 'Record-Route', 'Route', 'WWW-Authenticate', 'MIME-Version',
    'Retry-After', 'Unsupported', 'Accept', 'User-Agent', 'Server', 'Subject', 'Reason', 'RSeq', 'RAck', 'Content-Encoding']
    .map((n) => [n.toLowerCase(), n]),
);

/** The canonical spelling of a header name (compact forms expanded). */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? CANONICAL[lower] ?? name;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const REQUEST_LINE = /^([A-Za-z0-9\-.!%*_+`'~]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d) ?(.*)$/;

/** The header section's end (index of the blank line's CRLFCRLF or LFLF), and the body's start. */
export function headerEnd(buf: Buffer, from = 0): { end: number; bodyStart: number } | null {
  const crlf = buf.indexOf('\r\n\r\n', from, 'latin1');
  const lf = buf.indexOf('\n\n', from, 'latin1');
  if (crlf < 0 && lf < 0) return null;
  if (lf >= 0 && (crlf < 0 || lf < crlf)) return { end: lf, bodyStart: lf + 2 };
  return { end: crlf, bodyStart: crlf + 4 };
}

function failure(status: 400 | 513, reason: string, headers: SipHeaders = [], method?: string): SipParseResult {
  return method === undefined ? { ok: false, status, reason, headers } : { ok: false, status, reason, headers, method };
}

/** Splits the header section into unfolded lines (continuation lines start with a space or tab). */
function unfold(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if ((raw.startsWith(' ') || raw.startsWith('\t')) && lines.length > 0) lines[lines.length - 1] += ' ' + raw.trim();
    else lines.push(raw);
  }
  return lines;
}

/**
 * Parses one message. Over a datagram transport the body is the rest of the
 * datagram, cut at Content-Length; over a stream the framer has already cut it.
 */
export function parseSipMessage(buf: Buffer): SipParseResult {
  try {
    return parseUnsafe(buf);
  } catch (e) {
    return failure(400, `unreadable message (${e instanceof Error ? e.message : String(e)})`);
  }
}

function parseUnsafe(buf: Buffer): SipParseResult {
  let start = 0;
  while (start < buf.length && (buf[start] === 0x0d || buf[start] === 0x0a)) start++; // leading CRLFs are keep-alives
  const oversize = buf.length - start > MAX_SIP_MESSAGE;
  const he = headerEnd(buf, start);
  const headText = buf.toString('latin1', start, Math.min(he ? he.end : buf.length, start + MAX_SIP_MESSAGE));
  const lines = unfold(headText);
  const first = lines.shift() ?? '';
  const headers: SipHeaders = [];
  const problems: string[] = [];
  for (const line of lines) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!TOKEN.test(name)) {
      problems.push(`malformed header line "${line.slice(0, 40)}"`);
      continue;
    }
    headers.push([canonicalName(name), Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8')]);
  }
  const req = REQUEST_LINE.exec(first);
  const res = req ? null : STATUS_LINE.exec(first);
  const method = req?.[1]?.toUpperCase();
  if (!req && !res) return failure(400, 'Malformed start line', headers);
  if (oversize) return failure(513, 'Message Too Large', headers, method);
  if (!he) return failure(400, 'Header section not terminated', headers, method);
  if (problems.length > 0) return failure(400, problems[0]!, headers, method);
  for (const h of ['Via', 'Call-ID', 'From', 'To', 'CSeq']) {
    if (!headers.some(([n]) => n === h)) return failure(400, `Missing ${h} header`, headers, method);
  }
  const cseq = parseCSeq(getHeader(headers, 'CSeq')!);
  if (!cseq) return failure(400, 'Bad CSeq', headers, method);
  if (method !== undefined && cseq.method !== method) return failure(400, 'CSeq method does not match', headers, method);
  const lenText = getHeader(headers, 'Content-Length');
  const available = buf.length - he.bodyStart;
  let bodyLength = available;
  if (lenText !== undefined) {
    if (!/^\d{1,9}$/.test(lenText)) return failure(400, 'Bad Content-Length', headers, method);
    bodyLength = Number(lenText);
    if (bodyLength > available) return failure(400, 'Content-Length larger than the body', headers, method);
  }
  const body = Buffer.from(buf.subarray(he.bodyStart, he.bodyStart + bodyLength));
  if (req) return { ok: true, message: { kind: 'request', method: method!, uri: req[2]!, headers, body } };
  return { ok: true, message: { kind: 'response', status: Number(res![1]), reason: res![2] ?? '', headers, body } };
}

export function getHeader(headers: SipHeaders, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === want) return v;
  return undefined;
}

/** Every value of a header, comma-separated lists split (outside quotes and angle brackets), in order. */
export function headerValues(headers: SipHeaders, name: string): string[] {
  const want = name.toLowerCase();
  const out: string[] = [];
  for (const [n, v] of headers) if (n.toLowerCase() === want) out.push(...splitList(v));
  return out;
}

export function splitList(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      if (ch === '\\' && i + 1 < value.length) { cur += ch + value[++i]; continue; }
      if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') angle = true;
    else if (ch === '>') angle = false;
    else if (ch === ',' && !angle) { if (cur.trim()) out.push(cur.trim()); cur = ''; continue; }
    cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export function parseCSeq(value: string): { seq: number; method: string } | null {
  const m = /^(\d{1,10})\s+([A-Za-z0-9\-.!%*_+`'~]+)$/.exec(value.trim());
  if (!m || Number(m[1]) > 2 ** 31 - 1) return null;
  return { seq: Number(m[1]), method: m[2]!.toUpperCase() };
}

/** A header parameter (`;tag=…`, `;branch=…`) outside the angle-bracketed URI; null when absent, '' when valueless. */
export function headerParam(value: string, param: string): string | null {
  const close = value.lastIndexOf('>');
  const tail = close >= 0 ? value.slice(close + 1) : value.slice(Math.max(0, value.indexOf(';')));
  for (const part of tail.split(';').slice(1)) {
    const eq = part.indexOf('=');
    const key = (eq >= 0 ? part.slice(0, eq) : part).trim().toLowerCase();
    if (key === param.toLowerCase()) return eq >= 0 ? part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1') : '';
  }
  return null;
}

/** The URI inside a name-addr (`"Name" <sip:x@y>;tag=1` → `sip:x@y`) or an addr-spec. */
export function uriOf(value: string): string {
  const m = /<([^>]*)>/.exec(value);
  return (m ? m[1]! : value.split(';')[0]!).trim();
}

/** The display name of a name-addr, unquoted; '' when none. */
export function displayNameOf(value: string): string {
  const lt = value.indexOf('<');
  if (lt <= 0) return '';
  return value.slice(0, lt).trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1');
}

/** The top Via's transport, sent-by and branch. */
export function topVia(headers: SipHeaders): { transport: string; host: string; port: number | null; branch: string | null } | null {
  const via = headerValues(headers, 'Via')[0];
  if (!via) return null;
  const m = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s;:]+)(?:\s*:\s*(\d+))?/i.exec(via);
  if (!m) return null;
  return { transport: m[1]!.toUpperCase(), host: m[2]!.toLowerCase(), port: m[3] ? Number(m[3]) : null, branch: headerParam(via, 'branch') };
}

export function serializeSipMessage(msg: SipMessage): Buffer {
  const start = msg.kind === 'request' ? `${msg.method} ${msg.uri} SIP/2.0` : `SIP/2.0 ${msg.status} ${msg.reason}`;
  const lines = [start];
  for (const [n, v] of msg.headers) if (n !== 'Content-Length') lines.push(`${n}: ${v}`);
  lines.push(`Content-Length: ${msg.body.length}`, '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), msg.body]);
}
