/**
 * The record server IP phones push their calls to (TCP control, default
 * port 5566). A phone asks `RecordStartRequest`; the server opens a call on
 * the media layer with one mixed stream and answers with the UDP port for
 * its RTP; `RecordStopRequest` ends it. A phone may run several sessions on
 * one connection; each ends on its stop, when the connection closes or
 * fails (stop mode `disconnect`), or after the RTP silence timeout.
 * Refusals answer `result=failed` with a reason: over the licensed
 * capacity, a phone not allowed, a malformed request, an unknown id.
 */
import net from 'node:net';
import type { MediaLogger } from '../media/media-context.ts';
import { VoipMediaError, type VoipCall, type VoipMedia } from '../media/voip-call.ts';
import { STATIC_PAYLOAD_TYPES } from '../rtp/payload-codec.ts';
import { AllowList, normaliseMac } from './allow-list.ts';
import { MessageError, MessageFramer, formatMessage, parseFields, type Fields, type Frame, type Terminator } from './phone-message.ts';

export interface PhoneServerOptions {
  media: VoipMedia;
  log: MediaLogger;
  now(): number;
  allowList(): AllowList;
  /** Connections at once; further ones are closed at once. */
  maxConnections?: number;
  /** A buffered message without terminator is taken after this pause (ms). */
  idleFlushMs?: number;
  /** RFC 4733 payload type the phones use for DTMF. */
  telephoneEventPt?: number;
}

export interface PhoneServerCounters {
  connections: number;
  refusedConnections: number;
  starts: number;
  stops: number;
  failed: number;
  malformed: number;
  oversized: number;
  unknownIds: number;
  notAllowed: number;
  overCapacity: number;
}

interface PhoneSession {
  id: string;
  call: VoipCall;
}

const MAX_ERRORS_PER_CONNECTION = 50;
const MAX_SESSIONS_PER_CONNECTION = 1024;

export class PhoneServer {
  private server: net.Server | null = null;
  private readonly conns = new Set<PhoneConnection>();
  readonly counters: PhoneServerCounters = {
    connections: 0, refusedConnections: 0, starts: 0, stops: 0, failed: 0, malformed: 0, oversized: 0, unknownIds: 0, notAllowed: 0, overCapacity: 0,
  };

  constructor(readonly o: PhoneServerOptions) {}

  /** Listens on `port` (0: any free port); resolves with the port bound. */
  listen(port: number, host = '0.0.0.0'): Promise<number> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    server.on('error', (e) => this.o.log.error({ err: e.message }, 'phone record server error'));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  get port(): number | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : null;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Stops listening and drops every connection; their calls end with stop mode `shutdown`. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closing = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    await Promise.all([...this.conns].map((c) => c.end('shutdown')));
    await closing;
  }

  private accept(socket: net.Socket): void {
    if (this.conns.size >= (this.o.maxConnections ?? 1024)) {
      this.counters.refusedConnections++;
      socket.destroy();
      return;
    }
    this.counters.connections++;
    const c = new PhoneConnection(this, socket);
    this.conns.add(c);
    void c.ended.then(() => this.conns.delete(c));
  }
}

