/**
 * The calls of a PRI (or BRI) D-channel as overheard: Q.931 messages in,
 * TrunkEvents out.
 *
 * A call is keyed by its call reference value and the side that allocated it
 * (the sender of a message whose call reference flag is 0), so both sides may
 * use the same value at once. A SETUP opens a call; its B-channel is taken
 * from the SETUP's channel identification when exclusive, otherwise from the
 * first response that names one (SETUP ACKNOWLEDGE, CALL PROCEEDING,
 * ALERTING, CONNECT), falling back to the preferred channel. `seized` goes out
 * once the channel is known. INFORMATION from the caller adds called digits
 * (overlap sending). The first DISCONNECT, RELEASE or RELEASE COMPLETE clears
 * the call: its sender is the clearing side, its cause the call's cause. A
 * SETUP on a timeslot still held by an earlier call, or reusing the key of an
 * earlier call, clears the earlier one as 'timeout' (its clearing was missed).
 * A RESTART (global call reference) naming channels clears their calls as
 * failed, cleared by its sender. A call whose SETUP was not heard (corrupted, or before the tap started) is
 * picked up, without numbers, from a response that names its channel.
 */
import type { Q931Message } from './q931.ts';
import type { CallOutcome, CauseInfo, NumberInfo, TrunkEvent, TrunkSide } from './trunk-events.ts';

interface PriCall {
  key: string;
  callRef: number;
  originatingSide: TrunkSide;
  timeslot?: number;
  /** Channel named by a preferred (non-exclusive) SETUP, used if no response names one. */
  preferred?: number;
  calling?: NumberInfo;
  called?: NumberInfo;
  /** Opened from a response, its SETUP not (yet) heard. */
  lateJoin?: boolean;
  seized: boolean;
  alerted: boolean;
  answered: boolean;
  lastAt: number;
}

/** Responses that may open a call whose SETUP was not heard: CALL PROCEEDING, ALERTING, PROGRESS, CONNECT, SETUP ACKNOWLEDGE. */
const LATE_JOIN = new Set([0x02, 0x01, 0x03, 0x07, 0x0d]);

const other = (side: TrunkSide): TrunkSide => (side === 'a' ? 'b' : 'a');

/** Outcome of a call from its answer and clearing cause (Q.850): 17 busy; 16, 18, 19, 31 or none no answer; others failed. */
export function outcomeOf(answered: boolean, cause: CauseInfo | undefined): CallOutcome {
  if (answered) return 'answered';
  const v = cause?.value;
  if (v === 17) return 'busy';
  if (v === undefined || v === 16 || v === 18 || v === 19 || v === 31) return 'no-answer';
  return 'failed';
}

export class PriCallTracker {
  private readonly calls = new Map<string, PriCall>();
  callsSeen = 0;
  timedOut = 0;

  get active(): number {
    return this.calls.size;
  }

