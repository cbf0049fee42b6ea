/**
 * Cuts a SIP byte stream (TCP) into messages by the blank line and
 * Content-Length (RFC 3261 section 18.3), keeping partial messages between
 * chunks and skipping CRLF keep-alives. Pure.
 */
import { MAX_SIP_MESSAGE, headerEnd } from './sip-message.ts';

export type FramedItem = { message: Buffer } | { error: 400 | 513; reason: string; head: Buffer };

const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im;

export class SipStreamFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Set after a framing error: the stream cannot be resynchronised and should be closed. */
  broken = false;

  push(chunk: Buffer): FramedItem[] {
    if (this.broken) return [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: FramedItem[] = [];
    for (;;) {
      let start = 0;
      while (start < this.buf.length && (this.buf[start] === 0x0d || this.buf[start] === 0x0a)) start++;
      if (start > 0) this.buf = this.buf.subarray(start);
      if (this.buf.length === 0) break;
      const he = headerEnd(this.buf);
      if (!he) {
        if (this.buf.length > MAX_SIP_MESSAGE) return this.fail(out, 513, 'Message Too Large');
        break;
      }
      const head = this.buf.subarray(0, he.end);
      const m = CONTENT_LENGTH.exec(head.toString('latin1'));
      const total = he.bodyStart + (m ? Number(m[1]) : 0); // a message without Content-Length has no body

      if (total > MAX_SIP_MESSAGE) return this.fail(out, 513, 'Message Too Large');
      if (this.buf.length < total) break;
      out.push({ message: Buffer.from(this.buf.subarray(0, total)) });
      this.buf = this.buf.subarray(total);
    }
    return out;
  }

  private fail(out: FramedItem[], error: 400 | 513, reason: string): FramedItem[] {
    const he = headerEnd(this.buf);
    out.push({ error, reason, head: Buffer.from(this.buf.subarray(0, he ? he.bodyStart : Math.min(this.buf.length, MAX_SIP_MESSAGE))) });
    this.broken = true;
    this.buf = Buffer.alloc(0);
    return out;
  }
}
