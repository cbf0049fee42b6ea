/**
 * What the SIPREC server needs of the media layer (`VoipMedia`,
 * ../media/voip-call.ts): opening a call and driving its streams. Narrowed
 * to the members used, so tests can stand in a small fake.
 */
import type { VoipCall as MediaCall, VoipCallStart, StreamOffer } from '../media/voip-call.ts';

export type { VoipCallStart, StreamOffer };
export interface VoipCall extends Pick<MediaCall, 'id' | 'addStream' | 'updateStream' | 'removeStream' | 'pause' | 'resume' | 'update' | 'close' | 'ended'> {
  stats(): object;
}

export interface VoipMedia {
  /** Throws a VoipMediaError with code 'capacity' past the licensed concurrency. */
  open(start: VoipCallStart): VoipCall;
}
