/**
 * Generated telephone traffic for the simulator when no scenario is given:
 * one LineSource per channel, seeded, planned call by call as time advances
 * (so it runs forever and the same seed always gives the same calls).
 *
 * - incoming: China ring cadence, FSK caller ID (Bell 202 or V.23, MDMF with
 *   the number and sometimes a name) between the first and second ring,
 *   answered after 1-4 rings, conversation, then the local side hangs up, or
 *   the far end does and busy tone plays until the handset is put down;
 * - missed: 3-6 rings with caller ID, never answered;
 * - outgoing: off hook, dial tone, a 4-11 digit number in DTMF with human
 *   gaps, ring-back, the far end answers (half the exchanges reverse the line
 *   polarity while answered), conversation, the far end hangs up, busy tone
 *   (450 Hz 350/350 ms) for a few seconds, on hook;
 * - disconnection: the line goes dead for a while.
 * Calls last 10-120 s, most of them under half a minute. Idle gaps (3 s and
 * more, 28 s on average) separate them; with `continuous` every
 * channel is always in a call (answered calls back to back, ~1 s apart).
 */
import {
  CHINA_RING_CADENCE,
  timelineStateAt,
  type LineSource,
  type LineStateAt,
  type LineState,
  type TimelineEntry,
} from './line-model.ts';
import { callerIdFsk, concat, dtmfDigits, prng, silence, speechLike, toneCadence } from './signals.ts';

export type CallKind = 'incoming' | 'missed' | 'outgoing' | 'disconnection';

export interface TrafficEvent {
  channel: number;
  kind: CallKind;
  /** ms since the start: first ring, off-hook (outgoing) or loss of the line. */
  startMs: number;
  /** Back on hook (or the line restored). */
  endMs: number;
  callerNumber?: string;
  callerName?: string;
  callerIdStandard?: 'bell202' | 'v23';
  rings?: number;
  /** Off-hook of an incoming call, far-end answer of an outgoing one. */
  answeredMs?: number;
  dialledDigits?: string;
  reversedOnAnswer?: boolean;
  /** Whether the far end cleared first (busy tone follows). */
  farEndHangup?: boolean;
}

export interface TrafficOptions {
  seed: number;
  channelCount: number;
  continuous?: boolean;
  /** Wall-clock time of t = 0, for the caller-ID date (default 2024-01-01 00:00 UTC). */
  epochMs?: number;
}

interface Clip {
  start: number;
  length: number;
  make: () => Int16Array;
  data: Int16Array | null;
}

const RING_PERIOD_MS = CHINA_RING_CADENCE.onMs + CHINA_RING_CADENCE.offMs;
const TONE_HZ = 450;
const TONE_DBM0 = -10;
const NAMES = ['ZHANG WEI', 'LI NA', 'WANG FANG', 'LIU YANG', 'CHEN JING', 'ACME LOGISTICS', 'CITY HOSPITAL'];
const SPEECH_SEEDS = 32;
const speechCache = new Map<string, Int16Array>();

/** Speech turns are drawn from a small pool of seeds and whole-second lengths, cached. */
function speechClip(seconds: number, seed: number, levelDbm0: number): Int16Array {
  const key = `${seconds}:${seed}:${levelDbm0}`;
  let clip = speechCache.get(key);
  if (!clip) {
    clip = speechLike(seconds, seed, levelDbm0);
    if (speechCache.size >= 400) speechCache.delete(speechCache.keys().next().value!);
    speechCache.set(key, clip);
  }
  return clip;
}


export class TrafficLine implements LineSource {
  readonly cadence = CHINA_RING_CADENCE;
  readonly events: TrafficEvent[] = [];
  private readonly timeline: TimelineEntry[] = [{ tMs: 0, state: 'onhook' }];
  private readonly clips: Clip[] = [];
  private liveFrom = 0;
  private plannedUntil = 0;
  private readonly rand: () => number;
  private readonly speechSeedBase: number;

  constructor(
    readonly channel: number,
    seed: number,
    private readonly options: { continuous?: boolean; epochMs?: number } = {},
  ) {
    this.rand = prng((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(channel + 1, 0x85ebca6b)) >>> 0);
    this.speechSeedBase = (seed >>> 0) * SPEECH_SEEDS;
    // Lines get busy within seconds so a freshly started box soon has calls to show.
    this.plannedUntil = options.continuous ? this.int(0, 1000) : this.int(500, 8_000);
  }

  stateAt(tMs: number): LineStateAt {
    this.generateUntil(tMs);
    return timelineStateAt(this.timeline, tMs);
  }

