/**
 * Server transactions (RFC 3261 section 17.2, with RFC 6026's Accepted
 * state): matching retransmissions by the top Via's branch and sent-by,
 * 100 Trying, response retransmission over UDP (timer G, doubling to T2),
 * absorbing ACKs of non-2xx answers (timers H, I), retransmitting a 2xx
 * until its ACK arrives, non-INVITE completion (timer J), and CANCEL.
 * Pure apart from the injected `send` and timers.
 */
import { getHeader, headerParam, parseCSeq, serializeSipMessage, topVia, type SipHeaders, type SipRequest, type SipResponse } from './sip-message.ts';

export interface Peer {
  transport: 'udp' | 'tcp';
  address: string;
  port: number;
  /** The connection a stream transport received the request on. */
  connection?: number;
}

export interface TimerHandle { cancel(): void }
export interface SipTimers { setTimeout(fn: () => void, ms: number): TimerHandle }

export interface TransactionUser {
  /** A new request other than ACK and CANCEL; the TU answers through `tx.respond`. */
  request(req: SipRequest, tx: ServerTransaction): void;
  /** An ACK for a 2xx (it belongs to the dialog, not to a transaction). */
  ack(req: SipRequest, peer: Peer): void;
  /** A CANCEL matched an INVITE not yet answered; the layer has answered the CANCEL 200 and the INVITE 487. */
  cancelled(invite: ServerTransaction): void;
  /** A 2xx to an INVITE was never acknowledged (timer H). */
  ackTimeout(invite: ServerTransaction): void;
}

export interface TransactionOptions {
  send(data: Buffer, to: Peer): void;
  timers: SipTimers;
  /** The Server header's value. */
  server: string;
  newTag(): string;
  t1?: number;
  t2?: number;
  t4?: number;
}

type State = 'trying' | 'proceeding' | 'completed' | 'accepted' | 'confirmed' | 'terminated';

export class ServerTransaction {
  state: State;
  /** The To tag this transaction answers with (the dialog's local tag). */
  toTag: string | null;
  private last: Buffer | null = null;
  private timers: TimerHandle[] = [];
  finalStatus = 0;

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly peer: Peer,
    private readonly layer: ServerTransactions,
  ) {
    this.state = request.method === 'INVITE' ? 'proceeding' : 'trying';
    this.toTag = headerParam(getHeader(request.headers, 'To') ?? '', 'tag') || null;
  }

  get method(): string { return this.request.method; }
  get callId(): string { return getHeader(this.request.headers, 'Call-ID') ?? ''; }
  get cseq(): number { return parseCSeq(getHeader(this.request.headers, 'CSeq') ?? '')?.seq ?? 0; }

  /** Sends a response; a final one moves the transaction on. A second final response is ignored. */
  respond(status: number, reason: string, headers: SipHeaders = [], body?: { type: string; data: Buffer }): void {
    if (this.state === 'completed' || this.state === 'accepted' || this.state === 'confirmed' || this.state === 'terminated') return;
    if (status > 100 && !this.toTag) this.toTag = this.layer.newTag();
    const extra: SipHeaders = body ? [...headers, ['Content-Type', body.type]] : headers;
    const res = buildResponse(this.request, this.peer, status, reason, status > 100 ? this.toTag : null, this.layer.server, extra, body?.data);
    this.last = serializeSipMessage(res);
    this.layer.transmit(this.last, this.peer);
    if (status < 200) {
      if (this.state === 'trying') this.state = 'proceeding';
      return;
    }
    this.finalStatus = status;
    this.layer.finished(this, status);
  }

  /** @internal */ resend(): void { if (this.last) this.layer.transmit(this.last, this.peer); }
  /** @internal */ setState(s: State): void { this.state = s; }
  /** @internal */ addTimer(t: TimerHandle): void { this.timers.push(t); }
  /** @internal */ stopTimers(): void { for (const t of this.timers) t.cancel(); this.timers = []; }
}

/** A response to `req`: its Vias (the top one with `received`/`rport` filled), From, To (+tag), Call-ID, CSeq. */
export function buildResponse(req: SipRequest, peer: Peer, status: number, reason: string, toTag: string | null, server: string, extra: SipHeaders, body?: Buffer): SipResponse {
  const headers: SipHeaders = [];
  let first = true;
  for (const [n, v] of req.headers) {
    if (n !== 'Via') continue;
    if (first) {
      first = false;
      let via = v;
      const top = v.split(',')[0]!;
      let filled = top;
      if (/;\s*rport(?=;|$|\s)/i.test(top)) filled = filled.replace(/;\s*rport(?=;|$|\s)/i, `;rport=${peer.port}`);
      if (headerParam(top, 'received') === null) filled += `;received=${peer.address}`;
      via = filled + v.slice(top.length);
      headers.push(['Via', via]);
    } else headers.push(['Via', v]);
  }
  const to = getHeader(req.headers, 'To') ?? '';
  headers.push(['From', getHeader(req.headers, 'From') ?? '']);
  headers.push(['To', toTag && headerParam(to, 'tag') === null ? `${to};tag=${toTag}` : to]);
  headers.push(['Call-ID', getHeader(req.headers, 'Call-ID') ?? '']);
  const cseq = getHeader(req.headers, 'CSeq') ?? '';
  headers.push(['CSeq', parseCSeq(cseq) ? cseq : `0 ${req.method}`]); // a request without a usable CSeq still gets a well-formed answer
  headers.push(['Server', server], ...extra);
  return { kind: 'response', status, reason, headers, body: body ?? Buffer.alloc(0) };
}

