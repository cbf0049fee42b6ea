/**
 * The call-progress tones the recorder recognises (see call-progress.ts):
 * each a tone family (its frequencies) and an on/off cadence.
 *
 * | tone       | China (GB) 450 Hz | ITU/Europe 425 Hz | North America            |
 * |------------|-------------------|-------------------|--------------------------|
 * | busy       | 350 / 350 ms      | 500 / 500 ms      | 480+620 Hz 500 / 500 ms  |
 * | congestion | 700 / 700 ms      | 250 / 250 ms      | 480+620 Hz 250 / 250 ms  |
 * | ring-back  | 1 s / 4 s         | 1 s / 4 s         | 440+480 Hz 2 s / 4 s     |
 *
 * (ITU-T E.180 and its supplement list 425 Hz busy at 480-500 ms on/off and
 * congestion at 200-250 ms, e.g. Germany; the ±20 % tolerance covers them.)
 */
export type CallProgressTone = 'busy' | 'congestion' | 'ringback';
export type ToneRegion = 'cn' | 'itu' | 'us';

/** Tone families: which frequencies carry the tone. */
export const FAMILY_425 = 0;
export const FAMILY_450 = 1;
export const FAMILY_440_480 = 2;
export const FAMILY_480_620 = 3;
export const FAMILY_COUNT = 4;

export interface Cadence {
  tone: CallProgressTone;
  region: ToneRegion;
  family: number;
  onMs: number;
  offMs: number;
}

export const CADENCES: readonly Cadence[] = [
  // China (GB 3380 / YD/T 1128): 450 Hz.
  { tone: 'busy', region: 'cn', family: FAMILY_450, onMs: 350, offMs: 350 },
  { tone: 'congestion', region: 'cn', family: FAMILY_450, onMs: 700, offMs: 700 },
  { tone: 'ringback', region: 'cn', family: FAMILY_450, onMs: 1000, offMs: 4000 },
  // ITU-T E.180 / CEPT: 425 Hz.
  { tone: 'busy', region: 'itu', family: FAMILY_425, onMs: 500, offMs: 500 },
  { tone: 'congestion', region: 'itu', family: FAMILY_425, onMs: 250, offMs: 250 },
  { tone: 'ringback', region: 'itu', family: FAMILY_425, onMs: 1000, offMs: 4000 },
  // North America (precise tone plan): busy and reorder 480+620 Hz, ring-back 440+480 Hz.
  { tone: 'busy', region: 'us', family: FAMILY_480_620, onMs: 500, offMs: 500 },
  { tone: 'congestion', region: 'us', family: FAMILY_480_620, onMs: 250, offMs: 250 },
  { tone: 'ringback', region: 'us', family: FAMILY_440_480, onMs: 2000, offMs: 4000 },
];

export const MAX_ON_MS = Math.max(...CADENCES.map((c) => c.onMs));
export const MAX_OFF_MS = Math.max(...CADENCES.map((c) => c.offMs));
