/**
 * The web UI's live connection, WebSocket `/api/v1/ws`: the box's events as
 * they happen (one bounded subscription per socket, dropped with the socket)
 * and who else has a settings page open (presence, for the manual's
 * 【本账号正在配置...】 warning). Peers that stop answering pings are cut.
 *
 * Client → box: `{"type":"watch","types":["channel.state",...]}` (which
 * events; all but the level meter by default), `{"type":"presence","page":"channels"|null}`,
 * `{"type":"listen"|"unlisten",…}` (live audio, live-audio.ts).
 * Box → client: `{"type":"hello","account"}`, `{"type":"event","event":{...}}`,
 * `{"type":"presence","page","others":[{account,ip}]}`, and for a seat
 * `{"type":"pop","pop":{ref,callId,phase,remoteNumber,callerName,at}}` (来电弹屏).
 *
 * A seat's socket carries only the events of channels it sees (its own,
 * and those its sync or monitor right reaches), and marks the seat online
 * (座席状态) while it is open.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Services } from '../../app/services.ts';
import { BOX_EVENT_TYPES, type BoxEventType } from '../../app/vocabulary.ts';
import type { Principal } from '../../app/principal.ts';
import { authenticateRequest, requestStillSignedIn } from '../auth/session-gate.ts';
import { presentEvent } from '../events/presenter.ts';
import { SocketListens } from './live-audio.ts';

export const WS_PATH = '/api/v1/ws';
const QUEUE = 256;
const PING_MS = 20_000;
const SESSION_CHECK_MS = 2_000;
/** The close code of a socket whose session ended (4000–4999: the application's own). */
const SIGNED_OUT_CODE = 4401;
const MAX_MESSAGE = 4096;
const MAX_BUFFERED = 512 * 1024;
const DEFAULT_TYPES = BOX_EVENT_TYPES.filter((t) => t !== 'channel.level');
const SEAT_TYPES: readonly BoxEventType[] = ['channel.state', 'channel.level', 'recording.started', 'recording.updated', 'recording.stopped', 'recording.indexed'];

/** Who opens a socket, from the upgrade request; undefined refuses it (401). */
export type Authenticate = (req: IncomingMessage) => Promise<Principal | undefined>;


export interface LiveSocketOptions {
  /** Who opens a socket; by default the request's signed-in session (cookie or bearer token). */
  authenticate?: Authenticate;
  /** Whether the session a socket was opened with is still live; by default the request's session, as `authenticate`. */
  stillSignedIn?: (req: IncomingMessage) => boolean;
  pingMs?: number;
  /** How often open sockets check their session: one whose session ended (signed out, switched off, idle) is closed. */
  sessionCheckMs?: number;
}

interface Peer {
  ws: WebSocket;
  req: IncomingMessage;
  principal: Principal;
  page: string | null;
  alive: boolean;
  close(): void;
}

export interface LiveSockets {
  readonly count: number;
  close(): void;
}

const who = (p: Principal) => (p.kind !== 'system' ? { account: p.account, ip: p.ip } : { account: 'system', ip: '' });

