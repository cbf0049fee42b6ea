/**
 * Decoding a run of whole blocks of WAV audio (A-law, µ-law, 16-bit PCM, IMA
 * ADPCM) into 16-bit samples, interleaved as the file interleaves them.
 */
import { alawDecode, ulawDecode } from '../dsp/g711.ts';
import { decodeImaBlock } from './ima-adpcm.ts';
import type { AnyWavInfo } from './wav.ts';

export type BlockFormat = Pick<AnyWavInfo, 'codec' | 'blockAlign' | 'samplesPerBlock'>;

/** An IMA ADPCM block that cannot be decoded; `block` counts from the start of `bytes`. */
export class BadBlockError extends Error {
  constructor(readonly block: number, message: string) {
    super(message);
  }
}

/** `bytes` holds whole blocks (`blockAlign` bytes each). */
export function decodeBlocks(f: BlockFormat, bytes: Uint8Array): Int16Array {
  switch (f.codec) {
    case 'alaw':
      return alawDecode(bytes);
    case 'ulaw':
      return ulawDecode(bytes);
    case 'pcm16': {
      const out = new Int16Array(bytes.length >> 1);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      for (let i = 0; i < out.length; i++) out[i] = view.getInt16(i * 2, true);
      return out;
    }
    case 'ima-adpcm': {
      const blocks = Math.floor(bytes.length / f.blockAlign);
      const out = new Int16Array(blocks * f.samplesPerBlock);
      for (let b = 0; b < blocks; b++) {
        try {
          decodeImaBlock(bytes.subarray(b * f.blockAlign, (b + 1) * f.blockAlign), out, b * f.samplesPerBlock);
        } catch (e) {
          throw new BadBlockError(b, (e as Error).message);
        }
      }
      return out;
    }
  }
}