export function transactionKey(req: SipRequest, peer: Peer): string {
  const via = topVia(req.headers);
  const method = req.method === 'ACK' ? 'INVITE' : req.method;
  if (via?.branch && via.branch.startsWith('z9hG4bK')) return `${via.branch}|${via.host}:${via.port ?? ''}|${method}`;
  // RFC 2543 peers: Request-URI, From tag, Call-ID, CSeq number and top Via identify the transaction.
  const cseq = parseCSeq(getHeader(req.headers, 'CSeq') ?? '')?.seq ?? 0;
  const fromTag = headerParam(getHeader(req.headers, 'From') ?? '', 'tag') ?? '';
  return `legacy|${getHeader(req.headers, 'Call-ID')}|${cseq}|${fromTag}|${via?.host}:${via?.port}|${peer.address}|${method}`;
}

export class ServerTransactions {
  private readonly table = new Map<string, ServerTransaction>();
  /** INVITEs answered 2xx and waiting for their ACK, by Call-ID and CSeq number. */
  private readonly awaitingAck = new Map<string, ServerTransaction>();
  readonly t1: number;
  readonly t2: number;
  readonly t4: number;
  readonly server: string;

  constructor(private readonly opts: TransactionOptions, private readonly tu: TransactionUser) {
    this.t1 = opts.t1 ?? 500;
    this.t2 = opts.t2 ?? 4000;
    this.t4 = opts.t4 ?? 5000;
    this.server = opts.server;
  }

  get size(): number { return this.table.size; }
  newTag(): string { return this.opts.newTag(); }
  transmit(data: Buffer, to: Peer): void { this.opts.send(data, to); }

  receive(req: SipRequest, peer: Peer): void {
    const key = transactionKey(req, peer);
    const existing = this.table.get(key);
    if (req.method === 'ACK') return this.onAck(req, peer, existing);
    if (existing) {
      if (existing.state !== 'trying') existing.resend(); // a retransmission: the last response again
      return;
    }
    const tx = new ServerTransaction(key, req, peer, this);
    this.table.set(key, tx);
    if (req.method === 'CANCEL') return this.onCancel(req, tx, peer);
    if (req.method === 'INVITE') tx.respond(100, 'Trying');
    this.tu.request(req, tx);
  }

  private onAck(req: SipRequest, peer: Peer, tx: ServerTransaction | undefined): void {
    if (tx && tx.state === 'completed') {
      tx.stopTimers();
      tx.setState('confirmed');
      tx.addTimer(this.opts.timers.setTimeout(() => this.terminate(tx), peer.transport === 'udp' ? this.t4 : 0));
      return;
    }
    if (tx && tx.state === 'confirmed') return;
    const waiting = this.awaitingAck.get(ackKey(req));
    if (waiting) {
      this.awaitingAck.delete(ackKey(req));
      this.terminate(waiting);
    }
    this.tu.ack(req, peer);
  }

  private onCancel(req: SipRequest, tx: ServerTransaction, peer: Peer): void {
    const invite = this.table.get(transactionKey({ ...req, method: 'INVITE' }, peer));
    if (!invite || invite.state !== 'proceeding') {
      tx.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    tx.toTag = invite.toTag;
    tx.respond(200, 'OK');
    invite.respond(487, 'Request Terminated');
    this.tu.cancelled(invite);
  }

  /** @internal A final response was sent. */
  finished(tx: ServerTransaction, status: number): void {
    const { timers } = this.opts;
    const udp = tx.peer.transport === 'udp';
    if (tx.method !== 'INVITE') {
      tx.setState('completed');
      tx.addTimer(timers.setTimeout(() => this.terminate(tx), udp ? 64 * this.t1 : 0));
      return;
    }
    const is2xx = status < 300;
    tx.setState(is2xx ? 'accepted' : 'completed');
    if (is2xx) this.awaitingAck.set(`${tx.callId}|${tx.cseq}`, tx);
    if (udp) {
      let interval = this.t1;
      const retransmit = () => {
        if (tx.state !== 'accepted' && tx.state !== 'completed') return;
        tx.resend();
        interval = Math.min(interval * 2, this.t2);
        tx.addTimer(timers.setTimeout(retransmit, interval));
      };
      tx.addTimer(timers.setTimeout(retransmit, interval));
    }
    tx.addTimer(
      timers.setTimeout(() => {
        if (tx.state === 'accepted') {
          this.awaitingAck.delete(`${tx.callId}|${tx.cseq}`);
          this.terminate(tx);
          this.tu.ackTimeout(tx);
        } else this.terminate(tx);
      }, 64 * this.t1),
    );
  }

  private terminate(tx: ServerTransaction): void {
    tx.stopTimers();
    tx.setState('terminated');
    if (this.table.get(tx.key) === tx) this.table.delete(tx.key);
  }

  /** Drops every transaction and its timers. */
  clear(): void {
    for (const tx of this.table.values()) tx.stopTimers();
    this.table.clear();
    this.awaitingAck.clear();
  }
}

function ackKey(ack: SipRequest): string {
  return `${getHeader(ack.headers, 'Call-ID')}|${parseCSeq(getHeader(ack.headers, 'CSeq') ?? '')?.seq ?? 0}`;
}
