/**
 * The recording server's SIP core (RFC 7866 as the SRS, RFC 3261 as the
 * UAS): accepts SIPREC INVITEs (with `Require: siprec` or without), opens a
 * recording per dialog, follows re-INVITEs and UPDATEs on the same
 * recording, ends it on BYE, CANCEL, a 2xx never acknowledged or a session
 * timer not refreshed, and answers OPTIONS. Transport-independent: bytes go
 * out through the injected `send`.
 */
import { getHeader, headerParam, headerValues, parseCSeq, parseSipMessage, serializeSipMessage, type SipHeaders, type SipMessage, type SipRequest } from '../sip/sip-message.ts';
import { ServerTransactions, buildResponse, type Peer, type ServerTransaction, type SipTimers, type TimerHandle, type TransactionUser } from '../sip/transactions.ts';
import { ClientRequests, dialogFromInvite, type Dialog, type LocalAddress } from '../sip/dialog.ts';
import type { VoipMedia } from './recording-media.ts';
import { readSiprecBody } from './siprec-body.ts';
import { SiprecRecording, type RecordedStream } from './siprec-recording.ts';
import { DEFAULT_MIN_SE, expiryDelayMs, negotiateSessionTimer } from './session-timer.ts';

export interface SiprecSessionStatus {
  sipCallId: string;
  /** The media call's id (the recording's), once opened. */
  callId: string | null;
  peer: string;
  state: 'setup' | 'recording' | 'paused' | 'ended';
  streams: RecordedStream[];
  reason: string | null;
  at: number;
}

export interface SipLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug?(obj: object, msg: string): void;
}

export interface SiprecServerOptions {
  media: VoipMedia;
  timers: SipTimers;
  now(): number;
  send(data: Buffer, to: Peer): void;
  /** Our address and SIP port as this peer reaches us (Contact, Via, SDP). */
  local(peer: Peer): LocalAddress;
  log: SipLogger;
  /** Requests from other addresses get 403; all are allowed when absent. */
  allowed?(address: string): boolean;
  onStatus?(s: SiprecSessionStatus): void;
  minSE?: number;
  random?(): string;
  t1?: number;
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO';
const SUPPORTED = 'siprec, timer, 100rel';
const KNOWN_OPTIONS = new Set(['siprec', 'timer', '100rel']);
const SERVER = 'RDS-recorder-SRS/1.0';

interface Session {
  sipCallId: string;
  peer: Peer;
  initialCSeq: number;
  state: SiprecSessionStatus['state'];
  dialog: Dialog | null;
  rec: SiprecRecording | null;
  busy: boolean;
  cancelled: boolean;
  lastAnswer: string;
  expiry: TimerHandle | null;
  reason: string | null;
}

const peerText = (p: Peer) => `${p.address}:${p.port}/${p.transport}`;

export class SiprecServer implements TransactionUser {
  readonly transactions: ServerTransactions;
  private readonly client: ClientRequests;
  private readonly sessions = new Map<string, Session>();
  private readonly random: () => string;

  constructor(private readonly o: SiprecServerOptions) {
    this.random = o.random ?? (() => Math.random().toString(36).slice(2, 10));
    const t1 = o.t1 ?? 500;
    this.transactions = new ServerTransactions({ send: o.send, timers: o.timers, server: SERVER, newTag: () => this.random(), t1 }, this);
    this.client = new ClientRequests(o.send, o.timers, () => this.random(), t1);
  }

