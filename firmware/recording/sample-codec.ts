/** Conversions between the sample codecs a recording session accepts and writes (A-law, µ-law, 16-bit PCM). */
import { alawDecode, alawEncode, ulawDecode, ulawEncode, ALAW_SILENCE, ULAW_SILENCE } from '../dsp/g711.ts';
import type { WavCodec } from '../audio/wav.ts';

export type SampleCodec = WavCodec;

/**
 * 16-bit samples of a block in any sample codec (PCM: little-endian bytes),
 * decoded into `out` when given (it must hold them). Aligned PCM comes back
 * as a view of `data`: use the result before the block's buffer is reused.
 */
export function toPcm(data: Uint8Array, codec: SampleCodec, out?: Int16Array): Int16Array {
  if (codec === 'alaw') return alawDecode(data, out?.subarray(0, data.length));
  if (codec === 'ulaw') return ulawDecode(data, out?.subarray(0, data.length));
  const n = data.byteLength >> 1;
  if (data.byteOffset % 2 === 0) return new Int16Array(data.buffer, data.byteOffset, n);
  const pcm = out?.subarray(0, n) ?? new Int16Array(n);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let i = 0; i < n; i++) pcm[i] = view.getInt16(i * 2, true);
  return pcm;
}

/** The bytes of 16-bit samples in a sample codec, encoded into `out` when given (PCM: a view of the samples). */
export function fromPcm(pcm: Int16Array, codec: SampleCodec, out?: Uint8Array): Uint8Array {
  if (codec === 'alaw') return alawEncode(pcm, out?.subarray(0, pcm.length));
  if (codec === 'ulaw') return ulawEncode(pcm, out?.subarray(0, pcm.length));
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
