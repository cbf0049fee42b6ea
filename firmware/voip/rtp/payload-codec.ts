/**
 * Audio payloads the recorder takes from RTP (RFC 3551): PCMA, PCMU and
 * G.722, decoded to 16-bit samples at the recording rate of 8 kHz. The RTP
 * clock of all three is 8000 Hz (G.722's too, RFC 3551 4.5.2), so one
 * timestamp unit is one stored sample. Pure.
 */
import { ALAW_TO_LINEAR, ULAW_TO_LINEAR } from '../../dsp/g711.ts';
import { G722Decoder } from './g722-decoder.ts';

export type AudioCodecName = 'PCMA' | 'PCMU' | 'G722';
export type CodecName = AudioCodecName | 'telephone-event';

export const CODEC_NAMES: readonly CodecName[] = ['PCMA', 'PCMU', 'G722', 'telephone-event'];

/** Static payload types of RFC 3551 for the codecs the recorder knows. */
export const STATIC_PAYLOAD_TYPES: Readonly<Record<AudioCodecName, number>> = { PCMU: 0, PCMA: 8, G722: 9 };

/** Decodes one stream's payloads (a G.722 stream keeps its ADPCM state between packets). */
export interface PayloadDecoder {
  readonly codec: AudioCodecName;
  /**
   * Decodes `length` bytes of `payload` from index `from` (all of it by
   * default) into `out` from index `at`, at 8 kHz; returns the sample count
   * (one per byte for all three).
   */
  decode(payload: Uint8Array, out: Int16Array, length?: number, at?: number, from?: number): number;
}

class G711Decoder implements PayloadDecoder {
  constructor(readonly codec: 'PCMA' | 'PCMU', private readonly table: Int16Array) {}
  decode(payload: Uint8Array, out: Int16Array, length = payload.length, at = 0, from = 0): number {
    const t = this.table;
    for (let i = 0; i < length; i++) out[at + i] = t[payload[from + i]!]!;
    return length;
  }
}

class G722NarrowDecoder implements PayloadDecoder {
  readonly codec = 'G722' as const;
  private readonly d = new G722Decoder();
  decode(payload: Uint8Array, out: Int16Array, length = payload.length, at = 0, from = 0): number {
    return this.d.decodeNarrow(payload, out, length, at, from);
  }
}

export function payloadDecoder(codec: AudioCodecName): PayloadDecoder {
  if (codec === 'PCMA') return new G711Decoder('PCMA', ALAW_TO_LINEAR);
  if (codec === 'PCMU') return new G711Decoder('PCMU', ULAW_TO_LINEAR);
  return new G722NarrowDecoder();
}
