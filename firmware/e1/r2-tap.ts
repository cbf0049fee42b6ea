/**
 * China No.1 signalling tap: CAS line signals (ABCD in TS16, both directions)
 * and MFC-R2 register signals (in the voice timeslot) in, TrunkEvents out.
 *
 * Line signals (China No.1 digital, C and D fixed to 1; per direction, AB):
 *   forward (calling side): 10 idle / clear-forward, 00 seize
 *   backward (called side): 10 idle, 11 seize-acknowledge / clear-back /
 *   blocked (when idle), 01 answer
 * A call starts when one side seizes an idle timeslot (that side is the
 * originating side: `seized` at once, the timeslot being the circuit). The
 * backward side answering (01) is `answered`; after answer its 11 is a
 * clear-back, which clears the call (clearedBy the called side); the forward
 * side returning to 10 is a clear-forward, which clears it if still up.
 *
 * While a call is seized and unanswered, the timeslot's voice from the
 * originating side runs the forward-group MF detector and from the other side
 * the backward-group one (r2-tones.ts); the compelled sequence (r2-register.ts)
 * gives the called and calling numbers (`numbers` at A6 and A3), the called
 * line's condition (B1/B6 free: `alerting`; B2/B3 busy: outcome 'busy').
 *
 * Alignment loss of either side's multiframe is a `signalling` down event;
 * calls stay and are cleared by `tick` after `callTimeoutMs` without a signal.
 * Line changes and MF onsets of both sides reach the call logic in time
 * order (time-order.ts): each side's signalling and each voice stream is a
 * source, held back by how late it reports (line debounce plus 20 ms; 20 ms).
 * `options.observer` sees every accepted ABCD change and MF tone.
 */
import { reverseBits } from './bit-order.ts';
import { ABCD_UNKNOWN, CasMultiframe, type AbcdChange } from './cas-multiframe.ts';
import { R2Register, type RegisterChange } from './r2-register.ts';
import { R2ToneDetector, type R2Group } from './r2-tones.ts';
import { TimeOrderedQueue } from './time-order.ts';
import type { CasTap, CasTapOptions, CasTapStats, TrunkEvent, TrunkSide } from './trunk-events.ts';

export interface CasTapObserver {
  line?(side: TrunkSide, change: AbcdChange): void;
  tone?(side: TrunkSide, timeslot: number, group: R2Group, signal: number, on: boolean, at: number): void;
}

export interface CasTapConfig extends CasTapOptions {
  observer?: CasTapObserver;
  /**
   * How the line card delivers TS16 octets: 'msb-first' as sent (G.704), 'lsb-first' bit-reversed,
   * or 'auto' (default): both are searched until one finds the multiframe alignment.
   */
  lineBitOrder?: 'msb-first' | 'lsb-first' | 'auto';
  reorderWindowMs?: number;
}

type Item =
  | { kind: 'line'; side: TrunkSide; change: AbcdChange }
  | { kind: 'tone'; side: TrunkSide; timeslot: number; signal: number; at: number };

interface CasCall {
  timeslot: number;
  forward: TrunkSide;
  register: R2Register;
  answered: boolean;
  alerted: boolean;
  /** Cleared (clear-back or clear-forward seen); the record waits for the line to idle. */
  ended: boolean;
  numbersSent: string;
  lastAt: number;
}

interface VoiceState {
  detector?: R2ToneDetector;
  /** Samples pushed for this side and timeslot. */
  samples: number;
}

const OCTET_MS = 0.125;
const SAMPLE_MS = 0.125;
/** An MF onset is reported up to 15 ms after it began. */
const TONE_HOLD_MS = 20;
const AB_IDLE = 0b10;
const AB_SEIZE = 0b00;
const AB_ACK = 0b11;
const AB_ANSWER = 0b01;
const other = (side: TrunkSide): TrunkSide => (side === 'a' ? 'b' : 'a');

