/**
 * The contract between the E1 decoders (PRI D-channel tap, China No.1 / MFC-R2
 * CAS tap) and whatever runs them (the line-card pipeline, the field tool).
 *
 * Both taps are pure: octets and samples in, events out, time passed in as
 * `at` (milliseconds of stream time, monotonic per trunk). A tap never does
 * I/O, never keeps a timer and never throws on bad input: garbage, bit errors
 * and lost alignment are counted in `stats()` and, where they take the
 * signalling down, reported as a `signalling` event.
 *
 * `timeslot` is the E1 timeslot of the call's voice, 1..15 or 17..31 (the
 * Q.931 channel number on a 2048 kbit/s interface; on CAS the timeslot whose
 * ABCD bits carried the seize). On a BRI trace it is the B-channel, 1 or 2.
 *
 * A call's life as events (per timeslot):
 *   seized → numbers* → alerting? → answered? → cleared
 * - `seized` is emitted once the call's B-channel timeslot is known (PRI: from
 *   the SETUP's channel identification or the first response that names one;
 *   CAS: at the seize line signal). It carries the numbers known at that time.
 * - `numbers` repeats the numbers whenever more digits arrive (PRI overlap
 *   dialling via INFORMATION, MFC-R2 register signalling); each carries the
 *   complete numbers known so far, not a delta.
 * - `cleared` ends the call. `clearedBy` is the side whose signal cleared it
 *   (PRI: the sender of the first DISCONNECT/RELEASE/RELEASE COMPLETE; CAS: the
 *   side sending clear-forward or clear-back), or 'timeout' when the tap saw no
 *   clearing within `callTimeoutMs` of the call's last signal (see `tick`).
 *   `outcome`: 'answered' (CONNECT / answer signal seen), 'busy' (cause 17 user
 *   busy, or MFC-R2 B-2/B-3/B-4... subscriber busy / congestion), 'no-answer'
 *   (cleared before answer with a normal cause or by the caller), 'failed'
 *   (any other cause before answer, or signalling lost).
 * - `signalling` reports the D-channel (PRI: HDLC flags / good frames seen)
 *   or the CAS multiframe alignment going up or down, per side; `reason` says
 *   why ('side a: no flags for 1000 ms', 'side b: multiframe alignment lost').
 */

/** The two directions of a tapped trunk, as wired to the line card's two receivers. */
export type TrunkSide = 'a' | 'b';

export type CallOutcome = 'answered' | 'busy' | 'no-answer' | 'failed';

export interface NumberInfo {
  digits: string;
  /** Type of number, e.g. 'unknown', 'international', 'national', 'network-specific', 'subscriber', 'abbreviated'. */
  type?: string;
  /** Numbering plan, e.g. 'unknown', 'isdn', 'data', 'telex', 'national', 'private'. */
  plan?: string;
  /** 'allowed' | 'restricted' | 'not-available'. */
  presentation?: string;
  /** 'user-not-screened' | 'user-passed' | 'user-failed' | 'network'. */
  screening?: string;
}

export interface CauseInfo {
  value: number;
  text: string;
}

export type TrunkEvent =
  | {
      type: 'seized';
      timeslot: number;
      at: number;
      originatingSide: TrunkSide;
      calling?: NumberInfo;
      called?: NumberInfo;
      /** PRI only: the Q.931 call reference value (without the flag). */
      callRef?: number;
    }
  | { type: 'numbers'; timeslot: number; at: number; calling?: NumberInfo; called?: NumberInfo }
  | { type: 'alerting'; timeslot: number; at: number }
  | { type: 'answered'; timeslot: number; at: number }
  | {
      type: 'cleared';
      timeslot: number;
      at: number;
      clearedBy: TrunkSide | 'timeout';
      cause?: CauseInfo;
      outcome: CallOutcome;
    }
  /** D-channel / multiframe alignment of one side (`side`) going up or down. */
  | { type: 'signalling'; at: number; state: 'up' | 'down'; reason?: string; side?: TrunkSide };

/** Counters of a PRI tap (both sides together unless named per side). */
export interface PriTapStats {
  /** Good HDLC frames (FCS ok). */
  frames: number;
  /** Frames dropped for a bad FCS. */
  fcsErrors: number;
  /** Aborts (seven or more ones) and frames too short or not a whole number of octets. */
  aborts: number;
  shortFrames: number;
  /** LAPD frames that could not be parsed, and I frames seen again (same N(S)), not delivered twice. */
  lapdErrors: number;
  retransmissions: number;
  /** Q.931 messages decoded, and messages that failed to decode. */
  messages: number;
  q931Errors: number;
  callsSeen: number;
  activeCalls: number;
  /** Calls ended by `tick` after the timeout. */
  timedOutCalls: number;
  /** Times the D-channel of a side went down. */
  signallingLosses: number;
}

export interface PriTapOptions {
  /** A call with no signal for this long is cleared with clearedBy 'timeout' (default 4 hours). */
  callTimeoutMs?: number;
  /** A side with no HDLC flag or frame for this long is reported down (default 1000 ms). */
  signallingTimeoutMs?: number;
}

export interface PriTap {
  /** Octets of TS16 of one side, as received (one octet per E1 frame), ending at stream time `at`. */
  push(side: TrunkSide, ts16: Uint8Array, at: number): TrunkEvent[];
  /** Lets time pass: D-channel loss and call timeouts. */
  tick(at: number): TrunkEvent[];
  stats(): PriTapStats;
}

/** Counters of a CAS (China No.1 / MFC-R2) tap. */
export interface CasTapStats {
  /** Line-signal (ABCD) transitions accepted, per both sides. */
  lineSignals: number;
  /** MF tones detected (onsets). */
  mfTones: number;
  /** Multiframe alignment lost (per side, counted together). */
  alignmentLosses: number;
  /** ABCD codes that fit no line state at that point of the call. */
  unexpectedSignals: number;
  callsSeen: number;
  activeCalls: number;
  timedOutCalls: number;
}

export interface CasTapOptions {
  /** A call with no line signal for this long is cleared with clearedBy 'timeout' (default 4 hours). */
  callTimeoutMs?: number;
  /** An ABCD code must be stable this long to count (default 20 ms; G.704 ABCD repeat every 2 ms). */
  lineDebounceMs?: number;
}

export interface CasTap {
  /** TS16 octets of one side (CAS multiframes), ending at stream time `at`. */
  pushSignalling(side: TrunkSide, ts16: Uint8Array, at: number): TrunkEvent[];
  /** A-law samples of one timeslot heard from `side` (MFC-R2 tones), ending at stream time `at`. */
  pushVoice(side: TrunkSide, timeslot: number, alaw: Uint8Array, at: number): TrunkEvent[];
  tick(at: number): TrunkEvent[];
  stats(): CasTapStats;
}