  fillAudio(tMs: number, out: Int16Array): void {
    this.generateUntil(tMs + out.length / 8);
    out.fill(0);
    const s0 = Math.round(tMs * 8);
    const s1 = s0 + out.length;
    if (this.liveFrom > 0 && this.clips[this.liveFrom - 1]!.start + this.clips[this.liveFrom - 1]!.length > s0) this.liveFrom = 0;
    while (this.liveFrom < this.clips.length && this.clips[this.liveFrom]!.start + this.clips[this.liveFrom]!.length <= s0) {
      this.clips[this.liveFrom++]!.data = null;
    }
    for (let c = this.liveFrom; c < this.clips.length; c++) {
      const clip = this.clips[c]!;
      if (clip.start >= s1) break;
      if (clip.start + clip.length <= s0) continue;
      const data = (clip.data ??= clip.make());
      const from = Math.max(s0, clip.start);
      const to = Math.min(s1, clip.start + data.length);
      for (let s = from; s < to; s++) {
        const v = out[s - s0]! + data[s - clip.start]!;
        out[s - s0] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
      }
    }
  }

  /** Plans calls until the line's activity is known past `tMs`. */
  generateUntil(tMs: number): void {
    while (this.plannedUntil <= tMs) {
      const start = this.plannedUntil;
      let end: number;
      if (this.options.continuous) end = this.rand() < 0.5 ? this.incoming(start, true) : this.outgoing(start);
      else {
        const r = this.rand();
        if (r < 0.04) end = this.disconnection(start);
        else if (r < 0.22) end = this.incoming(start, false);
        else if (r < 0.62) end = this.incoming(start, true);
        else end = this.outgoing(start);
      }
      const gap = this.options.continuous ? this.int(800, 1200) : Math.min(300_000, 3_000 + this.exponential(25_000));
      this.plannedUntil = end + gap;
    }
  }

  /** 10-120 s, most calls short (exponential tail with a 20 s mean above the minimum). */
  private callLength(): number {
    return Math.min(120_000, 10_000 + this.exponential(20_000));
  }

  private exponential(mean: number): number {
    return Math.floor(-Math.log(1 - this.rand()) * mean);
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }

  private at(tMs: number, state: LineState): void {
    this.timeline.push({ tMs, state });
  }

  private clip(startMs: number, length: number, make: () => Int16Array): void {
    this.clips.push({ start: startMs * 8, length, make, data: null });
  }

  private tone(startMs: number, onMs: number, offMs: number, ms: number): void {
    this.clip(startMs, ms * 8, () => toneCadence([TONE_HZ], onMs, offMs, ms / 1000, TONE_DBM0));
  }

  /** Alternating talkers from `fromMs` to `toMs` (near end louder than the far end). */
  private conversation(fromMs: number, toMs: number): void {
    let t = fromMs + this.int(200, 800);
    let near = this.rand() < 0.5;
    while (t + 1000 < toMs) {
      const seconds = Math.min(this.int(1, 6), Math.floor((toMs - t) / 1000));
      const seed = this.speechSeedBase + this.int(0, SPEECH_SEEDS - 1);
      const level = near ? -16 : -22;
      this.clip(t, seconds * 8000, () => speechClip(seconds, seed, level));
      t += seconds * 1000 + this.int(150, 900);
      near = !near;
    }
  }

  private callerNumber(): string {
    const digits = (n: number) => Array.from({ length: n }, () => this.int(0, 9)).join('');
    const r = this.rand();
    if (r < 0.5) return `1${'358'[this.int(0, 2)]}${digits(9)}`;
    if (r < 0.8) return `${this.int(2, 8)}${digits(7)}`;
    return `0${this.int(10, 99)}${this.int(2, 8)}${digits(7)}`;
  }

