/**
 * ISDN PRI tap: both directions of TS16 in, TrunkEvents out.
 *
 * Per side: HDLC deframer → LAPD (frames with a bad FCS dropped, each I frame
 * delivered once) → Q.931 → the call tracker (pri-calls.ts), which sees the
 * messages of both sides in the order they are pushed.
 *
 * Signalling: a side is 'up' once flags are heard on it and 'down' when no
 * flag has been heard for `signallingTimeoutMs` (a cut or idle-ones line, a
 * line card delivering garbage); each change is one `signalling` event with
 * the side. Calls survive a D-channel outage: a call whose clearing is never
 * heard is cleared by `tick` after `callTimeoutMs` without a message.
 *
 * A frame's time is the time of its first bit: a response cannot start before
 * the request has ended, so messages of both sides ordered by their first bit
 * are in the order they were sent, however long each is.
 *
 * The two sides are pushed separately, so a message heard on one side may be
 * pushed after a later one of the other side. Decoded messages wait until both
 * sides have been pushed past their time (a side silent for more than
 * `reorderWindowMs` behind the other is not waited for; `tick` releases what
 * is older than that window) and reach the call tracker in time order.
 *
 * `options.observer` sees every HDLC frame and decoded message (the field
 * tool prints them); it is called synchronously inside `push`.
 */
import { HdlcDeframer, type HdlcDeframerOptions, type HdlcFrame } from './hdlc-deframer.ts';
import { LapdReceiver, parseLapd, type LapdFrame } from './lapd.ts';
import { PriCallTracker } from './pri-calls.ts';
import { decodeQ931, type Q931Message } from './q931.ts';
import { TimeOrderedQueue } from './time-order.ts';
import type { PriTap, PriTapOptions, PriTapStats, TrunkEvent, TrunkSide } from './trunk-events.ts';

export interface PriTapObserver {
  frame?(side: TrunkSide, frame: HdlcFrame, at: number): void;
  lapd?(side: TrunkSide, frame: LapdFrame, at: number, delivered: boolean): void;
  message?(side: TrunkSide, message: Q931Message, at: number): void;
  error?(side: TrunkSide, layer: 'lapd' | 'q931', error: string, at: number): void;
}

export interface PriTapConfig extends PriTapOptions {
  /**
   * How the line card delivers TS16 octets: 'msb-first' as sent (G.704), 'lsb-first' bit-reversed,
   * or 'auto' (default): both are tried until one gives a frame with a good FCS.
   */
  lineBitOrder?: HdlcDeframerOptions['lineBitOrder'] | 'auto';
  observer?: PriTapObserver;
  /** How long a message may wait for the other side's octets of the same time (default 500 ms). */
  reorderWindowMs?: number;
}

interface Pending {
  side: TrunkSide;
  message: Q931Message;
  at: number;
}

const OCTET_MS = 0.125;
const DEFAULT_CALL_TIMEOUT_MS = 4 * 3600_000;
const DEFAULT_SIGNALLING_TIMEOUT_MS = 1000;

interface SideState {
  /** The deframer in use; while the bit order is unknown, the first of the candidates. */
  deframer: HdlcDeframer;
  /** Deframers still tried (bit order 'auto' until a good frame decides). */
  candidates: HdlcDeframer[];
  lapd: LapdReceiver;
  up: boolean;
  lastFlagAt: number;
  flags: number;
}

