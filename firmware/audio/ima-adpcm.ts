/**
 * IMA/DVI ADPCM (WAVE_FORMAT_DVI_ADPCM, 0x0011), mono, in the Microsoft block
 * layout: each block starts with a 4-byte header (the block's first sample as
 * a little-endian int16, the step index, a zero byte) followed by 4-bit codes,
 * two per byte, the earlier sample in the low nibble. A 256-byte block holds
 * 1 + 252 × 2 = 505 samples (63 ms at 8 kHz), 4.06 bits per sample.
 *
 * The WAV file has a 20-byte fmt chunk (cbSize 2, samplesPerBlock), a `fact`
 * chunk with the true number of samples (the last block is padded to a whole
 * block), then the data chunk.
 */

export const WAVE_FORMAT_DVI_ADPCM = 0x0011;
export const IMA_BLOCK_ALIGN = 256;
/** Header size of an IMA ADPCM WAV as written here: RIFF 12 + fmt 28 + fact 12 + data 8. */
export const IMA_WAV_HEADER_SIZE = 60;

export const IMA_STEP_TABLE = Int16Array.from([
  7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66, 73, 80, 88, 97, 107,
  118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408, 449, 494, 544, 598, 658, 724, 796, 876, 963,
  1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066, 2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894,
  6484, 7132, 7845, 8630, 9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794,
  32767,
]);
export const IMA_INDEX_TABLE = Int8Array.from([-1, -1, -1, -1, 2, 4, 6, 8, -1, -1, -1, -1, 2, 4, 6, 8]);

/** Samples in one mono block of `blockAlign` bytes. */
export function samplesPerImaBlock(blockAlign: number): number {
  return (blockAlign - 4) * 2 + 1;
}

/** Decoder state carried from code to code inside a block. */
interface ImaState {
  predictor: number;
  index: number;
}

/** Applies one 4-bit code to the state (the spec's decoder step) and returns the new sample. */
function step(s: ImaState, code: number): number {
  const st = IMA_STEP_TABLE[s.index]!;
  let diff = st >> 3;
  if (code & 4) diff += st;
  if (code & 2) diff += st >> 1;
  if (code & 1) diff += st >> 2;
  let p = code & 8 ? s.predictor - diff : s.predictor + diff;
  if (p > 32767) p = 32767;
  else if (p < -32768) p = -32768;
  s.predictor = p;
  let i = s.index + IMA_INDEX_TABLE[code]!;
  s.index = i < 0 ? 0 : i > 88 ? 88 : i;
  return p;
}

/** The 4-bit code for `sample` given the state (the spec's encoder quantiser), state updated as the decoder will. */
function quantise(s: ImaState, sample: number): number {
  let diff = sample - s.predictor;
  let code = 0;
  if (diff < 0) {
    code = 8;
    diff = -diff;
  }
  let st = IMA_STEP_TABLE[s.index]!;
  if (diff >= st) {
    code |= 4;
    diff -= st;
  }
  st >>= 1;
  if (diff >= st) {
    code |= 2;
    diff -= st;
  }
  st >>= 1;
  if (diff >= st) code |= 1;
  step(s, code);
  return code;
}

/**
 * Decodes one mono block into `out` (at least samplesPerImaBlock(block.length) long).
 * Returns the number of samples written. Throws on a step index outside 0..88.
 */
export function decodeImaBlock(block: Uint8Array, out: Int16Array, outOffset = 0): number {
  if (block.length < 4) throw new RangeError(`IMA ADPCM block of ${block.length} bytes is shorter than its header`);
  const first = (block[0]! | (block[1]! << 8)) << 16 >> 16;
  const index = block[2]!;
  if (index > 88) throw new RangeError(`IMA ADPCM block header has step index ${index} (0..88)`);
  const s: ImaState = { predictor: first, index };
  out[outOffset] = first;
  let o = outOffset + 1;
  for (let i = 4; i < block.length; i++) {
    const b = block[i]!;
    out[o++] = step(s, b & 0x0f);
    out[o++] = step(s, b >> 4);
  }
  return o - outOffset;
}

