/** China No.1 / MFC-R2 tap (placeholder until the decoder lands; the signature is final). */
import type { CasTap, CasTapOptions } from './trunk-events.ts';

export function createCasTap(_options: CasTapOptions = {}): CasTap {
  const zero = { lineSignals: 0, mfTones: 0, alignmentLosses: 0, unexpectedSignals: 0, callsSeen: 0, activeCalls: 0, timedOutCalls: 0 };
  return { pushSignalling: () => [], pushVoice: () => [], tick: () => [], stats: () => ({ ...zero }) };
}
