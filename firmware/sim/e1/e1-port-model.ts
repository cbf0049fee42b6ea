/**
 * One simulated E1 port as a passive tap hears it: both directions (side a,
 * side b), 32 timeslots each, in 20 ms blocks (160 frames). Calls are turned
 * into what each side sends: PRI calls into Q.931 messages in LAPD I frames,
 * HDLC-framed into TS16 (the D-channel); China No.1 calls into ABCD line codes
 * in the TS16 CAS multiframe and MFC-R2 tone bursts in the call's timeslot;
 * both into voice (A-law) from answer to clearing, with ringback towards the
 * caller while the call rings. TS16 streams recorded elsewhere can be replayed
 * in place of the generated ones, and alarms (LOS, AIS, RAI, loss of frame
 * or multiframe alignment) injected for a while: the affected side then
 * carries all ones.
 *
 * Blocks are produced in time order (`block(startMs)`), each side
 * timeslot-major: 32 runs of 160 octets, timeslot 0 first.
 */
import { ALAW_SILENCE, alawEncode } from '../../dsp/g711.ts';
import { E1Alarm, E1_BLOCK_FRAMES, E1_TIMESLOTS } from '../../linecard/messages.ts';
import { HdlcFramer } from './hdlc-framer.ts';
import { LapdSender, Q931, q931Message, type PartyNumber, type Q931MessageType } from './q931-builder.ts';
import { ABCD, casMultiframes, digitSignal, mfSample } from './cas-signals.ts';

export type E1Side = 'a' | 'b';
export type E1Signalling = 'pri' | 'china-no1';
export type SimCallOutcome = 'answered' | 'busy' | 'no-answer' | 'failed';

export const BLOCK_MS = 20;
const SIDE_BYTES = E1_TIMESLOTS * E1_BLOCK_FRAMES;

/** A call as the scenario or the traffic generator describes it. */
export interface E1SimCall {
  timeslot: number;
  /** Side whose equipment originates the call. */
  from: E1Side;
  /** Seizure (PRI: SETUP) time, ms from the card's start. */
  atMs: number;
  calling: PartyNumber;
  called: PartyNumber;
  outcome: SimCallOutcome;
  /** Ringing before answer (or before the caller gives up), ms. */
  ringMs: number;
  /** Conversation after answer, ms. */
  talkMs: number;
  /** Side that clears an answered call. */
  clearedBy: E1Side;
  /** Cause of an unanswered call (PRI; default 17 busy, 19 no answer, 1 unallocated number). */
  cause?: number;
  /** Audio each side sends after answer (8 kHz PCM), played once, then silence (or again and again with `loopAudio`). */
  audio?: { a?: Int16Array; b?: Int16Array };
  loopAudio?: boolean;
}

/** A TS16 stream recorded elsewhere, replayed on one side from `atMs`, with optional A-law voice per timeslot. */
export interface E1Replay {
  side: E1Side;
  atMs: number;
  ts16: Uint8Array;
  voice?: Array<{ timeslot: number; alaw: Uint8Array }>;
}

export interface E1AlarmSpan {
  side: E1Side | 'both';
  kind: 'los' | 'ais' | 'lof' | 'lomf' | 'rai';
  fromMs: number;
  toMs: number;
}

export interface E1PortScript {
  signalling: E1Signalling;
  /** Side of the network (exchange); the other side is the user (PBX). Sets LAPD C/R bits. */
  networkSide?: E1Side;
  calls?: E1SimCall[];
  replays?: E1Replay[];
  alarms?: E1AlarmSpan[];
  /** Called before each block is made, to add calls as time goes on (generated traffic). */
  feed?: (model: E1PortModel, blockStartMs: number) => void;
}

const ALARM_BIT: Record<E1AlarmSpan['kind'], number> = { los: E1Alarm.Los, ais: E1Alarm.Ais, lof: E1Alarm.Lof, lomf: E1Alarm.Lomf, rai: E1Alarm.Rai };

interface PriAction { kind: 'pri'; tMs: number; side: E1Side; type: Q931MessageType; call: CompiledCall; cause?: number; setup?: boolean }
interface AbcdAction { kind: 'abcd'; tMs: number; side: E1Side; timeslot: number; code: number }
type Action = PriAction | AbcdAction;

