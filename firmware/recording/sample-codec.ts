/** Conversions between the sample codecs a recording session accepts and writes (A-law, µ-law, 16-bit PCM). */
import { alawDecode, alawEncode, ulawDecode, ulawEncode, ALAW_SILENCE, ULAW_SILENCE } from '../dsp/g711.ts';
import type { WavCodec } from '../audio/wav.ts';

export type SampleCodec = WavCodec;

export const SAMPLE_CODECS: readonly SampleCodec[] = ['alaw', 'ulaw', 'pcm16'];

/** 16-bit samples of a block in any sample codec (PCM: little-endian bytes). */
export function toPcm(data: Uint8Array, codec: SampleCodec): Int16Array {
  if (codec === 'alaw') return alawDecode(data);
  if (codec === 'ulaw') return ulawDecode(data);
  if (data.byteOffset % 2 === 0) return new Int16Array(data.buffer, data.byteOffset, data.byteLength >> 1).slice();
  const out = new Int16Array(data.byteLength >> 1);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
  return out;
}

/** The bytes of 16-bit samples in a sample codec. */
export function fromPcm(pcm: Int16Array, codec: SampleCodec): Uint8Array {
  if (codec === 'alaw') return alawEncode(pcm);
  if (codec === 'ulaw') return ulawEncode(pcm);
  return new Uint8Array(pcm.buffer, pcm.byteOffset, pcm.byteLength);
}

const silenceCache = new Map<string, Uint8Array>();

/** A block of silence of `samples` samples (cached; do not modify). */
export function silenceBlock(codec: SampleCodec, samples: number): Uint8Array {
  const key = `${codec}:${samples}`;
  let block = silenceCache.get(key);
  if (!block) {
    block = codec === 'pcm16' ? new Uint8Array(samples * 2) : new Uint8Array(samples).fill(codec === 'alaw' ? ALAW_SILENCE : ULAW_SILENCE);
    silenceCache.set(key, block);
  }
  return block;
}