  private incoming(t0: number, answered: boolean): number {
    const rings = answered ? this.int(1, 4) : this.int(3, 6);
    const standard = this.rand() < 0.5 ? 'bell202' : 'v23';
    const number = this.callerNumber();
    const name = this.rand() < 0.4 ? NAMES[this.int(0, NAMES.length - 1)] : undefined;
    const d = new Date((this.options.epochMs ?? Date.UTC(2024, 0, 1)) + t0);
    const p2 = (n: number) => String(n).padStart(2, '0');
    const datetime = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}`;
    const fields = name === undefined ? { number, datetime } : { number, name, datetime };
    const fsk = callerIdFsk(fields, { standard, format: 'mdmf' });
    const fskAt = t0 + CHINA_RING_CADENCE.onMs + this.int(400, 700);
    const fskEnd = fskAt + Math.ceil(fsk.length / 8);
    this.at(t0, 'ringing');
    this.clip(fskAt, fsk.length, () => fsk);
    const event: TrafficEvent = { channel: this.channel, kind: answered ? 'incoming' : 'missed', startMs: t0, endMs: 0, callerNumber: number, callerIdStandard: standard, rings };
    if (name !== undefined) event.callerName = name;
    this.events.push(event);
    const lastRingEnd = t0 + (rings - 1) * RING_PERIOD_MS + CHINA_RING_CADENCE.onMs;
    if (!answered) {
      event.endMs = lastRingEnd + this.int(1500, 3500);
      this.at(event.endMs, 'onhook');
      return event.endMs;
    }
    const answerAt = Math.max(lastRingEnd + this.int(300, 3000), rings === 1 ? fskEnd + this.int(200, 1500) : 0);
    const length = this.callLength();
    const farEnd = this.rand() < 0.4;
    const busyMs = farEnd ? this.int(2000, 5000) : 0;
    const hangup = Math.max(answerAt + 5000, t0 + length - busyMs);
    this.at(answerAt, 'offhook');
    this.conversation(answerAt, hangup);
    if (farEnd) this.tone(hangup + this.int(100, 400), 350, 350, busyMs);
    event.answeredMs = answerAt;
    event.farEndHangup = farEnd;
    event.endMs = hangup + (farEnd ? busyMs + 500 : 0);
    this.at(event.endMs, 'onhook');
    return event.endMs;
  }

  private outgoing(t0: number): number {
    const digits = [this.int(1, 9), ...Array.from({ length: this.int(3, 10) }, () => this.int(0, 9))].join('');
    this.at(t0, 'offhook');
    const dialAt = t0 + this.int(1000, 3000);
    const toneFrom = t0 + this.int(80, 200);
    this.tone(toneFrom, dialAt - toneFrom, 0, dialAt - toneFrom);
    const parts: Array<[string, number, number]> = [];
    let dialMs = 0;
    for (const digit of digits) {
      const on = this.int(70, 130);
      const off = this.rand() < 0.15 ? this.int(600, 1500) : this.int(120, 450);
      parts.push([digit, on, off]);
      dialMs += on + off;
    }
    const dtmf = () => concat(...parts.map(([digit, on, off]) => concat(dtmfDigits(digit, { onMs: on, offMs: 0 }), silence(off))));
    this.clip(dialAt, Math.round(dialMs * 8), dtmf);
    const ringbackAt = dialAt + dialMs + this.int(1000, 3000);
    const ringbackMs = this.int(0, 2) * RING_PERIOD_MS + CHINA_RING_CADENCE.onMs + this.int(500, 3500);
    this.tone(ringbackAt, CHINA_RING_CADENCE.onMs, CHINA_RING_CADENCE.offMs, ringbackMs);
    const answerAt = ringbackAt + ringbackMs;
    const reversed = this.rand() < 0.5;
    if (reversed) this.at(answerAt, 'reversed');
    const busyMs = this.int(3000, 6000);
    const hangup = Math.max(answerAt + 5000, t0 + this.callLength() - busyMs);
    this.conversation(answerAt, hangup);
    if (reversed) this.at(hangup, 'offhook');
    this.tone(hangup + this.int(100, 400), 350, 350, busyMs);
    const endMs = hangup + busyMs + this.int(500, 1500);
    this.at(endMs, 'onhook');
    this.events.push({
      channel: this.channel, kind: 'outgoing', startMs: t0, endMs, dialledDigits: digits,
      answeredMs: answerAt, reversedOnAnswer: reversed, farEndHangup: true,
    });
    return endMs;
  }

  private disconnection(t0: number): number {
    const endMs = t0 + this.int(5000, 90_000);
    this.at(t0, 'disconnected');
    this.at(endMs, 'onhook');
    this.events.push({ channel: this.channel, kind: 'disconnection', startMs: t0, endMs });
    return endMs;
  }
}

export interface Traffic {
  readonly lines: TrafficLine[];
  /** Every event that starts before `tMs`, by start time (plans up to `tMs` first). */
  eventsUntil(tMs: number): TrafficEvent[];
}

export function generateTraffic(options: TrafficOptions): Traffic {
  const lineOptions = { continuous: options.continuous ?? false, epochMs: options.epochMs ?? Date.UTC(2024, 0, 1) };
  const lines = Array.from({ length: options.channelCount }, (_, ch) => new TrafficLine(ch, options.seed, lineOptions));
  return {
    lines,
    eventsUntil(tMs) {
      const all: TrafficEvent[] = [];
      for (const line of lines) {
        line.generateUntil(tMs);
        for (const e of line.events) if (e.startMs < tMs) all.push(e);
      }
      return all.sort((a, b) => a.startMs - b.startMs || a.channel - b.channel);
    },
  };
}
