/**
 * The SIPREC server as the daemon runs it: the sockets, the SIP core and the
 * media behind it, started and stopped together, restarted when its
 * settings change.
 */
import os from 'node:os';
import type { Clock } from '../../host/host.ts';
import type { Peer } from '../sip/transactions.ts';
import type { VoipMedia } from './recording-media.ts';
import { SiprecServer, type SipLogger, type SiprecSessionStatus } from './siprec-server.ts';
import { SipTransport } from './sip-transport.ts';

/** Where and how the SIP listener runs (from the VoIP settings). */
export interface SiprecListenerSettings {
  /** SIP port, UDP and TCP alike; 0 binds any free port (tests). */
  port: number;
  udp: boolean;
  tcp: boolean;
  bindAddress: string;
  /** Address written in answers (SDP c=, Contact); empty: the bind address, else the box's first address. */
  advertisedAddress: string;
  /** Shortest session-timer interval accepted, seconds. */
  minSessionExpires: number;
  /** Whether requests from this address are served (others get 403); all are when absent. */
  allowed?(address: string): boolean;
}

export interface SiprecListenerOptions {
  media: VoipMedia;
  clock: Pick<Clock, 'now' | 'setTimeout'>;
  log: SipLogger;
  onStatus?(s: SiprecSessionStatus): void;
}

/** The box's first non-internal IPv4 address, or loopback. */
function firstAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

export class SiprecListener {
  private server: SiprecServer | null = null;
  private transport: SipTransport | null = null;

  constructor(private readonly o: SiprecListenerOptions) {}

  /** The bound SIP port, 0 when not listening. */
  get port(): number { return this.transport?.port ?? 0; }

  sessions(): SiprecSessionStatus[] { return this.server?.list() ?? []; }

  async start(settings: SiprecListenerSettings): Promise<void> {
    if (!settings.udp && !settings.tcp) return;
    const advertised = settings.advertisedAddress || (settings.bindAddress !== '0.0.0.0' ? settings.bindAddress : '');
    const fallback = advertised || firstAddress();
    const log = this.o.log;
    let transport: SipTransport | null = null;
    const local = (peer: Peer) => ({
      host: advertised || (peer.address === '127.0.0.1' || peer.address === '::1' ? peer.address.replace('::1', '127.0.0.1') : fallback),
      port: transport?.port ?? settings.port,
    });
    const server = new SiprecServer({
      media: this.o.media,
      timers: { setTimeout: (fn, ms) => this.o.clock.setTimeout(fn, ms) },
      now: () => this.o.clock.now(),
      send: (data, to) => transport?.send(data, to),
      local,
      log,
      ...(settings.allowed ? { allowed: settings.allowed } : {}),
      minSE: settings.minSessionExpires,
      ...(this.o.onStatus ? { onStatus: this.o.onStatus } : {}),
    });
    transport = new SipTransport({
      host: settings.bindAddress,
      port: settings.port,
      udp: settings.udp,
      tcp: settings.tcp,
      onBytes: (data, peer) => server.receiveBytes(data, peer),
      onStreamError: (head, peer) => server.receiveBytes(head, peer),
      onError: (e) => log.warn({ err: e.message }, 'SIP transport error'),
    });
    try {
      await transport.start();
    } catch (e) {
      await transport.stop(); // a UDP socket bound before TCP failed is closed again
      throw e;
    }
    this.server = server;
    this.transport = transport;
    log.info({ port: transport.port, udp: settings.udp, tcp: settings.tcp }, 'SIPREC server listening');
  }

  async stop(): Promise<void> {
    const { server, transport } = this;
    this.server = null;
    this.transport = null;
    if (server) await server.stop();
    // Give the BYEs a moment on the wire before the sockets close.
    if (transport) await new Promise((r) => setTimeout(r, 50));
    server?.dispose();
    await transport?.stop();
  }
}
