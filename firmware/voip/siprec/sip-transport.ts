/**
 * The SIP server's sockets: UDP and TCP on one port (5060 by default). A
 * datagram is one message (up to 64 KB); a TCP connection is cut into
 * messages by Content-Length. Bytes go to the server core; its responses go
 * back on the datagram socket to the source address, or on the connection
 * the request came in on.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { SipStreamFramer } from '../sip/stream-framer.ts';
import type { Peer } from '../sip/transactions.ts';

export interface SipTransportOptions {
  host: string;
  port: number;
  udp: boolean;
  tcp: boolean;
  onBytes(data: Buffer, peer: Peer): void;
  /** A framing failure on a TCP connection: the head to answer 400/513 to, before the connection closes. */
  onStreamError(head: Buffer, peer: Peer): void;
  onError(e: Error): void;
}

const MAX_CONNECTIONS = 1024;
const IDLE_MS = 10 * 60_000;

export class SipTransport {
  private udp: dgram.Socket | null = null;
  private tcp: net.Server | null = null;
  private readonly connections = new Map<number, net.Socket>();
  private nextConnection = 1;
  /** The bound port (the configured one, or the one the OS chose for port 0). */
  port = 0;

  constructor(private readonly o: SipTransportOptions) {}

  async start(): Promise<void> {
    let port = this.o.port;
    if (this.o.udp) {
      const sock = dgram.createSocket({ type: this.o.host.includes(':') ? 'udp6' : 'udp4', recvBufferSize: 1 << 20 });
      sock.on('message', (msg, rinfo) => this.safe(() => this.o.onBytes(msg, { transport: 'udp', address: rinfo.address, port: rinfo.port })));
      sock.on('error', (e) => this.o.onError(e));
      await new Promise<void>((resolve, reject) => { sock.once('error', reject); sock.bind(port, this.o.host, () => { sock.off('error', reject); resolve(); }); });
      this.udp = sock;
      port = sock.address().port;
    }
    if (this.o.tcp) {
      const server = net.createServer((c) => this.accept(c));
      server.on('error', (e) => this.o.onError(e));
      await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, this.o.host, () => { server.off('error', reject); resolve(); }); });
      this.tcp = server;
      port = (server.address() as net.AddressInfo).port;
    }
    this.port = port;
  }

  private accept(c: net.Socket): void {
    if (this.connections.size >= MAX_CONNECTIONS) { c.destroy(); return; }
    const id = this.nextConnection++;
    this.connections.set(id, c);
    const framer = new SipStreamFramer();
    const peer: Peer = { transport: 'tcp', address: c.remoteAddress ?? '', port: c.remotePort ?? 0, connection: id };
    c.setNoDelay(true);
    c.setTimeout(IDLE_MS, () => c.destroy());
    c.on('data', (chunk) => {
      for (const item of framer.push(chunk)) {
        if ('message' in item) this.safe(() => this.o.onBytes(item.message, peer));
        else {
          this.safe(() => this.o.onStreamError(item.head, peer));
          c.end();
        }
      }
    });
    c.on('error', () => c.destroy());
    c.on('close', () => this.connections.delete(id));
  }

  send(data: Buffer, to: Peer): void {
    if (to.transport === 'udp') {
      this.udp?.send(data, to.port, to.address, (e) => { if (e) this.o.onError(e); });
      return;
    }
    const c = to.connection !== undefined ? this.connections.get(to.connection) : undefined;
    if (c && !c.destroyed) { c.write(data); return; }
    // The connection is gone: open one to the peer's address (RFC 3261 section 18.2.2).
    const fresh = net.connect(to.port, to.address);
    fresh.on('error', () => fresh.destroy());
    fresh.on('connect', () => { fresh.end(data); });
  }

  private safe(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.o.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  async stop(): Promise<void> {
    for (const c of this.connections.values()) c.destroy();
    this.connections.clear();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
    this.udp = null;
    this.tcp = null;
  }
}
