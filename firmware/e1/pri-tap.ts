/** ISDN PRI tap (placeholder until the decoder lands; the signature is final). */
import type { PriTap, PriTapOptions } from './trunk-events.ts';

export function createPriTap(_options: PriTapOptions = {}): PriTap {
  const zero = { frames: 0, fcsErrors: 0, aborts: 0, shortFrames: 0, lapdErrors: 0, retransmissions: 0, messages: 0, q931Errors: 0, callsSeen: 0, activeCalls: 0, timedOutCalls: 0, signallingLosses: 0 };
  return { push: () => [], tick: () => [], stats: () => ({ ...zero }) };
}