/** Audio played on one side's timeslot from `startMs`: A-law octets, or an MF tone. */
interface Segment {
  side: E1Side;
  timeslot: number;
  startMs: number;
  endMs: number;
  alaw?: Uint8Array;
  /** Cycle the octets until endMs (ringback). */
  loop?: boolean;
  mf?: { signal: number; forward: boolean };
}

interface CompiledCall {
  call: E1SimCall;
  callRef: number;
  endMs: number;
}

const other = (s: E1Side): E1Side => (s === 'a' ? 'b' : 'a');

/** 450 Hz ringback, 1 s on, 4 s off, at -15 dBm0 (one 5 s cycle). */
const RINGBACK: Uint8Array = (() => {
  const pcm = new Int16Array(40_000);
  const peak = 32768 * Math.pow(10, (-15 - 3.14) / 20);
  for (let i = 0; i < 8000; i++) pcm[i] = Math.round(peak * Math.sin((2 * Math.PI * 450 * i) / 8000));
  return alawEncode(pcm);
})();

export class E1PortModel {
  readonly signalling: E1Signalling;
  readonly networkSide: E1Side;
  private actions: Action[] = [];
  private segments: Segment[] = [];
  private replays: E1Replay[];
  private alarms: E1AlarmSpan[];
  private readonly framers = { a: new HdlcFramer(), b: new HdlcFramer() };
  private readonly lapd: Record<E1Side, LapdSender>;
  private readonly abcd = { a: new Uint8Array(E1_TIMESLOTS).fill(ABCD.idle), b: new Uint8Array(E1_TIMESLOTS).fill(ABCD.idle) };
  private readonly out = { a: new Uint8Array(SIDE_BYTES), b: new Uint8Array(SIDE_BYTES) };
  private nextCallRef = { a: 1, b: 1 };
  private linkUpSent = false;
  private readonly feed: E1PortScript['feed'];
  /** A-law of each clip, encoded once (traffic plays the same clips again and again). */
  private readonly encoded = new WeakMap<Int16Array, Uint8Array>();
  private frameCount = 0;
  readonly stats = { calls: 0, messages: 0, blocks: 0 };

  constructor(script: E1PortScript) {
    this.signalling = script.signalling;
    this.networkSide = script.networkSide ?? 'a';
    this.lapd = { a: new LapdSender(this.networkSide === 'a'), b: new LapdSender(this.networkSide === 'b') };
    this.replays = [...(script.replays ?? [])];
    this.alarms = [...(script.alarms ?? [])];
    this.feed = script.feed;
    for (const c of script.calls ?? []) this.addCall(c);
  }

  /** Adds a call (its seizure not yet past); returns when its last signal is sent (ms). */
  addCall(call: E1SimCall): number {
    this.stats.calls++;
    const from = call.from;
    const callRef = this.nextCallRef[from];
    this.nextCallRef[from] = (callRef % 0x7fff) + 1;
    const c: CompiledCall = { call, callRef, endMs: call.atMs };
    if (this.signalling === 'pri') this.compilePri(c);
    else this.compileCas(c);
    this.actions.sort((x, y) => x.tMs - y.tMs);
    return c.endMs;
  }

  /** Adds an alarm span. */
  addAlarm(span: E1AlarmSpan): void {
    this.alarms.push(span);
  }

  /** Alarm bits of a side at `tMs`. */
  alarmsAt(side: E1Side, tMs: number): number {
    let bits = 0;
    for (const a of this.alarms) if ((a.side === side || a.side === 'both') && tMs >= a.fromMs && tMs < a.toMs) bits |= ALARM_BIT[a.kind];
    return bits;
  }

  /** Calls not yet over at `tMs` (the traffic generator keeps the timeslots it uses apart). */
  busyTimeslots(tMs: number): Set<number> {
    const busy = new Set<number>();
    for (const s of this.segments) if (s.endMs > tMs) busy.add(s.timeslot);
    for (const a of this.actions) if (a.tMs >= tMs) busy.add(a.kind === 'abcd' ? a.timeslot : a.call.call.timeslot);
    return busy;
  }

