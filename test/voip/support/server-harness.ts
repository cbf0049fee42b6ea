/** A SiprecServer on a virtual clock and a fake media, with every message it sends parsed. */
import { VirtualClock } from '../../../firmware/sim/virtual-clock.ts';
import { SiprecServer, type SiprecSessionStatus } from '../../../firmware/voip/siprec/siprec-server.ts';
import { parseSipMessage, getHeader, headerParam, type SipMessage, type SipResponse } from '../../../firmware/voip/sip/sip-message.ts';
import type { Peer } from '../../../firmware/voip/sip/transactions.ts';
import { FakeMedia } from './fake-media.ts';

export const SRC: Peer = { transport: 'udp', address: '127.0.0.1', port: 5061 };
const quiet = { info() {}, warn() {}, debug() {} };

export class Harness {
  readonly clock = new VirtualClock(1_700_000_000_000);
  readonly media = new FakeMedia();
  readonly sent: SipMessage[] = [];
  readonly statuses: SiprecSessionStatus[] = [];
  readonly server: SiprecServer;
  private tags = 0;

  constructor(opts: { allowed?: (a: string) => boolean } = {}) {
    this.server = new SiprecServer({
      media: this.media,
      timers: this.clock,
      now: () => this.clock.now(),
      send: (data) => {
        const p = parseSipMessage(data);
        if (!p.ok) throw new Error(`server sent an unparsable message: ${p.reason}`);
        this.sent.push(p.message);
      },
      local: () => ({ host: '127.0.0.1', port: 5060 }),
      log: quiet,
      onStatus: (s) => this.statuses.push(s),
      random: () => `t${++this.tags}`,
      ...(opts.allowed ? { allowed: opts.allowed } : {}),
    });
  }

  /** Feeds bytes and lets the async session work finish. */
  async send(data: Buffer, peer: Peer = SRC): Promise<void> {
    this.server.receiveBytes(data, peer);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }

  responses(): SipResponse[] {
    return this.sent.filter((m): m is SipResponse => m.kind === 'response');
  }

  /** The last final response. */
  final(): SipResponse {
    const r = this.responses().filter((x) => x.status >= 200);
    if (r.length === 0) throw new Error('no final response');
    return r[r.length - 1]!;
  }

  toTag(res: SipResponse): string {
    return headerParam(getHeader(res.headers, 'To') ?? '', 'tag') ?? '';
  }

  clear(): void { this.sent.length = 0; }
}
