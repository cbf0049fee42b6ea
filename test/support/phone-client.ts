/** An IP phone's side of the record-server protocol, for tests: TCP control messages and their responses. */
import net from 'node:net';

export class PhoneClient {
  private buf = '';
  private waiting: Array<(line: string) => void> = [];
  private lines: string[] = [];
  closed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf += d.toString('utf8');
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i).replace(/\r$/, '');
        this.buf = this.buf.slice(i + 1);
        const w = this.waiting.shift();
        if (w) w(line);
        else this.lines.push(line);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<PhoneClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new PhoneClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends raw bytes (a message with its terminator, or garbage). */
  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** Sends `cmd=…&k=v…` (values URL-encoded) with CRLF and returns the response fields. */
  async request(fields: Record<string, string>): Promise<Record<string, string>> {
    this.write(`${Object.entries(fields).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}\r\n`);
    return parseResponse(await this.next());
  }

  next(): Promise<string> {
    const l = this.lines.shift();
    if (l !== undefined) return Promise.resolve(l);
    return new Promise((r) => this.waiting.push(r));
  }

  close(): void {
    this.socket.destroy();
  }
}

export function parseResponse(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of line.split('&')) {
    const eq = part.indexOf('=');
    out[part.slice(0, eq)] = decodeURIComponent(part.slice(eq + 1));
  }
  return out;
}
