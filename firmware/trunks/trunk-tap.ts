/**
 * One face for the two E1 signalling decoders (firmware/e1/): a port hands
 * it TS16 of each side, and the voice of timeslots in register signalling
 * (China No.1 MFC-R2 tones; the PRI tap needs none).
 */
import { createPriTap } from '../e1/pri-tap.ts';
import { createCasTap } from '../e1/r2-tap.ts';
import type { TrunkEvent, TrunkSide } from '../e1/trunk-events.ts';
import type { E1SignallingKind } from '../settings/e1-port-settings.ts';

export interface TrunkTap {
  readonly signalling: E1SignallingKind;
  /** Whether the tap listens to voice timeslots while a call is being set up. */
  readonly wantsVoice: boolean;
  pushTs16(side: TrunkSide, ts16: Uint8Array, at: number): TrunkEvent[];
  pushVoice(side: TrunkSide, timeslot: number, alaw: Uint8Array, at: number): TrunkEvent[];
  tick(at: number): TrunkEvent[];
  stats(): object;
}

export type TrunkTapFactory = (signalling: E1SignallingKind) => TrunkTap;

const NONE: TrunkEvent[] = [];

/** The real decoders. */
export function createTrunkTap(signalling: E1SignallingKind): TrunkTap {
  if (signalling === 'pri') {
    const tap = createPriTap();
    return {
      signalling,
      wantsVoice: false,
      pushTs16: (side, ts16, at) => tap.push(side, ts16, at),
      pushVoice: () => NONE,
      tick: (at) => tap.tick(at),
      stats: () => tap.stats(),
    };
  }
  const tap = createCasTap();
  return {
    signalling,
    wantsVoice: true,
    pushTs16: (side, ts16, at) => tap.pushSignalling(side, ts16, at),
    pushVoice: (side, timeslot, alaw, at) => tap.pushVoice(side, timeslot, alaw, at),
    tick: (at) => tap.tick(at),
    stats: () => tap.stats(),
  };
}