  /** The block starting at `startMs` (ms from the card's start): side a and side b, timeslot-major. */
  block(startMs: number): { a: Uint8Array; b: Uint8Array } {
    const endMs = startMs + BLOCK_MS;
    this.stats.blocks++;
    this.feed?.(this, startMs);
    if (this.signalling === 'pri' && !this.linkUpSent) {
      // The data link comes up first: SABME from the user side, UA from the network side.
      const user = other(this.networkSide);
      this.framers[user].send(this.lapd[user].sabme());
      this.framers[this.networkSide].send(this.lapd[this.networkSide].ua());
      this.linkUpSent = true;
    }
    let n = 0;
    while (n < this.actions.length && this.actions[n]!.tMs < endMs) n++;
    const due = this.actions.splice(0, n);
    for (const a of due) this.apply(a);
    for (const side of ['a', 'b'] as const) this.fillSide(side, startMs, endMs);
    this.segments = this.segments.filter((s) => s.endMs > endMs);
    this.replays = this.replays.filter((r) => r.atMs + (r.ts16.length / 8) > endMs);
    this.frameCount += E1_BLOCK_FRAMES;
    return this.out;
  }

  private apply(a: Action): void {
    if (a.kind === 'abcd') {
      this.abcd[a.side][a.timeslot] = a.code;
      return;
    }
    const c = a.call;
    const fromDestination = a.side !== c.call.from;
    const msg = q931Message(a.type, {
      callRef: c.callRef,
      fromDestination,
      timeslot: a.setup || a.type === Q931.CallProceeding ? c.call.timeslot : undefined,
      calling: a.setup ? c.call.calling : undefined,
      called: a.setup ? c.call.called : undefined,
      cause: a.cause,
    });
    this.framers[a.side].send(this.lapd[a.side].iFrame(msg));
    this.lapd[other(a.side)].nr = (this.lapd[other(a.side)].nr + 1) % 128;
    this.stats.messages++;
  }

  private fillSide(side: E1Side, startMs: number, endMs: number): void {
    const out = this.out[side];
    const alarms = this.alarmsAt(side, startMs);
    if (alarms & (E1Alarm.Los | E1Alarm.Ais)) {
      out.fill(0xff);
      return;
    }
    out.fill(ALAW_SILENCE);
    // TS0: frame alignment signal and NFAS word (A bit set under RAI).
    const nfas = alarms & E1Alarm.Rai ? 0xff : 0xdf;
    for (let f = 0; f < E1_BLOCK_FRAMES; f++) out[f] = (this.frameCount + f) % 2 === 0 ? 0x9b : nfas;
    const ts16 = out.subarray(16 * E1_BLOCK_FRAMES, 17 * E1_BLOCK_FRAMES);
    const replay = this.replays.find((r) => r.side === side && r.atMs <= startMs && r.atMs + r.ts16.length / 8 > startMs);
    if (replay) {
      const from = Math.round((startMs - replay.atMs) * 8);
      ts16.set(replay.ts16.subarray(from, from + E1_BLOCK_FRAMES));
      for (const v of replay.voice ?? []) {
        const slot = out.subarray(v.timeslot * E1_BLOCK_FRAMES, (v.timeslot + 1) * E1_BLOCK_FRAMES);
        slot.set(v.alaw.subarray(from, from + E1_BLOCK_FRAMES));
      }
    } else if (this.signalling === 'pri') this.framers[side].fill(ts16);
    else casMultiframes(this.abcd[side], ts16, 0);
    for (const s of this.segments) {
      if (s.side !== side || s.startMs >= endMs || s.endMs <= startMs) continue;
      const base = s.timeslot * E1_BLOCK_FRAMES;
      const first = Math.max(0, Math.round((s.startMs - startMs) * 8));
      const last = Math.min(E1_BLOCK_FRAMES, Math.round((s.endMs - startMs) * 8));
      for (let i = first; i < last; i++) {
        const k = Math.round((startMs - s.startMs) * 8) + i;
        if (s.mf) out[base + i] = mfSample(s.mf.signal, s.mf.forward, k);
        else if (s.alaw) {
          if (s.loop) out[base + i] = s.alaw[k % s.alaw.length]!;
          else if (k < s.alaw.length) out[base + i] = s.alaw[k]!;
        }
      }
    }
  }

  private voice(c: CompiledCall, answerMs: number, clearMs: number): void {
    const { call } = c;
    for (const side of ['a', 'b'] as const) {
      const pcm = call.audio?.[side];
      if (!pcm || clearMs <= answerMs) continue;
      let alaw = this.encoded.get(pcm);
      if (!alaw) this.encoded.set(pcm, (alaw = alawEncode(pcm)));
      this.segments.push({ side, timeslot: call.timeslot, startMs: answerMs, endMs: clearMs, alaw, loop: call.loopAudio });
    }
  }