export function attachLiveSockets(server: Server, services: Services, options: LiveSocketOptions = {}): LiveSockets {
  const authenticate = options.authenticate ?? ((req: IncomingMessage) => authenticateRequest(services, req));
  const stillSignedIn = options.stillSignedIn ?? (options.authenticate ? () => true : (req: IncomingMessage) => requestStillSignedIn(services, req));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
  const peers = new Set<Peer>();

  const sendPresence = (page: string | null) => {
    if (page === null) return;
    const here = [...peers].filter((p) => p.page === page);
    for (const p of here) {
      const others = here.filter((o) => o !== p).map((o) => who(o.principal));
      send(p.ws, { type: 'presence', page, others });
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://box');
    if (url.pathname !== WS_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    // A page of another site may not open the box's socket with the user's cookies.
    if (!sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    authenticate(req).then(
      (principal) => {
        if (!principal) {
          socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => open(ws, req, principal));
      },
      () => socket.destroy(),
    );
  };

  const open = (ws: WebSocket, req: IncomingMessage, principal: Principal) => {
    const isSeat = principal.kind === 'seat';
    const allowedTypes = (types: readonly BoxEventType[]) => (isSeat ? types.filter((t) => SEAT_TYPES.includes(t)) : types);
    let sub = services.events.subscribe({ types: allowedTypes(DEFAULT_TYPES) }, QUEUE);
    const listens = new SocketListens(ws, services, principal, (msg) => send(ws, msg));
    const leave = services.seats.connected(principal);
    const pops = isSeat ? services.seats.watchPops(principal) : null;
    let closed = false;
    const peer: Peer = {
      ws,
      req,
      principal,
      page: null,
      alive: true,
      close: () => {
        if (closed) return;
        closed = true;
        sub.close();
        pops?.close();
        leave();
        void listens.closeAll();
      },
    };
    peers.add(peer);
    const visible = (e: { type: string; ref?: unknown }) => {
      if (!isSeat) return true;
      const ref = (e as { ref?: Parameters<typeof services.seats.seesChannel>[1] }).ref;
      if (!ref) return false;
      return e.type.startsWith('recording.') ? services.seats.access.reaches(principal, 'sync', ref) : services.seats.seesChannel(principal, ref);
    };
    const pump = async (s: typeof sub) => {
      for (;;) {
        const e = await s.next();
        if (e === null) return;
        // A reader that falls this far behind loses events rather than growing the box's memory.
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_BUFFERED) continue;
        if (!visible(e)) continue;
        send(ws, { type: 'event', event: presentEvent(e) });
      }
    };
    void pump(sub);
    if (pops) {
      void (async () => {
        for (;;) {
          const p = await pops.next();
          if (p === null) return;
          send(ws, { type: 'pop', pop: { ...p, at: new Date(p.at).toISOString() } });
        }
      })();
    }
    send(ws, { type: 'hello', ...who(principal) });
    ws.on('pong', () => (peer.alive = true));
    ws.on('message', (data, isBinary) => {
      if (isBinary || closed) return;
      let msg: unknown;
      try {
        msg = JSON.parse(String(data));
      } catch {
        send(ws, { type: 'error', message: 'not JSON' });
        return;
      }
      if (!msg || typeof msg !== 'object') return;
      const m = msg as { type?: unknown; page?: unknown; types?: unknown; ref?: unknown; mode?: unknown; stream?: unknown };
      if (m.type === 'presence') {
        const before = peer.page;
        peer.page = typeof m.page === 'string' && m.page.length <= 64 ? m.page : null;
        sendPresence(before);
        sendPresence(peer.page);
      } else if (m.type === 'watch' && Array.isArray(m.types)) {
        const types = allowedTypes(m.types.filter((t): t is BoxEventType => BOX_EVENT_TYPES.includes(t as BoxEventType)));
        sub.close();
        sub = services.events.subscribe({ types }, QUEUE);
        void pump(sub);
      } else if (m.type === 'listen' || m.type === 'unlisten') {
        void listens.handle(m).catch(() => undefined);
      }
    });
    ws.on('close', () => {
      peers.delete(peer);
      peer.close();
      sendPresence(peer.page);
    });
    ws.on('error', () => ws.terminate());
  };

  const ping = setInterval(() => {
    for (const p of peers) {
      if (!p.alive) {
        p.ws.terminate();
        continue;
      }
      p.alive = false;
      p.ws.ping();
    }
  }, options.pingMs ?? PING_MS);
  ping.unref();
  // A session that ended while its socket was open (signed out elsewhere, account or seat switched
  // off, idle) loses its events, pops and live audio within a check.
  const sessionCheck = setInterval(() => {
    for (const p of peers) {
      if (p.ws.readyState !== p.ws.OPEN || stillSignedIn(p.req)) continue;
      send(p.ws, { type: 'signed-out' });
      p.close();
      p.ws.close(SIGNED_OUT_CODE, 'session ended');
    }
  }, options.sessionCheckMs ?? SESSION_CHECK_MS);
  sessionCheck.unref();

  server.on('upgrade', onUpgrade);
  return {
    get count() {
      return peers.size;
    },
    close() {
      clearInterval(ping);
      clearInterval(sessionCheck);
      server.off('upgrade', onUpgrade);
      for (const p of peers) {
        p.close();
        p.ws.terminate();
      }
      peers.clear();
      wss.close();
    },
  };
}

/** Browsers send Origin on WebSocket upgrades: it must name the host the request went to. Other clients send none. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function send(ws: WebSocket, msg: object): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}
