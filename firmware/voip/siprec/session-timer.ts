/**
 * Session timers (RFC 4028) on the answering side: reads Session-Expires and
 * Min-SE from a request, decides the interval and refresher, and says when a
 * session not refreshed must end. Pure.
 */
import { getHeader, headerParam, headerValues, type SipHeaders } from '../sip/sip-message.ts';

export const DEFAULT_MIN_SE = 90;

export type TimerDecision =
  | { kind: 'none' }
  | { kind: 'too-small'; minSE: number }
  | { kind: 'timer'; interval: number; refresher: 'uac' | 'uas'; headers: SipHeaders };

/** The answer to a request's Session-Expires: 422 when below our minimum, else the interval the 2xx states. */
export function negotiateSessionTimer(req: SipHeaders, minSE = DEFAULT_MIN_SE): TimerDecision {
  const se = getHeader(req, 'Session-Expires');
  if (!se) return { kind: 'none' };
  const m = /^\s*(\d{1,9})/.exec(se);
  if (!m) return { kind: 'none' };
  const interval = Number(m[1]);
  if (interval < minSE) return { kind: 'too-small', minSE };
  const uacSupports = [...headerValues(req, 'Supported'), ...headerValues(req, 'Require')].some((t) => t.toLowerCase() === 'timer');
  // A refresher the UAC chose stands; otherwise the SRC refreshes when it can, and we do when it cannot.
  const asked = headerParam(se, 'refresher')?.toLowerCase();
  const refresher: 'uac' | 'uas' = asked === 'uac' || asked === 'uas' ? asked : uacSupports ? 'uac' : 'uas';
  const headers: SipHeaders = [['Session-Expires', `${interval};refresher=${refresher}`]];
  if (uacSupports) headers.push(['Require', 'timer']);
  return { kind: 'timer', interval, refresher, headers };
}

/** When the side that does not refresh ends the session (RFC 4028 section 10): before expiry by min(32 s, interval/3). */
export function expiryDelayMs(intervalSec: number): number {
  return (intervalSec - Math.min(32, intervalSec / 3)) * 1000;
}
