/**
 * WAV (RIFF) files: the 44/46-byte headers the recorder writes for A-law,
 * µ-law and 16-bit PCM, and a tolerant reader that also repairs the sizes of
 * a file whose writer was killed before it could finalise the header. The
 * reader also understands the archive's IMA ADPCM files (parseAnyWavHeader).
 */
import { alawDecode, ulawDecode } from '../dsp/g711.ts';
import { WAVE_FORMAT_DVI_ADPCM, samplesPerImaBlock } from './ima-adpcm.ts';

export type WavCodec = 'alaw' | 'ulaw' | 'pcm16';

const FORMAT_TAG: Record<WavCodec, number> = { pcm16: 1, alaw: 6, ulaw: 7 };
const CODEC_OF_TAG: Record<number, WavCodec> = { 1: 'pcm16', 6: 'alaw', 7: 'ulaw' };

export function bytesPerSample(codec: WavCodec): number {
  return codec === 'pcm16' ? 2 : 1;
}

/** Header size for a codec: G.711 uses an 18-byte fmt chunk (cbSize = 0), PCM the classic 16. */
export function wavHeaderSize(codec: WavCodec): number {
  return codec === 'pcm16' ? 44 : 46;
}

/** A header for `dataBytes` bytes of audio; stereo files interleave one party per channel. */
export function wavHeader(codec: WavCodec, sampleRate: number, dataBytes: number, channels = 1): Buffer {
  const fmtSize = codec === 'pcm16' ? 16 : 18;
  const size = wavHeaderSize(codec);
  const bps = bytesPerSample(codec);
  const h = Buffer.alloc(size);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(size - 8 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(fmtSize, 16);
  h.writeUInt16LE(FORMAT_TAG[codec], 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * bps * channels, 28);
  h.writeUInt16LE(bps * channels, 32);
  h.writeUInt16LE(bps * 8, 34);
  let o = 36;
  if (fmtSize === 18) {
    h.writeUInt16LE(0, 36);
    o = 38;
  }
  h.write('data', o, 'latin1');
  h.writeUInt32LE(dataBytes, o + 4);
  return h;
}

/** Offsets of the two size fields that change as a file grows. */
export function wavSizeFields(codec: WavCodec): { riff: number; data: number } {
  return { riff: 4, data: wavHeaderSize(codec) - 4 };
}

export interface WavInfo {
  codec: WavCodec;
  sampleRate: number;
  channels: number;
  dataOffset: number;
  /** Bytes of audio actually present (clamped to the file size). */
  dataBytes: number;
  /** Whether the header's sizes disagree with the file (a writer was interrupted). */
  sizesStale: boolean;
}

export class WavFormatError extends Error {}

/** Every codec the reader understands: the recorder's three and the archive's IMA ADPCM. */
export type AnyWavCodec = WavCodec | 'ima-adpcm';

export interface AnyWavInfo extends Omit<WavInfo, 'codec'> {
  codec: AnyWavCodec;
  /** Bytes per block: one sample frame for PCM and G.711, one ADPCM block for IMA ADPCM. */
  blockAlign: number;
  /** Sample frames per block (1, or 505 for 256-byte IMA ADPCM blocks). */
  samplesPerBlock: number;
  /** The data size the header declares, which exceeds `dataBytes` when the file is truncated. */
  declaredDataBytes: number;
  /** Sample frames in `dataBytes`, limited by the `fact` chunk when there is one. */
  frames: number;
}

/** Parses a WAV header from the start of a file whose total length is `fileSize` (A-law, µ-law, 16-bit PCM). */
export function parseWavHeader(head: Buffer, fileSize: number): WavInfo {
  const info = parseAnyWavHeader(head, fileSize);
  if (info.codec === 'ima-adpcm') throw new WavFormatError('IMA ADPCM WAV (an archive format): read it with parseAnyWavHeader');
  const { codec, sampleRate, channels, dataOffset, dataBytes, sizesStale } = info;
  return { codec, sampleRate, channels, dataOffset, dataBytes, sizesStale };
}

/** Like parseWavHeader, and also IMA ADPCM (format tag 0x0011) with its block size and `fact` sample count. */
export function parseAnyWavHeader(head: Buffer, fileSize: number): AnyWavInfo {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not a RIFF/WAVE file');
  }
  let o = 12;
  let fmt: { codec: AnyWavCodec; sampleRate: number; channels: number } | null = null;
  let blockAlign = 1;
  let samplesPerBlock = 1;
  let factFrames: number | null = null;
  while (o + 8 <= head.length) {
    const id = head.toString('latin1', o, o + 4);
    const size = head.readUInt32LE(o + 4);
    if (id === 'fmt ') {
      if (o + 8 + 16 > head.length) break;
      const tag = head.readUInt16LE(o + 8);
      const channels = head.readUInt16LE(o + 10);
      const sampleRate = head.readUInt32LE(o + 12);
      const bits = head.readUInt16LE(o + 22);
      if (tag === WAVE_FORMAT_DVI_ADPCM) {
        blockAlign = head.readUInt16LE(o + 20);
        if (bits !== 4 || channels !== 1 || blockAlign < 8) {
          throw new WavFormatError(`unsupported IMA ADPCM WAV: ${bits} bits, ${channels} channels, ${blockAlign}-byte blocks`);
        }
        samplesPerBlock = size >= 20 && o + 28 <= head.length ? head.readUInt16LE(o + 26) : samplesPerImaBlock(blockAlign);
        if (samplesPerBlock !== samplesPerImaBlock(blockAlign)) {
          throw new WavFormatError(`IMA ADPCM WAV declares ${samplesPerBlock} samples per ${blockAlign}-byte block`);
        }
        fmt = { codec: 'ima-adpcm', channels, sampleRate };
      } else {
        const codec = CODEC_OF_TAG[tag];
        if (!codec || (codec === 'pcm16' && bits !== 16)) throw new WavFormatError(`unsupported WAV format tag ${tag} / ${bits} bits`);
        fmt = { codec, channels, sampleRate };
        blockAlign = bytesPerSample(codec) * channels;
      }
    } else if (id === 'fact' && o + 12 <= head.length) {
      factFrames = head.readUInt32LE(o + 8);
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      const dataOffset = o + 8;
      const present = Math.max(0, fileSize - dataOffset);
      const whole = present - (present % blockAlign);
      const declared = size;
      const dataBytes = declared > 0 && declared <= whole ? declared : whole;
      const inData = (dataBytes / blockAlign) * samplesPerBlock;
      return {
        ...fmt,
        dataOffset,
        dataBytes,
        sizesStale: declared !== whole || head.readUInt32LE(4) !== dataOffset - 8 + whole,
        blockAlign,
        samplesPerBlock,
        declaredDataBytes: declared,
        frames: fmt.codec === 'ima-adpcm' && factFrames !== null ? Math.min(factFrames, inData) : inData,
      };
    }
    o += 8 + size + (size & 1);
  }
  throw new WavFormatError('no data chunk in the header');
}

