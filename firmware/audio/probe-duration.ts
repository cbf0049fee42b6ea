/**
 * Duration of an archived recording, read from the file itself: a WAV's by its
 * data size (IMA ADPCM: its `fact` sample count), an MP3's by walking every
 * frame header, less the encoder delay and padding of a Xing/LAME tag when the
 * file has one. The archive compares it with the original's before deleting
 * the original (durationMatches).
 */
import fs from 'node:fs/promises';
import type { ArchiveFormat } from './transcode.ts';
import { parseAnyWavHeader } from './wav.ts';

const READ_BYTES = 64 * 1024;

/** Duration of `file` in ms (rounded); rejects when it is neither a WAV nor a clean MP3 stream. */
export async function probeDuration(file: string): Promise<number> {
  const fh = await fs.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(size, 4096));
    await fh.read(head, 0, head.length, 0);
    if (head.toString('latin1', 0, 4) === 'RIFF') {
      const info = parseAnyWavHeader(head, size);
      return Math.round((info.frames * 1000) / info.sampleRate);
    }
    const { samples, sampleRate } = await walkMp3(fh, size, file);
    return Math.round((samples * 1000) / sampleRate);
  } finally {
    await fh.close();
  }
}

interface FrameHeader {
  bytes: number;
  samples: number;
  sampleRate: number;
  /** Offset of the Xing/Info tag inside the frame (after the side information). */
  tagOffset: number;
}

const KBPS = {
  v1: [[0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448], [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384], [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320]],
  v2: [[0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256], [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160], [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]],
};
const RATES = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] } as Record<number, number[]>;

/** Parses the 4-byte MPEG audio frame header at `o`, or null if there is none. */
export function parseMp3FrameHeader(b: Buffer, o: number): FrameHeader | null {
  if (o + 4 > b.length || b[o] !== 0xff || (b[o + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[o + 1]! >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
  const layer = 4 - ((b[o + 1]! >> 1) & 3); // 1, 2, 3
  const bitrateIndex = b[o + 2]! >> 4;
  const rateIndex = (b[o + 2]! >> 2) & 3;
  const padding = (b[o + 2]! >> 1) & 1;
  const mono = b[o + 3]! >> 6 === 3;
  if (version === 1 || layer === 4 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const sampleRate = RATES[version]![rateIndex]!;
  const kbps = (version === 3 ? KBPS.v1 : KBPS.v2)[layer - 1]![bitrateIndex]!;
  const lsf = version !== 3;
  const samples = layer === 1 ? 384 : layer === 3 && lsf ? 576 : 1152;
  const bytes = layer === 1 ? (Math.floor((12000 * kbps) / sampleRate) + padding) * 4 : Math.floor(((samples / 8) * 1000 * kbps) / sampleRate) + padding;
  const sideInfo = lsf ? (mono ? 9 : 17) : mono ? 17 : 32;
  return { bytes, samples, sampleRate, tagOffset: 4 + sideInfo };
}

/** Encoder delay and padding from a Xing/Info frame carrying a LAME tag, or null. */
function lameGap(frame: Buffer, h: FrameHeader): { delay: number; padding: number } | null {
  const t = h.tagOffset;
  const id = frame.toString('latin1', t, t + 4);
  if (id !== 'Xing' && id !== 'Info') return null;
  const lame = t + 120; // after the id, flags, frame count, byte count, 100-byte TOC and quality
  if (lame + 24 > frame.length || !/^(LAME|Lavc|Lavf|GOGO)/.test(frame.toString('latin1', lame, lame + 4))) return { delay: 0, padding: 0 };
  const g = lame + 21;
  return { delay: (frame[g]! << 4) | (frame[g + 1]! >> 4), padding: ((frame[g + 1]! & 0x0f) << 8) | frame[g + 2]! };
}

async function walkMp3(fh: fs.FileHandle, size: number, file: string): Promise<{ samples: number; sampleRate: number }> {
  let pos = 0;
  const id3 = Buffer.alloc(10);
  await fh.read(id3, 0, 10, 0);
  if (id3.toString('latin1', 0, 3) === 'ID3') {
    pos = 10 + ((id3[6]! & 0x7f) << 21) + ((id3[7]! & 0x7f) << 14) + ((id3[8]! & 0x7f) << 7) + (id3[9]! & 0x7f) + (id3[5]! & 0x10 ? 10 : 0);
  }
  let buf = Buffer.alloc(0);
  let bufAt = pos;
  let frames = 0;
  let samples = 0;
  let sampleRate = 0;
  let gap: { delay: number; padding: number } | null = null;
  const chunk = Buffer.alloc(READ_BYTES);
  while (pos < size) {
    if (pos + 4 > bufAt + buf.length || pos + 2900 > bufAt + buf.length) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, bufAt + buf.length);
      buf = Buffer.concat([buf.subarray(pos - bufAt), chunk.subarray(0, bytesRead)]);
      bufAt = pos;
    }
    const o = pos - bufAt;
    const h = parseMp3FrameHeader(buf, o);
    if (!h) {
      const rest = buf.toString('latin1', o, o + 8);
      if (frames > 0 && (rest.startsWith('TAG') || rest.startsWith('APETAGEX') || rest.startsWith('LYRICS'))) break;
      throw new Error(`${file}: not an MPEG audio stream: no frame header at byte ${pos}`);
    }
    if (pos + h.bytes > size) break; // a cut-off last frame does not play
    if (frames === 0 && samples === 0 && gap === null) {
      gap = lameGap(buf.subarray(o, o + h.bytes), h);
      if (gap) {
        pos += h.bytes; // the tag frame is not audio
        sampleRate = h.sampleRate;
        continue;
      }
    }
    if (sampleRate && h.sampleRate !== sampleRate) throw new Error(`${file}: sample rate changes at byte ${pos}`);
    sampleRate = h.sampleRate;
    frames++;
    samples += h.samples;
    pos += h.bytes;
  }
  if (frames === 0) throw new Error(`${file}: no MPEG audio frames`);
  return { samples: Math.max(0, samples - (gap ? gap.delay + gap.padding : 0)), sampleRate };
}

/**
 * Whether a transcoded file's duration agrees with the original's.
 *  - WAV formats (A-law, µ-law, PCM, IMA ADPCM with its `fact` count) keep
 *    every sample: equal within 1 ms, the rounding of the two figures.
 *  - MP3 holds whole frames (576 samples at 8-24 kHz, 1152 above: 72 ms at
 *    8 kHz). With a LAME tag the probe removes the encoder delay and padding
 *    and the durations are equal. Without one (lame writes none at 8 kHz and
 *    16 kbit/s, the JavaScript encoder never does), the file is longer by the
 *    encoder delay (576 samples), the padding of the last frame (< 1 frame)
 *    and the frame the encoder flushes for its filter-bank delay: never
 *    shorter, at most 3 frames longer. A file losing even one frame of audio
 *    is shorter than the original and fails.
 */
export function durationMatches(originalMs: number, transcodedMs: number, format: ArchiveFormat, sampleRate = 8000): boolean {
  const diff = transcodedMs - originalMs;
  if (format !== 'mp3') return Math.abs(diff) <= 1;
  const frameMs = ((sampleRate <= 24000 ? 576 : 1152) * 1000) / sampleRate;
  return diff >= -1 && diff <= 3 * frameMs + 1;
}