  /** Bytes from the network: a request goes to its transaction, a response to our BYE/UPDATE, garbage gets 400/513. */
  receiveBytes(data: Buffer, peer: Peer): void {
    const parsed = parseSipMessage(data);
    if (parsed.ok) return this.receive(parsed.message, peer);
    if (parsed.method === undefined || parsed.method === 'ACK' || !parsed.headers.some(([n]) => n === 'Via')) {
      this.o.log.debug?.({ peer: peerText(peer), reason: parsed.reason }, 'unanswerable SIP message dropped');
      return;
    }
    const req: SipRequest = { kind: 'request', method: parsed.method, uri: '', headers: parsed.headers, body: Buffer.alloc(0) };
    this.o.log.info({ peer: peerText(peer), status: parsed.status, reason: parsed.reason }, 'bad SIP request');
    const tag = this.random();
    this.o.send(serializeSipMessage(buildResponse(req, peer, parsed.status, parsed.status === 513 ? 'Message Too Large' : 'Bad Request', tag, SERVER, [['Warning', `399 rds-srs "${parsed.reason.replace(/"/g, "'")}"`]])), peer);
  }

  receive(msg: SipMessage, peer: Peer): void {
    if (msg.kind === 'response') { this.client.receive(msg); return; }
    if (this.o.allowed && !this.o.allowed(peer.address) && msg.method !== 'ACK') {
      this.o.send(serializeSipMessage(buildResponse(msg, peer, 403, 'Forbidden', this.random(), SERVER, [])), peer);
      return;
    }
    this.transactions.receive(msg, peer);
  }

  list(): SiprecSessionStatus[] {
    return [...this.sessions.values()].map((s) => this.status(s));
  }

  // --- TransactionUser ---

  request(req: SipRequest, tx: ServerTransaction): void {
    const toTag = headerParam(getHeader(req.headers, 'To') ?? '', 'tag');
    const session = this.sessions.get(getHeader(req.headers, 'Call-ID') ?? '');
    switch (req.method) {
      case 'OPTIONS':
        return tx.respond(200, 'OK', [['Allow', ALLOW], ['Supported', SUPPORTED], ['Accept', 'application/sdp, application/rs-metadata+xml, application/rs-metadata, multipart/mixed']]);
      case 'INVITE':
        if (!toTag) return void this.invite(req, tx, session);
        return void this.inDialog(req, tx, session, toTag);
      case 'BYE':
      case 'UPDATE':
      case 'INFO':
        return void this.inDialog(req, tx, session, toTag);
      default:
        return tx.respond(405, 'Method Not Allowed', [['Allow', ALLOW]]);
    }
  }

  ack(req: SipRequest): void {
    const s = this.sessions.get(getHeader(req.headers, 'Call-ID') ?? '');
    if (s && s.dialog) this.o.log.debug?.({ callId: s.sipCallId }, 'SIPREC session confirmed');
  }

  cancelled(invite: ServerTransaction): void {
    const s = this.sessions.get(invite.callId);
    if (s && !s.dialog) {
      s.cancelled = true;
      void this.end(s, 'cancelled', false);
    }
  }

  ackTimeout(invite: ServerTransaction): void {
    const s = this.sessions.get(invite.callId);
    if (s && s.dialog && s.initialCSeq === invite.cseq) void this.end(s, 'no ACK', true);
  }

  // --- requests ---