  private ringback(c: CompiledCall, fromMs: number, toMs: number): void {
    if (toMs > fromMs) this.segments.push({ side: other(c.call.from), timeslot: c.call.timeslot, startMs: fromMs, endMs: toMs, alaw: RINGBACK, loop: true });
  }

  private compilePri(c: CompiledCall): void {
    const { call } = c;
    const x = call.from;
    const y = other(x);
    const t0 = call.atMs;
    const push = (tMs: number, side: E1Side, type: Q931MessageType, extra: Partial<PriAction> = {}) =>
      this.actions.push({ kind: 'pri', tMs, side, type, call: c, ...extra });
    push(t0, x, Q931.Setup, { setup: true });
    push(t0 + 40, y, Q931.CallProceeding);
    let clearMs: number;
    let clearer: E1Side;
    let cause = 16;
    if (call.outcome === 'busy' || call.outcome === 'failed') {
      clearMs = t0 + 100;
      clearer = y;
      cause = call.cause ?? (call.outcome === 'busy' ? 17 : 1);
    } else {
      push(t0 + 100, y, Q931.Alerting);
      const answerMs = t0 + 100 + call.ringMs;
      this.ringback(c, t0 + 100, answerMs);
      if (call.outcome === 'answered') {
        push(answerMs, y, Q931.Connect);
        push(answerMs + 40, x, Q931.ConnectAck);
        clearMs = answerMs + call.talkMs;
        clearer = call.clearedBy;
        this.voice(c, answerMs, clearMs);
      } else {
        clearMs = answerMs;
        clearer = x;
        cause = call.cause ?? 16;
      }
    }
    push(clearMs, clearer, Q931.Disconnect, { cause });
    push(clearMs + 40, other(clearer), Q931.Release);
    push(clearMs + 80, clearer, Q931.ReleaseComplete);
    c.endMs = clearMs + 80;
  }

  private compileCas(c: CompiledCall): void {
    const { call } = c;
    const x = call.from;
    const y = other(x);
    const ts = call.timeslot;
    const t0 = call.atMs;
    const line = (tMs: number, side: E1Side, code: number) => this.actions.push({ kind: 'abcd', tMs, side, timeslot: ts, code });
    line(t0, x, ABCD.seize);
    line(t0 + 40, y, ABCD.seizeAck);
    // Compelled register signalling: forward signal, backward acknowledgement 40 ms later, next forward 200 ms on.
    const steps: Array<[number, number]> = [];
    const called = [...call.called.digits].map(digitSignal);
    called.forEach((d, i) => steps.push([d, i === called.length - 1 ? 6 : 1]));
    steps.push([1, 1]); // KA: ordinary subscriber; A-1: next calling digit
    for (const d of call.calling.digits) steps.push([digitSignal(d), 1]);
    steps.push([15, 3]); // end of calling number; A-3: address complete, change to group B
    const bSignal = call.outcome === 'busy' ? 2 : call.outcome === 'failed' ? 5 : 1;
    steps.push([1, bSignal]); // KD (group II): ordinary call; B-1 free, B-2 busy, B-5 unallocated
    let t = t0 + 80;
    for (const [fwd, bwd] of steps) {
      this.segments.push({ side: x, timeslot: ts, startMs: t, endMs: t + 100, mf: { signal: fwd, forward: true } });
      this.segments.push({ side: y, timeslot: ts, startMs: t + 40, endMs: t + 140, mf: { signal: bwd, forward: false } });
      t += 200;
    }
    let clearMs: number;
    if (call.outcome === 'answered') {
      const answerMs = t + call.ringMs;
      this.ringback(c, t, answerMs);
      line(answerMs, y, ABCD.answer);
      clearMs = answerMs + call.talkMs;
      this.voice(c, answerMs, clearMs);
      if (call.clearedBy === y) {
        line(clearMs, y, ABCD.clearBack);
        line(clearMs + 300, x, ABCD.idle);
        line(clearMs + 400, y, ABCD.idle);
        c.endMs = clearMs + 400;
        return;
      }
    } else if (call.outcome === 'no-answer') {
      clearMs = t + call.ringMs;
      this.ringback(c, t, clearMs);
    } else clearMs = t + 500;
    line(clearMs, x, ABCD.idle);
    line(clearMs + 100, y, ABCD.idle);
    c.endMs = clearMs + 100;
  }
}