export function createPriTap(options: PriTapConfig = {}): PriTap {
  const callTimeout = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const sigTimeout = options.signallingTimeoutMs ?? DEFAULT_SIGNALLING_TIMEOUT_MS;
  const obs = options.observer ?? {};
  const calls = new PriCallTracker();
  const counters = { lapdErrors: 0, messages: 0, q931Errors: 0, signallingLosses: 0 };
  const newSide = (): SideState => ({
    ...deframers(),
    lapd: new LapdReceiver(),
    up: false,
    lastFlagAt: -Infinity,
    flags: 0,
  });
  function deframers(): Pick<SideState, 'deframer' | 'candidates'> {
    const order = options.lineBitOrder ?? 'auto';
    const candidates = order === 'auto' ? [new HdlcDeframer({ lineBitOrder: 'msb-first' }), new HdlcDeframer({ lineBitOrder: 'lsb-first' })] : [new HdlcDeframer({ lineBitOrder: order })];
    return { deframer: candidates[0]!, candidates: candidates.length > 1 ? candidates : [] };
  }
  const sides: Record<TrunkSide, SideState> = { a: newSide(), b: newSide() };
  const order = new TimeOrderedQueue<Pending>(['a', 'b'], options.reorderWindowMs ?? 500);

  function deliver(ready: Pending[], out: TrunkEvent[]): void {
    for (const p of ready) out.push(...calls.message(p.side, p.message, p.at));
  }

  function frameIn(side: TrunkSide, s: SideState, frame: HdlcFrame, at: number): void {
    obs.frame?.(side, frame, at);
    if (!frame.fcsOk) return;
    const l = parseLapd(frame.bytes);
    if (!l.ok) {
      counters.lapdErrors++;
      obs.error?.(side, 'lapd', l.error, at);
      return;
    }
    const delivered = s.lapd.accept(l.frame);
    obs.lapd?.(side, l.frame, at, delivered);
    if (!delivered || l.frame.sapi !== 0) return;
    const q = decodeQ931(l.frame.info);
    if (!q.ok) {
      counters.q931Errors++;
      obs.error?.(side, 'q931', q.error, at);
      return;
    }
    counters.messages++;
    obs.message?.(side, q.message, at);
    order.add(at, { side, message: q.message, at });
  }

  function liveness(at: number, out: TrunkEvent[]): void {
    for (const side of ['a', 'b'] as const) {
      const s = sides[side];
      if (s.up && at - s.lastFlagAt >= sigTimeout) {
        s.up = false;
        counters.signallingLosses++;
        s.lapd.reset();
        out.push({ type: 'signalling', at, state: 'down', side, reason: `side ${side}: no HDLC flag for ${sigTimeout} ms` });
      }
    }
  }

  return {
    push(side, ts16, at) {
      const out: TrunkEvent[] = [];
      const s = sides[side];
      if (!s) return out;
      const first = s.deframer.position;
      const lastOctet = first + ts16.length - 1;
      const timeOf = (frame: HdlcFrame) => at - (lastOctet - frame.firstOctet) * OCTET_MS;
      if (s.candidates.length === 0) s.deframer.push(ts16, (frame) => frameIn(side, s, frame, timeOf(frame)));
      else {
        for (const d of s.candidates) {
          d.push(ts16, (frame) => {
            if (s.candidates.length > 0 && frame.fcsOk) {
              s.deframer = d; // the bit order that gives good frames
              s.candidates = [];
            }
            if (s.deframer === d) frameIn(side, s, frame, timeOf(frame));
          });
        }
      }
      // Every frame that began before a frame still being received is complete.
      const open = s.deframer.openFrameOctet;
      order.advance(side, at - ts16.length * OCTET_MS, open < 0 ? at : at - (lastOctet + 1 - open) * OCTET_MS);
      const flags = s.deframer.stats().flags;
      if (flags > s.flags) {
        s.flags = flags;
        s.lastFlagAt = at;
        if (!s.up) {
          s.up = true;
          out.push({ type: 'signalling', at, state: 'up', side, reason: `side ${side}: HDLC flags` });
        }
      }
      deliver(order.release(), out);
      liveness(at, out);
      return out;
    },
    tick(at) {
      const out: TrunkEvent[] = [];
      deliver(order.releaseOlderThan(at), out);
      liveness(at, out);
      out.push(...calls.expire(at, callTimeout));
      return out;
    },
    stats(): PriTapStats {
      const a = sides.a.deframer.stats();
      const b = sides.b.deframer.stats();
      return {
        frames: a.frames + b.frames,
        fcsErrors: a.fcsErrors + b.fcsErrors,
        aborts: a.aborts + b.aborts + a.tooLong + b.tooLong,
        shortFrames: a.shortFrames + b.shortFrames,
        lapdErrors: counters.lapdErrors,
        retransmissions: sides.a.lapd.retransmissions + sides.b.lapd.retransmissions,
        messages: counters.messages,
        q931Errors: counters.q931Errors,
        callsSeen: calls.callsSeen,
        activeCalls: calls.active,
        timedOutCalls: calls.timedOut,
        signallingLosses: counters.signallingLosses,
      };
    },
  };
}