  private async invite(req: SipRequest, tx: ServerTransaction, existing: Session | undefined): Promise<void> {
    const callId = tx.callId;
    if (existing) {
      if (existing.initialCSeq !== tx.cseq) tx.respond(482, 'Loop Detected');
      return; // a late retransmission of the INVITE already answered
    }
    const unsupported = headerValues(req.headers, 'Require').filter((t) => !KNOWN_OPTIONS.has(t.toLowerCase()));
    if (unsupported.length > 0) return tx.respond(420, 'Bad Extension', [['Unsupported', unsupported.join(', ')]]);
    const timer = negotiateSessionTimer(req.headers, this.o.minSE ?? DEFAULT_MIN_SE);
    if (timer.kind === 'too-small') return tx.respond(422, 'Session Interval Too Small', [['Min-SE', String(timer.minSE)]]);
    const body = readSiprecBody(req);
    if (!body.ok) return this.refuse(tx, body.status, body.reason);
    if (!body.offer) return this.refuse(tx, 488, 'SIPREC INVITE without an SDP offer');
    const s: Session = { sipCallId: callId, peer: tx.peer, initialCSeq: tx.cseq, state: 'setup', dialog: null, rec: null, busy: true, cancelled: false, lastAnswer: '', expiry: null, reason: null };
    this.sessions.set(callId, s);
    const local = this.o.local(tx.peer);
    const opened = await SiprecRecording.open(this.o.media, { sipCallId: callId, peer: peerText(tx.peer), localAddress: local.host, now: this.o.now() }, body.offer, body.metadata, body.metadataXml);
    s.busy = false;
    if (!opened.ok) {
      this.sessions.delete(callId);
      return this.refuse(tx, opened.status, opened.reason, opened.retryAfter);
    }
    if (s.cancelled) { await opened.rec.close('cancelled'); return; }
    s.rec = opened.rec;
    s.lastAnswer = opened.answer;
    tx.toTag = this.random();
    s.dialog = dialogFromInvite(req, tx.peer, tx.toTag);
    s.state = opened.rec.isPaused ? 'paused' : 'recording';
    tx.respond(200, 'OK', [...this.answerHeaders(local, tx.peer), ...(timer.kind === 'timer' ? timer.headers : [])], { type: 'application/sdp', data: Buffer.from(opened.answer) });
    if (timer.kind === 'timer') this.armTimer(s, timer.interval, timer.refresher);
    // The media may end the call itself (no RTP for the silence timeout): the SRC is told with a BYE.
    void opened.rec.ended.then((reason) => this.end(s, reason, true));
    this.o.log.info({ callId, peer: peerText(tx.peer), streams: opened.rec.recorded.map((r) => `${r.label}:${r.leg}`) }, 'SIPREC recording started');
    this.publish(s);
  }

  private async inDialog(req: SipRequest, tx: ServerTransaction, s: Session | undefined, toTag: string | null): Promise<void> {
    if (!s || !s.dialog || !s.rec || (toTag && toTag !== s.dialog.localTag)) return tx.respond(481, 'Call/Transaction Does Not Exist');
    const cseq = parseCSeq(getHeader(req.headers, 'CSeq') ?? '')?.seq ?? 0;
    if (cseq <= s.dialog.remoteCSeq && req.method !== 'BYE') return tx.respond(500, 'Server Internal Error', [['Retry-After', '1']]);
    s.dialog.remoteCSeq = Math.max(s.dialog.remoteCSeq, cseq);
    if (req.method === 'BYE') {
      tx.respond(200, 'OK');
      return this.end(s, 'bye', false);
    }
    if (s.busy) return tx.respond(req.method === 'INVITE' ? 491 : 500, req.method === 'INVITE' ? 'Request Pending' : 'Server Internal Error', req.method === 'INVITE' ? [] : [['Retry-After', '1']]);
    const body = readSiprecBody(req);
    if (!body.ok) return this.refuse(tx, body.status, body.reason);
    if (req.method === 'INFO') {
      if (body.metadata) s.rec.updateMetadata(body.metadata, body.metadataXml);
      return tx.respond(200, 'OK');
    }
    const timer = negotiateSessionTimer(req.headers, this.o.minSE ?? DEFAULT_MIN_SE);
    if (timer.kind === 'too-small') return tx.respond(422, 'Session Interval Too Small', [['Min-SE', String(timer.minSE)]]);
    if (body.metadata) s.rec.updateMetadata(body.metadata, body.metadataXml);
    let answer = s.lastAnswer;
    if (body.offer) {
      s.busy = true;
      const r = await s.rec.reoffer(body.offer);
      s.busy = false;
      if (!r.ok) return this.refuse(tx, r.status, r.reason);
      answer = s.lastAnswer = r.answer;
    }
    const local = this.o.local(tx.peer);
    const withSdp = body.offer !== null || req.method === 'INVITE';
    tx.respond(200, 'OK', [...this.answerHeaders(local, tx.peer), ...(timer.kind === 'timer' ? timer.headers : [])], withSdp ? { type: 'application/sdp', data: Buffer.from(answer) } : undefined);
    if (timer.kind === 'timer') this.armTimer(s, timer.interval, timer.refresher);
    else if (s.expiry) this.armTimer(s, null, 'uac'); // a refresh without Session-Expires turns the timer off
    s.state = s.rec.isPaused ? 'paused' : 'recording';
    this.publish(s);
  }

