/**
 * A dialog on the answering side (RFC 3261 section 12.1.1) and the few
 * requests the server sends inside one (BYE when a recording must end,
 * UPDATE to refresh a session it refreshes): built from the dialog state and
 * retransmitted over UDP (timer E, doubling to T2) until a response with the
 * same branch arrives or timer F fires. Pure apart from the injected send and timers.
 */
import { getHeader, headerParam, headerValues, parseCSeq, topVia, serializeSipMessage, uriOf, type SipRequest, type SipResponse } from './sip-message.ts';
import type { Peer, SipTimers, TimerHandle } from './transactions.ts';

export interface Dialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** The remote party's From (name-addr with its tag) and our To, as the INVITE had them. */
  remoteUri: string;
  localUri: string;
  remoteTarget: string;
  routeSet: string[];
  remoteCSeq: number;
  localCSeq: number;
  peer: Peer;
}

/** The dialog an INVITE creates once we answer it with `localTag`. */
export function dialogFromInvite(req: SipRequest, peer: Peer, localTag: string): Dialog {
  const from = getHeader(req.headers, 'From') ?? '';
  const to = getHeader(req.headers, 'To') ?? '';
  return {
    callId: getHeader(req.headers, 'Call-ID') ?? '',
    localTag,
    remoteTag: headerParam(from, 'tag') ?? '',
    remoteUri: from.replace(/;\s*tag=[^;]*/i, ''),
    localUri: to.replace(/;\s*tag=[^;]*/i, ''),
    remoteTarget: uriOf(headerValues(req.headers, 'Contact')[0] ?? '') || uriOf(from),
    routeSet: headerValues(req.headers, 'Record-Route'),
    remoteCSeq: parseCSeq(getHeader(req.headers, 'CSeq') ?? '')?.seq ?? 0,
    localCSeq: 0,
    peer,
  };
}

export interface LocalAddress { host: string; port: number }

export class ClientRequests {
  private readonly pending = new Map<string, { timers: TimerHandle[]; done: (res: SipResponse | null) => void }>();
  private counter = 0;

  constructor(
    private readonly send: (data: Buffer, to: Peer) => void,
    private readonly timers: SipTimers,
    private readonly newBranch: () => string,
    private readonly t1 = 500,
    private readonly t2 = 4000,
  ) {}

  /** Sends a request in the dialog; resolves with its final response, or null on timeout. */
  request(dialog: Dialog, method: string, local: LocalAddress, server: string): Promise<SipResponse | null> {
    dialog.localCSeq = Math.max(dialog.localCSeq, 0) + 1;
    const branch = `z9hG4bK${this.newBranch()}${++this.counter}`;
    const transport = dialog.peer.transport === 'udp' ? 'UDP' : 'TCP';
    const req: SipRequest = {
      kind: 'request',
      method,
      uri: dialog.remoteTarget,
      headers: [
        ['Via', `SIP/2.0/${transport} ${local.host}:${local.port};branch=${branch};rport`],
        ['Max-Forwards', '70'],
        ...dialog.routeSet.map((r): [string, string] => ['Route', r]),
        ['From', `${dialog.localUri};tag=${dialog.localTag}`],
        ['To', dialog.remoteTag ? `${dialog.remoteUri};tag=${dialog.remoteTag}` : dialog.remoteUri],
        ['Call-ID', dialog.callId],
        ['CSeq', `${dialog.localCSeq} ${method}`],
        ['User-Agent', server],
      ],
      body: Buffer.alloc(0),
    };
    const data = serializeSipMessage(req);
    return new Promise((resolve) => {
      const entry = { timers: [] as TimerHandle[], done: (res: SipResponse | null) => { for (const t of entry.timers) t.cancel(); this.pending.delete(branch); resolve(res); } };
      this.pending.set(branch, entry);
      this.send(data, dialog.peer);
      if (dialog.peer.transport === 'udp') {
        let interval = this.t1;
        const again = () => { this.send(data, dialog.peer); interval = Math.min(interval * 2, this.t2); entry.timers.push(this.timers.setTimeout(again, interval)); };
        entry.timers.push(this.timers.setTimeout(again, interval));
      }
      entry.timers.push(this.timers.setTimeout(() => entry.done(null), 64 * this.t1));
    });
  }

  /** A response arrived; true when it belonged to one of our requests. */
  receive(res: SipResponse): boolean {
    const branch = topVia(res.headers)?.branch;
    const entry = branch ? this.pending.get(branch) : undefined;
    if (!entry) return false;
    if (res.status >= 200) entry.done(res);
    return true;
  }

  clear(): void {
    for (const e of [...this.pending.values()]) e.done(null);
  }
}