  /** One Q.931 message heard from `side`. */
  message(side: TrunkSide, msg: Q931Message, at: number): TrunkEvent[] {
    if (msg.callRef <= 0) {
      // Global call reference: a RESTART of named channels ends their calls (Q.931 §5.5).
      if (msg.messageType !== 0x46 || !msg.channel) return [];
      const out: TrunkEvent[] = [];
      for (const c of [...this.calls.values()]) {
        if (c.seized && msg.channel.channels.includes(c.timeslot!)) out.push(...this.clear(c, at, side, { value: 41, text: 'restart' }));
      }
      return out;
    }
    const originatingSide = msg.callRefFlag ? other(side) : side;
    const key = `${originatingSide}:${msg.callRef}`;
    const fromCaller = side === originatingSide;
    const out: TrunkEvent[] = [];
    if (msg.messageType === 0x05 && fromCaller) {
      const old = this.calls.get(key);
      if (old?.lateJoin && !old.calling && !old.called) {
        // The SETUP of a call picked up from its response arrived after all.
        old.lateJoin = false;
        old.calling = msg.calling;
        old.called = msg.called;
        if (old.seized) out.push({ type: 'numbers', timeslot: old.timeslot!, at, calling: old.calling, called: old.called });
        return out;
      }
      if (old) out.push(...this.clear(old, at, 'timeout', undefined));
      const call: PriCall = { key, callRef: msg.callRef, originatingSide, calling: msg.calling, called: msg.called, seized: false, alerted: false, answered: false, lastAt: at };
      this.calls.set(key, call);
      this.callsSeen++;
      const ch = msg.channel?.channels[0];
      if (ch !== undefined && msg.channel?.exclusive) out.push(...this.seize(call, ch, at));
      else call.preferred = ch;
      return out;
    }
    let call = this.calls.get(key);
    if (!call) {
      // Its SETUP was missed (a corrupted frame, or the tap started late): a
      // response naming the channel still gives the call, without numbers.
      const ch = msg.channel?.channels[0];
      if (fromCaller || ch === undefined || !LATE_JOIN.has(msg.messageType)) return out;
      call = { key, callRef: msg.callRef, originatingSide, seized: false, alerted: false, answered: false, lastAt: at, lateJoin: true };
      this.calls.set(key, call);
      this.callsSeen++;
    }
    call.lastAt = at;
    switch (msg.messageType) {
      case 0x7b: // INFORMATION: overlap sending
        if (fromCaller && msg.called?.digits) {
          call.called = { ...(call.called ?? {}), ...msg.called, digits: (call.called?.digits ?? '') + msg.called.digits };
          if (call.seized) out.push({ type: 'numbers', timeslot: call.timeslot!, at, calling: call.calling, called: call.called });
        }
        return out;
      case 0x45: // DISCONNECT
      case 0x4d: // RELEASE
      case 0x5a: // RELEASE COMPLETE
        if (!call.seized && (call.preferred ?? msg.channel?.channels[0]) !== undefined) out.push(...this.seize(call, (call.preferred ?? msg.channel?.channels[0])!, at));
        out.push(...this.clear(call, at, side, msg.cause ? { value: msg.cause.value, text: msg.cause.text } : undefined));
        return out;
    }
    if (!fromCaller && !call.seized) {
      const ch = msg.channel?.channels[0] ?? call.preferred;
      if (ch !== undefined) out.push(...this.seize(call, ch, at));
    }
    if (!call.seized) return out;
    if (msg.messageType === 0x01 && !call.alerted && !call.answered) {
      call.alerted = true;
      out.push({ type: 'alerting', timeslot: call.timeslot!, at });
    } else if (msg.messageType === 0x07 && !call.answered) {
      call.answered = true;
      out.push({ type: 'answered', timeslot: call.timeslot!, at });
    }
    return out;
  }

  /** Calls with no message for `timeoutMs` are cleared as 'timeout'. */
  expire(at: number, timeoutMs: number): TrunkEvent[] {
    const out: TrunkEvent[] = [];
    for (const call of [...this.calls.values()]) {
      if (at - call.lastAt >= timeoutMs) {
        this.timedOut++;
        out.push(...this.clear(call, at, 'timeout', undefined));
      }
    }
    return out;
  }

  private seize(call: PriCall, timeslot: number, at: number): TrunkEvent[] {
    const out: TrunkEvent[] = [];
    for (const c of [...this.calls.values()]) if (c !== call && c.seized && c.timeslot === timeslot) out.push(...this.clear(c, at, 'timeout', undefined));
    call.timeslot = timeslot;
    call.seized = true;
    out.push({ type: 'seized', timeslot, at, originatingSide: call.originatingSide, calling: call.calling, called: call.called, callRef: call.callRef });
    return out;
  }

  private clear(call: PriCall, at: number, by: TrunkSide | 'timeout', cause: CauseInfo | undefined): TrunkEvent[] {
    this.calls.delete(call.key);
    if (!call.seized) return [];
    const outcome = by === 'timeout' && !call.answered ? 'failed' : outcomeOf(call.answered, cause);
    return [{ type: 'cleared', timeslot: call.timeslot!, at, clearedBy: by, cause, outcome }];
  }
}