  private answerHeaders(local: LocalAddress, peer: Peer): SipHeaders {
    const transport = peer.transport === 'tcp' ? ';transport=tcp' : '';
    return [['Contact', `<sip:srs@${local.host}:${local.port}${transport}>;+sip.srs`], ['Allow', ALLOW], ['Supported', SUPPORTED]];
  }

  private refuse(tx: ServerTransaction, status: number, reason: string, retryAfter?: number): void {
    this.o.log.info({ callId: tx.callId, peer: peerText(tx.peer), status, reason }, 'SIPREC request refused');
    const phrase = status === 400 ? 'Bad Request' : status === 488 ? 'Not Acceptable Here' : status === 415 ? 'Unsupported Media Type' : status === 503 ? 'Service Unavailable' : reason;
    const headers: SipHeaders = [['Warning', `399 rds-srs "${reason.replace(/"/g, "'").slice(0, 200)}"`]];
    if (retryAfter !== undefined) headers.push(['Retry-After', String(retryAfter)]);
    if (status === 415) headers.push(['Accept', 'application/sdp, application/rs-metadata+xml, application/rs-metadata, multipart/mixed']);
    tx.respond(status, phrase, headers);
  }

  /** Session timer: the SRC refreshes (we end the session when it does not), or we refresh with UPDATE. */
  private armTimer(s: Session, interval: number | null, refresher: 'uac' | 'uas'): void {
    s.expiry?.cancel();
    s.expiry = null;
    if (interval === null) return;
    if (refresher === 'uac') {
      s.expiry = this.o.timers.setTimeout(() => void this.end(s, 'session expired', true), expiryDelayMs(interval));
      return;
    }
    s.expiry = this.o.timers.setTimeout(() => {
      if (!s.dialog) return;
      void this.client.request(s.dialog, 'UPDATE', this.o.local(s.peer), SERVER).then((res) => {
        if (this.sessions.get(s.sipCallId) !== s) return;
        if (!res || res.status === 408 || res.status === 481) void this.end(s, 'session refresh failed', false);
        else this.armTimer(s, interval, 'uas');
      });
    }, (interval * 1000) / 2);
  }

  /** Ends a recording session: BYE to the SRC when we end it, the media call closed. */
  private async end(s: Session, reason: string, sendBye: boolean): Promise<void> {
    if (this.sessions.get(s.sipCallId) !== s) return;
    this.sessions.delete(s.sipCallId);
    s.expiry?.cancel();
    s.state = 'ended';
    s.reason = reason;
    if (sendBye && s.dialog) void this.client.request(s.dialog, 'BYE', this.o.local(s.peer), SERVER);
    this.o.log.info({ callId: s.sipCallId, reason }, 'SIPREC recording ended');
    this.publish(s);
    await s.rec?.close(reason);
  }

  private status(s: Session): SiprecSessionStatus {
    return { sipCallId: s.sipCallId, callId: s.rec?.callId ?? null, peer: peerText(s.peer), state: s.state, streams: s.rec?.recorded ?? [], reason: s.reason, at: this.o.now() };
  }

  private publish(s: Session): void {
    this.o.onStatus?.(this.status(s));
  }

  /** Ends every session (BYE to each SRC) and drops the transactions. */
  async stop(reason = 'shutdown'): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => this.end(s, reason, true)));
    this.transactions.clear();
  }

  /** Stops pending client requests (after `stop`, once the BYEs had their chance). */
  dispose(): void {
    this.client.clear();
  }
}