export interface DecodedWav {
  info: WavInfo;
  sampleRate: number;
  /** Mono 16-bit samples (the first channel of a multi-channel file). */
  samples: Int16Array;
  /** Every channel's 16-bit samples (one entry for a mono file). */
  channels: Int16Array[];
}

/** Decodes a whole WAV file held in memory into 16-bit samples. */
export function decodeWav(file: Buffer): DecodedWav {
  const info = parseWavHeader(file.subarray(0, Math.min(file.length, 4096)), file.length);
  const data = file.subarray(info.dataOffset, info.dataOffset + info.dataBytes);
  const n = Math.max(1, info.channels);
  const channels: Int16Array[] = [];
  for (let c = 0; c < n; c++) {
    if (info.codec === 'pcm16') {
      const frames = Math.floor(data.length / (2 * n));
      const out = new Int16Array(frames);
      for (let i = 0; i < frames; i++) out[i] = data.readInt16LE((i * n + c) * 2);
      channels.push(out);
    } else {
      const one = n === 1 ? data : data.filter((_, i) => i % n === c);
      channels.push(info.codec === 'alaw' ? alawDecode(one) : ulawDecode(one));
    }
  }
  return { info, sampleRate: info.sampleRate, samples: channels[0]!, channels };
}

/** Encodes 16-bit mono samples as a complete PCM WAV file. */
export function encodePcmWav(samples: Int16Array, sampleRate = 8000): Buffer {
  const body = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  return Buffer.concat([wavHeader('pcm16', sampleRate, body.length), body]);
}
