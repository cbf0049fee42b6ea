/**
 * Streaming reader of a finished recording (A-law, µ-law, 16-bit PCM or IMA
 * ADPCM WAV): validates the header strictly, then yields the audio as 16-bit
 * samples a chunk at a time, so a recording of hours never sits in memory.
 */
import fs from 'node:fs/promises';
import { BadBlockError, decodeBlocks } from './block-decode.ts';
import { TranscodeError } from './transcode-error.ts';
import { parseAnyWavHeader, WavFormatError, type AnyWavInfo } from './wav.ts';

/** Bytes of the source read at a time (about 4 s of A-law). */
const READ_BYTES = 32 * 1024;
const HEADER_BYTES = 4096;

export interface WavSource {
  info: AnyWavInfo;
  /** 16-bit mono samples, in order, `info.frames` in all. */
  samples(): AsyncGenerator<Int16Array>;
  close(): Promise<void>;
}

/** Opens `file` and checks it is a whole mono recording; rejects with a TranscodeError otherwise. */
export async function openWavSource(file: string): Promise<WavSource> {
  const fh = await fs.open(file, 'r');
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(size, HEADER_BYTES));
    await fh.read(head, 0, head.length, 0);
    const info = checkedInfo(file, head, size);
    return { info, samples: () => readSamples(fh, file, info), close: () => fh.close() };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

function checkedInfo(file: string, head: Buffer, size: number): AnyWavInfo {
  let info: AnyWavInfo;
  try {
    info = parseAnyWavHeader(head, size);
  } catch (e) {
    if (e instanceof WavFormatError || e instanceof RangeError) throw new TranscodeError('SOURCE_INVALID', `${file}: ${e.message}`);
    throw e;
  }
  const present = Math.max(0, size - info.dataOffset);
  if (info.declaredDataBytes > present) {
    throw new TranscodeError('SOURCE_TRUNCATED', `${file}: truncated: the header declares ${info.declaredDataBytes} bytes of audio, the file holds ${present}`);
  }
  if (info.declaredDataBytes === 0 && present >= info.blockAlign) {
    throw new TranscodeError('SOURCE_INVALID', `${file}: the header was never finalised (data size 0 with ${present} bytes after it)`);
  }
  if (info.declaredDataBytes % info.blockAlign !== 0) {
    throw new TranscodeError('SOURCE_TRUNCATED', `${file}: ${info.declaredDataBytes} bytes of audio is not a whole number of ${info.blockAlign}-byte blocks`);
  }
  if (info.channels !== 1) throw new TranscodeError('SOURCE_INVALID', `${file}: ${info.channels} channels; recordings are mono`);
  if (info.sampleRate < 4000 || info.sampleRate > 48000) throw new TranscodeError('SOURCE_INVALID', `${file}: sample rate ${info.sampleRate} Hz`);
  return info;
}

async function* readSamples(fh: fs.FileHandle, file: string, info: AnyWavInfo): AsyncGenerator<Int16Array> {
  const chunkBytes = Math.max(1, Math.floor(READ_BYTES / info.blockAlign)) * info.blockAlign;
  const buf = Buffer.alloc(chunkBytes);
  let pos = 0;
  let left = info.frames;
  while (pos < info.dataBytes && left > 0) {
    const want = Math.min(chunkBytes, info.dataBytes - pos);
    const { bytesRead } = await fh.read(buf, 0, want, info.dataOffset + pos);
    if (bytesRead !== want) throw new TranscodeError('SOURCE_TRUNCATED', `${file}: the file ended at byte ${info.dataOffset + pos + bytesRead} while reading its audio`);
    pos += want;
    const samples = decodeChunk(file, info, buf.subarray(0, want), pos - want);
    const n = Math.min(samples.length, left);
    left -= n;
    yield n === samples.length ? samples : samples.subarray(0, n);
  }
}

function decodeChunk(file: string, info: AnyWavInfo, bytes: Buffer, at: number): Int16Array {
  try {
    return decodeBlocks(info, bytes);
  } catch (e) {
    if (!(e instanceof BadBlockError)) throw e;
    throw new TranscodeError('SOURCE_INVALID', `${file}: ADPCM block at data byte ${at + e.block * info.blockAlign}: ${e.message}`);
  }
}