/**
 * Streaming mono encoder: feed any number of samples, get whole blocks back;
 * `finish()` pads the last block by repeating the last sample.
 */
export class ImaAdpcmEncoder {
  readonly samplesPerBlock: number;
  /** Samples fed so far (the `fact` count). */
  samplesIn = 0;
  private readonly pending: Int16Array;
  private fill = 0;
  private index = 0;

  constructor(readonly blockAlign = IMA_BLOCK_ALIGN) {
    if (blockAlign < 8 || blockAlign % 4 !== 0) throw new RangeError(`IMA ADPCM block size ${blockAlign} must be a multiple of 4, at least 8`);
    this.samplesPerBlock = samplesPerImaBlock(blockAlign);
    this.pending = new Int16Array(this.samplesPerBlock);
  }

  /** Encodes `samples`, returning the blocks completed by them (possibly empty). */
  encode(samples: Int16Array): Buffer {
    this.samplesIn += samples.length;
    const blocks = Math.floor((this.fill + samples.length) / this.samplesPerBlock);
    const out = Buffer.allocUnsafe(blocks * this.blockAlign);
    let o = 0;
    let i = 0;
    while (i < samples.length) {
      const take = Math.min(samples.length - i, this.samplesPerBlock - this.fill);
      this.pending.set(samples.subarray(i, i + take), this.fill);
      this.fill += take;
      i += take;
      if (this.fill === this.samplesPerBlock) {
        this.encodeBlock(out, o);
        o += this.blockAlign;
        this.fill = 0;
      }
    }
    return out;
  }

  /** The last, padded block (empty when the samples filled whole blocks). */
  finish(): Buffer {
    if (this.fill === 0) return Buffer.alloc(0);
    this.pending.fill(this.pending[this.fill - 1]!, this.fill);
    const out = Buffer.allocUnsafe(this.blockAlign);
    this.encodeBlock(out, 0);
    this.fill = 0;
    return out;
  }

  private encodeBlock(out: Buffer, o: number): void {
    const p = this.pending;
    out.writeInt16LE(p[0]!, o);
    out[o + 2] = this.index;
    out[o + 3] = 0;
    const s: ImaState = { predictor: p[0]!, index: this.index };
    for (let i = 1, b = o + 4; i < p.length; i += 2, b++) {
      const lo = quantise(s, p[i]!);
      const hi = quantise(s, p[i + 1]!);
      out[b] = lo | (hi << 4);
    }
    this.index = s.index;
  }
}

/** Number of blocks holding `samples` samples. */
export function imaBlockCount(samples: number, blockAlign = IMA_BLOCK_ALIGN): number {
  return Math.ceil(samples / samplesPerImaBlock(blockAlign));
}

/** The 60-byte WAV header of a mono IMA ADPCM file of `samples` samples. */
export function imaWavHeader(sampleRate: number, samples: number, blockAlign = IMA_BLOCK_ALIGN): Buffer {
  const spb = samplesPerImaBlock(blockAlign);
  const dataBytes = imaBlockCount(samples, blockAlign) * blockAlign;
  const h = Buffer.alloc(IMA_WAV_HEADER_SIZE);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(IMA_WAV_HEADER_SIZE - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(20, 16);
  h.writeUInt16LE(WAVE_FORMAT_DVI_ADPCM, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(Math.floor((sampleRate * blockAlign) / spb), 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(4, 34);
  h.writeUInt16LE(2, 36);
  h.writeUInt16LE(spb, 38);
  h.write('fact', 40, 'latin1');
  h.writeUInt32LE(4, 44);
  h.writeUInt32LE(samples, 48);
  h.write('data', 52, 'latin1');
  h.writeUInt32LE(dataBytes, 56);
  return h;
}
