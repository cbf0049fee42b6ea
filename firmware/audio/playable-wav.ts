/**
 * Any stored WAV recording (A-law, µ-law, 16-bit PCM, IMA ADPCM; mono or a
 * two-party stereo file) as the 16-bit PCM WAV a browser plays. The result's
 * length follows from the source header alone, so a byte range of it maps to
 * a range of source blocks: seeking reads and decodes only those blocks, a
 * block at a time, and the same range always gives the same bytes.
 */
import os from 'node:os';
import { Readable } from 'node:stream';
import { decodeBlocks } from './block-decode.ts';
import { wavHeader, type AnyWavInfo } from './wav.ts';

export interface PlayableLayout {
  sampleRate: number;
  channels: number;
  /** Sample frames (one sample per channel each). */
  frames: number;
  /** The 44-byte PCM header of the result. */
  header: Buffer;
  /** Size of the whole result in bytes. */
  size: number;
}

export function playableLayout(info: AnyWavInfo): PlayableLayout {
  const channels = Math.max(1, info.channels);
  const dataBytes = info.frames * channels * 2;
  const header = wavHeader('pcm16', info.sampleRate, dataBytes, channels);
  return { sampleRate: info.sampleRate, channels, frames: info.frames, header, size: header.length + dataBytes };
}

/** Reads source bytes start..endInclusive (positions in the stored file as played, i.e. decrypted). */
export type SourceReader = (start: number, endInclusive: number) => Readable;

const LITTLE_ENDIAN = os.endianness() === 'LE';

function pcmBytes(samples: Int16Array): Buffer {
  const b = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return LITTLE_ENDIAN ? b : Buffer.from(b).swap16();
}

/**
 * Bytes start..endInclusive of the playable file. The source is read from the
 * first block holding a requested sample to the last, decoded as it arrives;
 * the stream ends with an error if the source ends early or a block is bad.
 */
export function playableRange(info: AnyWavInfo, layout: PlayableLayout, start: number, endInclusive: number, read: SourceReader): Readable {
  return Readable.from(playableChunks(info, layout, start, endInclusive, read), { objectMode: false, highWaterMark: 64 * 1024 });
}

async function* playableChunks(info: AnyWavInfo, layout: PlayableLayout, start: number, end: number, read: SourceReader): AsyncGenerator<Buffer> {
  const head = layout.header;
  if (start < head.length) yield head.subarray(start, Math.min(end + 1, head.length));
  if (end < head.length) return;
  const frameBytes = layout.channels * 2;
  // Data byte offsets of the result, end exclusive.
  const from = Math.max(0, start - head.length);
  const to = end + 1 - head.length;
  let at = Math.floor(from / frameBytes) * frameBytes;
  for await (const samples of decodedFrames(info, layout.channels, at / frameBytes, Math.ceil(to / frameBytes), read)) {
    const out = pcmBytes(samples);
    const lo = Math.max(from, at);
    const hi = Math.min(to, at + out.length);
    if (hi > lo) yield out.subarray(lo - at, hi - at);
    at += out.length;
  }
}

/**
 * Sample frames from..to (end exclusive) of the source, decoded, interleaved
 * (`channels` samples a frame), in chunks of at most one source read.
 */
export async function* decodedFrames(info: AnyWavInfo, channels: number, from: number, to: number, read: SourceReader): AsyncGenerator<Int16Array> {
  if (to <= from) return;
  const spb = info.samplesPerBlock;
  const firstBlock = Math.floor(from / spb);
  const lastBlock = Math.floor((to - 1) / spb);
  const source = read(info.dataOffset + firstBlock * info.blockAlign, info.dataOffset + (lastBlock + 1) * info.blockAlign - 1);
  let at = firstBlock * spb;
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const piece of source) {
      const bytes = carry.length ? Buffer.concat([carry, piece as Buffer]) : (piece as Buffer);
      const whole = bytes.length - (bytes.length % info.blockAlign);
      carry = Buffer.from(bytes.subarray(whole));
      if (whole === 0) continue;
      const samples = decodeBlocks(info, bytes.subarray(0, whole));
      const n = samples.length / channels;
      const lo = Math.max(from, at);
      const hi = Math.min(to, at + n);
      if (hi > lo) yield samples.subarray((lo - at) * channels, (hi - at) * channels);
      at += n;
      if (at >= to) break;
    }
  } finally {
    source.destroy();
  }
  if (at < to) throw new RangeError(`the recording ended ${to - at} sample frames before the end of its audio`);
}