export function createCasTap(options: CasTapConfig = {}): CasTap {
  const callTimeout = options.callTimeoutMs ?? 4 * 3600_000;
  const stableMultiframes = Math.max(1, Math.round((options.lineDebounceMs ?? 10) / 2));
  const obs = options.observer ?? {};
  const frames: Record<TrunkSide, CasMultiframe> = { a: new CasMultiframe(stableMultiframes), b: new CasMultiframe(stableMultiframes) };
  const bitOrder = options.lineBitOrder ?? 'auto';
  /** Per side, while the bit order is unknown: a second multiframe searched on the bit-reversed octets. */
  const reversed: Partial<Record<TrunkSide, CasMultiframe>> =
    bitOrder === 'auto' ? { a: new CasMultiframe(stableMultiframes), b: new CasMultiframe(stableMultiframes) } : {};
  const flip: Record<TrunkSide, boolean> = { a: bitOrder === 'lsb-first', b: bitOrder === 'lsb-first' };
  const order = new TimeOrderedQueue<Item>(['a', 'b'], options.reorderWindowMs ?? 500);
  // Line changes are reported with the time they were first seen, up to the
  // debounce later, and MF onsets up to 15 ms after they began: hold events
  // that long so that both kinds reach the call logic in time order.
  const holdMs = stableMultiframes * 2 + 20;
  const calls = new Map<number, CasCall>();
  const voice = new Map<string, VoiceState>();
  const counters = { lineSignals: 0, mfTones: 0, unexpectedSignals: 0, callsSeen: 0, timedOutCalls: 0 };

  const ab = (side: TrunkSide, ts: number): number => {
    const code = frames[side].abcd(ts);
    return code === ABCD_UNKNOWN ? -1 : code >>> 2;
  };

  function numbersEvent(call: CasCall, at: number, out: TrunkEvent[]): void {
    const r = call.register;
    const key = `${r.called}/${r.calling}`;
    if (key === call.numbersSent || key === '/') return;
    call.numbersSent = key;
    out.push({
      type: 'numbers',
      timeslot: call.timeslot,
      at,
      called: r.called ? { digits: r.called } : undefined,
      calling: r.calling ? { digits: r.calling } : undefined,
    });
  }

  function clear(call: CasCall, at: number, by: TrunkSide | 'timeout', out: TrunkEvent[]): void {
    if (call.ended) return;
    numbersEvent(call, at, out);
    call.ended = true;
    out.push({ type: 'cleared', timeslot: call.timeslot, at, clearedBy: by, outcome: call.answered ? 'answered' : by === 'timeout' ? 'failed' : call.register.unansweredOutcome() });
  }

  function line(side: TrunkSide, change: AbcdChange, out: TrunkEvent[]): void {
    counters.lineSignals++;
    const ts = change.timeslot;
    const code = change.abcd >>> 2;
    const at = change.at;
    let call = calls.get(ts);
    if (call?.ended && ab(call.forward, ts) === AB_IDLE && ab(other(call.forward), ts) !== AB_ANSWER) {
      calls.delete(ts);
      call = undefined;
    }
    if (!call) {
      if (code === AB_SEIZE && ab(other(side), ts) !== AB_SEIZE) {
        call = { timeslot: ts, forward: side, register: new R2Register(), answered: false, alerted: false, ended: false, numbersSent: '', lastAt: at };
        calls.set(ts, call);
        counters.callsSeen++;
        out.push({ type: 'seized', timeslot: ts, at, originatingSide: side });
      }
      return;
    }
    call.lastAt = at;
    if (side === call.forward) {
      if (code === AB_IDLE) clear(call, at, side, out);
      else if (code !== AB_SEIZE) counters.unexpectedSignals++;
      return;
    }
    if (code === AB_ANSWER && !call.answered && !call.ended) {
      call.answered = true;
      numbersEvent(call, at, out);
      out.push({ type: 'answered', timeslot: ts, at });
    } else if (code === AB_ACK && call.answered) clear(call, at, side, out);
    else if (code !== AB_ACK && code !== AB_IDLE) counters.unexpectedSignals++;
  }

  /** The MF group to listen for on `side` of `timeslot`: while a call is seized and not answered (the seize counts at once, before it reaches the call logic). */
  function registerGroup(side: TrunkSide, timeslot: number): R2Group | undefined {
    const call = calls.get(timeslot);
    if (call && !call.ended) return call.answered ? undefined : side === call.forward ? 'forward' : 'backward';
    if (ab(side, timeslot) === AB_SEIZE) return 'forward';
    if (ab(other(side), timeslot) === AB_SEIZE) return 'backward';
    return undefined;
  }

  function tone(item: Extract<Item, { kind: 'tone' }>, out: TrunkEvent[]): void {
    const call = calls.get(item.timeslot);
    if (!call || call.answered || call.ended) return;
    call.lastAt = item.at;
    const change: RegisterChange = item.side === call.forward ? call.register.forward(item.signal) : call.register.backward(item.signal);
    if (change.numbers) numbersEvent(call, item.at, out);
    if (change.free && !call.alerted) {
      call.alerted = true;
      numbersEvent(call, item.at, out);
      out.push({ type: 'alerting', timeslot: call.timeslot, at: item.at });
    }
  }

  function run(items: Item[], out: TrunkEvent[]): TrunkEvent[] {
    for (const item of items) {
      if (item.kind === 'line') line(item.side, item.change, out);
      else tone(item, out);
    }
    return out;
  }

  return {
    pushSignalling(side, ts16, at) {
      const out: TrunkEvent[] = [];
      const mf = frames[side];
      if (!mf) return out;
      const handler = {
        change: (change: AbcdChange) => {
          obs.line?.(side, change);
          order.add(change.at, { kind: 'line', side, change });
        },
        alignment: (aligned: boolean, t: number, reason: string) =>
          out.push({ type: 'signalling', at: t, state: aligned ? 'up' : 'down', side, reason: `side ${side}: ${reason}` }),
      };
      const rev = reversed[side];
      if (!rev) mf.push(flip[side] ? reverseBits(ts16) : ts16, at, handler);
      else {
        // Bit order unknown: search both; the first to align is kept (as sent wins a tie).
        const held: (() => void)[] = [];
        mf.push(ts16, at, handler);
        rev.push(reverseBits(ts16), at, {
          change: (c) => held.push(() => handler.change(c)),
          alignment: (aligned, t, reason) => held.push(() => handler.alignment(aligned, t, reason)),
        });
        if (mf.isAligned()) reversed[side] = undefined;
        else if (rev.isAligned()) {
          frames[side] = rev;
          flip[side] = true;
          reversed[side] = undefined;
          held.forEach((replay) => replay());
        }
      }
      order.advance(side, at - ts16.length * OCTET_MS, at - holdMs);
      return run(order.release(), out);
    },
    pushVoice(side, timeslot, alaw, at) {
      const out: TrunkEvent[] = [];
      const key = `${side}:${timeslot}`;
      let v = voice.get(key);
      if (!v) voice.set(key, (v = { samples: 0 }));
      const group = registerGroup(side, timeslot);
      if (!group) v.detector = undefined;
      else {
        if (!v.detector || v.detector.group !== group) v.detector = new R2ToneDetector(group);
        const d = v.detector;
        const first = v.samples - d.samplesSeen;
        const endSample = v.samples + alaw.length;
        d.process(alaw, (e) => {
          const t = at - (endSample - 1 - (first + e.sample)) * SAMPLE_MS;
          obs.tone?.(side, timeslot, group, e.signal, e.on, t);
          if (!e.on) return;
          counters.mfTones++;
          order.add(t, { kind: 'tone', side, timeslot, signal: e.signal, at: t });
        });
      }
      v.samples += alaw.length;
      order.advance(key, at - alaw.length * SAMPLE_MS, at - TONE_HOLD_MS);
      return run(order.release(), out);
    },
    tick(at) {
      const out = run(order.releaseOlderThan(at), []);
      for (const call of [...calls.values()]) {
        if (at - call.lastAt < callTimeout) continue;
        if (!call.ended) {
          counters.timedOutCalls++;
          clear(call, at, 'timeout', out);
        }
        calls.delete(call.timeslot);
      }
      return out;
    },
    stats(): CasTapStats {
      const a = frames.a.stats();
      const b = frames.b.stats();
      let active = 0;
      for (const c of calls.values()) if (!c.ended) active++;
      return {
        lineSignals: counters.lineSignals,
        mfTones: counters.mfTones,
        alignmentLosses: a.alignmentLosses + b.alignmentLosses,
        unexpectedSignals: counters.unexpectedSignals,
        callsSeen: counters.callsSeen,
        activeCalls: active,
        timedOutCalls: counters.timedOutCalls,
      };
    },
  };
}
