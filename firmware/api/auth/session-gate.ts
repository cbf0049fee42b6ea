/**
 * Every request: the web access ranges first (403 address_not_allowed),
 * then, for the API, a live session (401 unauthenticated) except for the
 * health check and signing in; the CSRF double submit for a browser's
 * unsafe methods (403 csrf); and while the password must be changed, only
 * the routes that change it or sign out (403 password_change_required).
 * The session's principal, with its role, is what the routes act as.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, Next } from 'koa';
import type { Services } from '../../app/services.ts';
import type { SignedIn } from '../../app/auth-service.ts';
import type { SeatSignedIn } from '../../app/seat-service.ts';
import type { Principal } from '../../app/principal.ts';
import { RecorderError } from '../../errors.ts';
import { CSRF_COOKIE, CSRF_HEADER, cookiesOf, credentialsOf } from './credentials.ts';

export const API_PREFIX = '/api/v1';
// Confirming a network change from the new address carries the change's one-time token instead of a session.
const PUBLIC = new Set(['GET /api/v1/health', 'HEAD /api/v1/health', 'POST /api/v1/login', 'POST /api/v1/system/network/confirm-token', 'POST /api/v1/seat/login']);
/**
 * What a seat's session may use: the seat API, and the recording and
 * statistics reads, which the services narrow to what the seat's rights reach.
 */
const SEAT_ROUTES = [
  /^[A-Z]+ \/api\/v1\/seat\//,
  /^GET \/api\/v1\/records(\/[^/]+(\/(audio|play|peaks|download))?|\/zip|\/export\.(csv|xlsx))?$/,
  /^POST \/api\/v1\/records\/zip$/,
  /^GET \/api\/v1\/stats(\/(daily|monthly|export\.(csv|xlsx)))?$/,
];

export function seatMayUse(route: string): boolean {
  return SEAT_ROUTES.some((r) => r.test(route));
}
const WHILE_PASSWORD_MUST_CHANGE = new Set(['GET /api/v1/me', 'POST /api/v1/me/password', 'POST /api/v1/logout']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Requests between the boxes of a cascade: signed with the cascade's secret instead (api/cascade/peer-routes.ts). */
const BETWEEN_BOXES = `${API_PREFIX}/cascade/peer/`;

export function sessionGate(services: Services) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (!services.auth.addressAllowed(ctx.ip)) throw new RecorderError('address_not_allowed', `${ctx.ip} is not in the web access ranges`);
    const route = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`;
    if (!ctx.path.startsWith(`${API_PREFIX}/`) || PUBLIC.has(route) || ctx.path.startsWith(BETWEEN_BOXES)) return next();
    const credentials = credentialsOf(ctx.headers);
    const signedIn = credentials && services.auth.resolveSession(credentials.token, ctx.ip);
    const seat = credentials && !signedIn ? services.seats.resolveSession(credentials.token, ctx.ip) : undefined;
    if (credentials && seat) {
      if (!seatMayUse(route)) throw new RecorderError('forbidden', 'a seat may use the seat API and read recordings only');
      if (credentials.viaCookie && !SAFE_METHODS.has(ctx.method)) {
        const sent = ctx.get(CSRF_HEADER);
        if (!sent || sent !== cookiesOf(ctx.headers).get(CSRF_COOKIE) || !services.seats.csrfValid(credentials.token, sent)) throw new RecorderError('csrf');
      }
      ctx.state.seat = seat;
      ctx.state.token = credentials.token;
      return next();
    }
    if (!credentials || !signedIn) throw new RecorderError('unauthenticated', 'sign in first (the session is missing or has ended)');
    if (credentials.viaCookie && !SAFE_METHODS.has(ctx.method)) {
      const sent = ctx.get(CSRF_HEADER);
      if (!sent || sent !== cookiesOf(ctx.headers).get(CSRF_COOKIE) || !services.auth.csrfValid(credentials.token, sent)) throw new RecorderError('csrf');
    }
    if (signedIn.mustChangePassword && !WHILE_PASSWORD_MUST_CHANGE.has(route)) throw new RecorderError('password_change_required');
    ctx.state.signedIn = signedIn;
    ctx.state.token = credentials.token;
    await next();
  };
}

/** The signed-in seat of a request that passed the gate, or undefined for an account. */
export function seatOf(ctx: Context): SeatSignedIn | undefined {
  return ctx.state.seat as SeatSignedIn | undefined;
}

/** The signed-in session of a request that passed the gate. */
export function signedInOf(ctx: Context): SignedIn {
  const s = ctx.state.signedIn as SignedIn | undefined;
  if (!s) throw new RecorderError('unauthenticated');
  return s;
}

/**
 * The principal of a raw request (a WebSocket upgrade): its cookie or bearer
 * token from an allowed address, with a session that needs no password
 * change; undefined otherwise. (A WebSocket is opened with a GET, so CSRF
 * does not apply; browsers send the SameSite=Strict cookie only from the box's own pages.)
 */
/** Whether the session a request was signed in with is still live (not counted as activity). */
export function requestStillSignedIn(services: Services, req: IncomingMessage): boolean {
  const ip = req.socket.remoteAddress ?? '';
  const credentials = credentialsOf(req.headers);
  if (!credentials) return false;
  return services.auth.sessionLive(credentials.token, ip) || services.seats.sessionLive(credentials.token, ip);
}

export async function authenticateRequest(services: Services, req: IncomingMessage): Promise<Principal | undefined> {
  const ip = req.socket.remoteAddress ?? '';
  if (!services.auth.addressAllowed(ip)) return undefined;
  const credentials = credentialsOf(req.headers);
  if (!credentials) return undefined;
  const signedIn = services.auth.resolveSession(credentials.token, ip);
  if (signedIn) return signedIn.mustChangePassword ? undefined : signedIn.principal;
  return services.seats.resolveSession(credentials.token, ip)?.principal;
}
