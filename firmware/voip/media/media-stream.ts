/** One offered stream of a call: its socket, its sender check and its jitter-buffered receiver. */
import type dgram from 'node:dgram';
import { RtpStream } from '../rtp/rtp-stream.ts';
import type { CodecName } from '../rtp/payload-codec.ts';
import type { StreamOffer, StreamStats } from './voip-call.ts';

export function codecMap(o: Pick<StreamOffer, 'codecs'>): Map<number, CodecName> {
  return new Map(o.codecs.map((c) => [c.pt, c.name]));
}

export class MediaStream {
  socket: dgram.Socket | null = null;
  port = 0;
  /** Taken off its call (its socket's last datagrams are ignored). */
  removed = false;
  /** Expected sender: the offered address (any port) or the first packet's address and port. */
  private senderAddress: string | null;
  private senderPort = 0;
  readonly rtp: RtpStream;

  constructor(public offer: StreamOffer, delay: number, startPos: number) {
    this.senderAddress = offer.remote?.address ?? null;
    this.rtp = new RtpStream(codecMap(offer), delay, startPos);
  }

  /** Whether a datagram from this address is the stream's (latching the first sender when none was offered). */
  accepts(address: string, port: number): boolean {
    if (this.senderAddress === null) {
      this.senderAddress = address;
      this.senderPort = port;
      return true;
    }
    if (address !== this.senderAddress) return false;
    return this.offer.remote !== undefined || port === this.senderPort;
  }

  reoffer(o: StreamOffer): void {
    if (o.remote && o.remote.address !== this.offer.remote?.address) {
      this.senderAddress = o.remote.address;
      this.senderPort = 0;
    }
    this.offer = o;
    this.rtp.setCodecs(codecMap(o));
  }

  stats(): StreamStats {
    const r = this.rtp;
    return {
      ...r.counters,
      label: this.offer.label,
      leg: this.offer.leg,
      port: this.port,
      sender: this.senderAddress === null ? null : this.offer.remote ? this.senderAddress : `${this.senderAddress}:${this.senderPort}`,
      codec: r.lastCodec,
      jitterMs: Math.round((r.jitter / 8) * 10) / 10,
      digits: r.events.digits,
    };
  }
}
