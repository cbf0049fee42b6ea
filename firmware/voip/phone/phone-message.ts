/**
 * Messages of the phones' record-server protocol (TCP control channel):
 * `cmd=RecordStartRequest&id=…&device=…&remote_number=…&remote_name=…&
 * local_number=…&local_name=…&dir=in|out&codec=PCMA|PCMU` and their
 * responses, fields `key=value` joined by `&`, values URL-encoded.
 *
 * Framing: the protocol writes one message per TCP send and names no
 * terminator, so a message ends at a line feed (`\n` or `\r\n`), a NUL, or
 * when the sender pauses with a complete message buffered (the server's idle
 * flush). A response is framed the way its request was. Values are
 * percent-decoded to bytes (`+` is a space) and read as UTF-8, or as GB18030
 * when they are not valid UTF-8 (phones with Chinese firmware). Pure.
 */
export type Terminator = '\r\n' | '\n' | '\0' | '';

export interface Frame {
  text: Uint8Array;
  terminator: Terminator;
}

/** Longest message accepted; a longer one is refused whole. */
export const MAX_MESSAGE_BYTES = 4096;

/** Cuts a TCP byte stream into messages; keeps a partial message between chunks. */
export class MessageFramer {
  private buf = Buffer.alloc(0);
  /** Dropping an oversized message until its end. */
  private skipping = false;
  readonly counters = { messages: 0, oversized: 0 };

  /** Takes a chunk; returns complete messages, and 'oversized' markers for refused ones. */
  push(chunk: Uint8Array): Array<Frame | 'oversized'> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const out: Array<Frame | 'oversized'> = [];
    for (;;) {
      let end = -1;
      for (let i = 0; i < this.buf.length; i++) {
        const c = this.buf[i]!;
        if (c === 0x0a || c === 0x00) {
          end = i;
          break;
        }
      }
      if (end < 0) break;
      const nul = this.buf[end] === 0x00;
      const cr = !nul && end > 0 && this.buf[end - 1] === 0x0d;
      const text = this.buf.subarray(0, cr ? end - 1 : end);
      this.buf = this.buf.subarray(end + 1);
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      if (text.length > MAX_MESSAGE_BYTES) {
        this.counters.oversized++;
        out.push('oversized');
        continue;
      }
      if (text.length === 0) continue;
      this.counters.messages++;
      out.push({ text: Buffer.from(text), terminator: nul ? '\0' : cr ? '\r\n' : '\n' });
    }
    if (this.buf.length > MAX_MESSAGE_BYTES) {
      this.buf = Buffer.alloc(0);
      if (!this.skipping) {
        this.counters.oversized++;
        out.push('oversized');
      }
      this.skipping = true;
    }
    return out;
  }

  /** The buffered message when the sender paused (no terminator), or null. */
  flushIdle(): Frame | null {
    if (this.skipping || this.buf.length === 0) return null;
    const text = this.buf;
    this.buf = Buffer.alloc(0);
    if (!/^\s*cmd=/i.test(text.subarray(0, 8).toString('latin1'))) return null;
    this.counters.messages++;
    return { text, terminator: '' };
  }

  get pending(): number {
    return this.buf.length;
  }
}

export type Fields = Map<string, string>;

export class MessageError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');

/** Percent-decodes a value to bytes, then text (UTF-8, else GB18030); a bad escape is kept as written. */
export function decodeValue(raw: Uint8Array): string {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
      out[n++] = (hexVal(raw[i + 1]!) << 4) | hexVal(raw[i + 2]!);
      i += 2;
    } else out[n++] = c === 0x2b ? 0x20 : c;
  }
  const bytes = out.subarray(0, n);
  try {
    return utf8.decode(bytes);
  } catch {
    return gb18030.decode(bytes);
  }
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}

function hexVal(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

const MAX_FIELDS = 32;

/** The fields of a message; throws MessageError when it is not `key=value&…` with a `cmd`. */
export function parseFields(text: Uint8Array): Fields {
  const fields: Fields = new Map();
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text[i] !== 0x26) continue;
    if (i > start) {
      const part = text.subarray(start, i);
      const eq = part.indexOf(0x3d);
      if (eq <= 0) throw new MessageError(`field without a name or '=': '${Buffer.from(part.subarray(0, 40)).toString('latin1')}'`);
      const key = Buffer.from(part.subarray(0, eq)).toString('latin1').trim().toLowerCase();
      if (!/^[a-z_][a-z0-9_]{0,31}$/.test(key)) throw new MessageError(`bad field name '${key.slice(0, 32)}'`);
      if (fields.size >= MAX_FIELDS) throw new MessageError('too many fields');
      if (!fields.has(key)) fields.set(key, decodeValue(part.subarray(eq + 1)).trim());
    }
    start = i + 1;
  }
  if (!fields.get('cmd')) throw new MessageError('no cmd');
  return fields;
}

/** A response message: fields in order, values URL-encoded, framed like the request. */
export function formatMessage(fields: ReadonlyArray<readonly [string, string | number]>, terminator: Terminator): Buffer {
  const text = fields.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join('&');
  return Buffer.from(text + terminator, 'utf8');
}