class PhoneConnection {
  private readonly framer = new MessageFramer();
  private readonly sessions = new Map<string, PhoneSession>();
  private idleTimer: NodeJS.Timeout | null = null;
  private errors = 0;
  private done = false;
  private resolveEnded!: () => void;
  readonly ended = new Promise<void>((r) => (this.resolveEnded = r));
  private readonly peer: string;
  /** Messages are answered in order, one at a time. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly server: PhoneServer, private readonly socket: net.Socket) {
    this.peer = (socket.remoteAddress ?? '').replace(/^::ffff:/i, '');
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => void this.end('disconnect'));
    socket.on('close', () => void this.end('disconnect'));
  }

  private onData(chunk: Buffer): void {
    const { counters } = this.server;
    for (const f of this.framer.push(chunk)) {
      if (f === 'oversized') {
        counters.oversized++;
        this.reply([['cmd', 'ErrorResponse'], ['result', 'failed'], ['reason', 'message too long']], '\r\n');
        this.countError();
      } else this.enqueue(f);
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.framer.pending > 0) {
      this.idleTimer = setTimeout(() => {
        this.idleTimer = null;
        const f = this.framer.flushIdle();
        if (f) this.enqueue(f);
      }, this.server.o.idleFlushMs ?? 200);
    }
  }

  private enqueue(f: Frame): void {
    this.turn = this.turn
      .then(() => this.handle(f))
      .catch((e: unknown) => this.server.o.log.error({ err: (e as Error).message, peer: this.peer }, 'phone command failed'));
  }

  private async handle(f: Frame): Promise<void> {
    if (this.done) return;
    const { counters } = this.server;
    let fields: Fields;
    try {
      fields = parseFields(f.text);
    } catch (e) {
      counters.malformed++;
      this.reply([['cmd', 'ErrorResponse'], ['result', 'failed'], ['reason', `malformed: ${(e as MessageError).message}`]], f.terminator);
      this.countError();
      return;
    }
    const cmd = fields.get('cmd')!;
    if (cmd === 'RecordStartRequest') await this.start(fields, f.terminator);
    else if (cmd === 'RecordStopRequest') await this.stop(fields, f.terminator);
    else {
      counters.malformed++;
      this.reply([['cmd', cmd.endsWith('Request') ? cmd.replace(/Request$/, 'Response') : 'ErrorResponse'], ['id', fields.get('id') ?? ''], ['result', 'failed'], ['reason', 'unknown command']], f.terminator);
      this.countError();
    }
  }

  private failStart(id: string, reason: string, t: Terminator): void {
    this.server.counters.failed++;
    this.reply([['cmd', 'RecordStartResponse'], ['id', id], ['result', 'failed'], ['reason', reason]], t);
  }

  private async start(f: Fields, t: Terminator): Promise<void> {
    const { counters, o } = this.server;
    const id = f.get('id') ?? '';
    const device = f.get('device') ?? '';
    const dir = f.get('dir') ?? '';
    const codec = (f.get('codec') ?? 'PCMA').toUpperCase();
    if (!id || id.length > 64) {
      counters.malformed++;
      this.countError();
      return this.failStart(id.slice(0, 64), 'malformed: id missing or longer than 64 characters', t);
    }
    if (!normaliseMac(device)) {
      counters.malformed++;
      this.countError();
      return this.failStart(id, 'malformed: device must be the phone MAC address', t);
    }
    if (dir !== '' && dir !== 'in' && dir !== 'out') {
      counters.malformed++;
      this.countError();
      return this.failStart(id, 'malformed: dir must be in or out', t);
    }
    if (codec !== 'PCMA' && codec !== 'PCMU' && codec !== 'G722') {
      counters.malformed++;
      this.countError();
      return this.failStart(id, `unsupported codec ${codec.slice(0, 16)}`, t);
    }
    if (!o.allowList().allows(device, this.peer)) {
      counters.notAllowed++;
      return this.failStart(id, 'phone not allowed', t);
    }
    if (this.sessions.has(id)) return this.failStart(id, 'id already recording', t);
    if (this.sessions.size >= MAX_SESSIONS_PER_CONNECTION) return this.failStart(id, 'too many sessions on this connection', t);
    let call: VoipCall;
    try {
      call = o.media.open({
        source: 'phone',
        callId: `${normaliseMac(device)}/${id}`,
        device: normaliseMac(device)!,
        localNumber: f.get('local_number') ?? '',
        localName: f.get('local_name') ?? '',
        remoteNumber: f.get('remote_number') ?? '',
        remoteName: f.get('remote_name') ?? '',
        direction: dir === 'in' ? 'in' : dir === 'out' ? 'out' : 'unknown',
        metadata: { codec, 'phone.sessionId': id },
        legs: 1,
        at: o.now(),
      });
    } catch (e) {
      if (e instanceof VoipMediaError && e.code === 'capacity') {
        counters.overCapacity++;
        return this.failStart(id, 'over licensed capacity', t);
      }
      if (e instanceof VoipMediaError && e.code === 'duplicate') return this.failStart(id, 'id already recording', t);
      throw e;
    }
    const session: PhoneSession = { id, call };
    this.sessions.set(id, session);
    let port: number;
    try {
      ({ port } = await call.addStream({
        label: 'mixed',
        leg: 'mixed',
        remote: { address: this.peer, port: 0 },
        codecs: [
          { pt: STATIC_PAYLOAD_TYPES.PCMA, name: 'PCMA', rate: 8000 },
          { pt: STATIC_PAYLOAD_TYPES.PCMU, name: 'PCMU', rate: 8000 },
          { pt: STATIC_PAYLOAD_TYPES.G722, name: 'G722', rate: 8000 },
          { pt: o.telephoneEventPt ?? 101, name: 'telephone-event', rate: 8000 },
        ],
      }));
    } catch (e) {
      this.sessions.delete(id);
      await call.close('hangup');
      return this.failStart(id, e instanceof VoipMediaError && e.code === 'ports' ? 'no free RTP port' : 'cannot record now', t);
    }
    void call.ended.then(() => {
      if (this.sessions.get(id) === session) this.sessions.delete(id);
    });
    if (this.done) {
      await call.close('disconnect');
      return;
    }
    counters.starts++;
    this.reply([['cmd', 'RecordStartResponse'], ['id', id], ['result', 'success'], ['reason', ''], ['server', this.localAddress()], ['port', port]], t);
  }

  private async stop(f: Fields, t: Terminator): Promise<void> {
    const { counters } = this.server;
    const id = f.get('id') ?? '';
    const s = this.sessions.get(id);
    if (!s) {
      counters.unknownIds++;
      this.reply([['cmd', 'RecordStopResponse'], ['id', id.slice(0, 64)], ['result', 'failed'], ['reason', 'unknown id']], t);
      return;
    }
    this.sessions.delete(id);
    const change: Record<string, string> = {};
    for (const [field, key] of [['remote_number', 'remoteNumber'], ['remote_name', 'remoteName'], ['local_number', 'localNumber'], ['local_name', 'localName']] as const) {
      const v = f.get(field);
      if (v) change[key] = v;
    }
    if (Object.keys(change).length) s.call.update(change);
    await s.call.close(f.get('reason') || 'hangup');
    counters.stops++;
    this.reply([['cmd', 'RecordStopResponse'], ['id', id], ['result', 'success']], t);
  }

  private localAddress(): string {
    return (this.socket.localAddress ?? '').replace(/^::ffff:/i, '');
  }

  private reply(fields: ReadonlyArray<readonly [string, string | number]>, t: Terminator): void {
    if (this.done || this.socket.destroyed) return;
    this.socket.write(formatMessage(fields, t));
  }

  private countError(): void {
    if (++this.errors >= MAX_ERRORS_PER_CONNECTION) {
      this.server.o.log.warn({ peer: this.peer }, 'phone connection closed after too many bad messages');
      void this.end('disconnect');
    }
  }

  /** Ends every session of the connection and closes it. */
  async end(reason: string): Promise<void> {
    if (this.done) return this.ended;
    this.done = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const calls = [...this.sessions.values()].map((s) => s.call);
    this.sessions.clear();
    this.socket.destroy();
    await Promise.all(calls.map((c) => c.close(reason)));
    this.resolveEnded();
  }
}
