/**
 * Transcoding of a finished recording to the archive's format (manual: ALAW,
 * ULAW, PCM, ADPCM, MP3), streaming: the source is read a chunk at a time.
 *
 * `dst` is written in place (the caller picks a temporary name and renames it),
 * synced to the disk before the promise resolves, and removed again if anything
 * fails; a malformed or truncated source is refused before `dst` is created.
 *
 * MP3: CBR, 16 kbit/s by default (MPEG-2.5 Layer III at 8 kHz, about 7 MB per
 * hour: telephone speech stays clear). Encoded by `lame` when it is on PATH,
 * otherwise by the built-in JavaScript encoder in a worker thread.
 */
import fs from 'node:fs/promises';
import { alawEncode, ulawEncode } from '../dsp/g711.ts';
import { IMA_BLOCK_ALIGN, ImaAdpcmEncoder, imaWavHeader } from './ima-adpcm.ts';
import { encodeWithLame, findLame } from './mp3-lame.ts';
import { Mp3WorkerEncoder } from './mp3-worker-encoder.ts';
import { TranscodeError } from './transcode-error.ts';
import { openWavSource, type WavSource } from './wav-source.ts';
import { wavHeader } from './wav.ts';

export type ArchiveFormat = 'alaw' | 'ulaw' | 'pcm16' | 'ima-adpcm' | 'mp3';
export const ARCHIVE_FORMATS: readonly ArchiveFormat[] = ['alaw', 'ulaw', 'pcm16', 'ima-adpcm', 'mp3'];

/** MPEG-2.5/2 Layer III bit rates a CBR file can use. */
export const MP3_KBPS = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160] as const;
export const DEFAULT_MP3_KBPS = 16;

export interface TranscodeOptions {
  /** MP3 bit rate, kbit/s (default 16). */
  mp3Kbps?: number;
  /** Which MP3 encoder: 'auto' (lame when installed, default), 'lame' (fail without it), 'js' (the worker). */
  mp3Encoder?: 'auto' | 'lame' | 'js';
  /** IMA ADPCM block size in bytes (default 256 = 505 samples). */
  adpcmBlockAlign?: number;
}

export interface TranscodeResult {
  /** Duration of the audio, from the source's sample count. */
  durationMs: number;
  /** Size of `dst` in bytes. */
  sizeBytes: number;
}

export async function transcodeFile(src: string, dst: string, format: ArchiveFormat, opts: TranscodeOptions = {}): Promise<TranscodeResult> {
  if (!ARCHIVE_FORMATS.includes(format)) throw new RangeError(`unknown archive format ${String(format)}`);
  const kbps = opts.mp3Kbps ?? DEFAULT_MP3_KBPS;
  if (format === 'mp3' && !(MP3_KBPS as readonly number[]).includes(kbps)) throw new RangeError(`MP3 bit rate ${kbps} kbit/s is not one of ${MP3_KBPS.join(', ')}`);
  const source = await openWavSource(src);
  let created = false;
  try {
    const { frames, sampleRate } = source.info;
    if (format === 'mp3') {
      const lame = opts.mp3Encoder === 'js' ? null : await findLame();
      if (opts.mp3Encoder === 'lame' && !lame) throw new TranscodeError('ENCODER_FAILED', 'lame is not installed');
      created = true;
      if (lame) await encodeWithLame(lame, source.samples(), dst, sampleRate, kbps);
      else await writeFile(dst, (fh) => encodeWithWorker(source, fh, kbps));
      await syncFile(dst);
    } else {
      created = true;
      await writeFile(dst, (fh) => writeWav(source, fh, format, opts.adpcmBlockAlign ?? IMA_BLOCK_ALIGN));
    }
    const { size } = await fs.stat(dst);
    return { durationMs: Math.round((frames * 1000) / sampleRate), sizeBytes: size };
  } catch (e) {
    if (created) await fs.rm(dst, { force: true });
    throw e;
  } finally {
    await source.close();
  }
}

async function writeFile(dst: string, body: (fh: fs.FileHandle) => Promise<void>): Promise<void> {
  const fh = await fs.open(dst, 'w');
  try {
    await body(fh);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncFile(file: string): Promise<void> {
  const fh = await fs.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeAll(fh: fs.FileHandle, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
    off += bytesWritten;
  }
}

async function writeWav(source: WavSource, fh: fs.FileHandle, format: Exclude<ArchiveFormat, 'mp3'>, blockAlign: number): Promise<void> {
  const { frames, sampleRate } = source.info;
  if (format === 'ima-adpcm') {
    const enc = new ImaAdpcmEncoder(blockAlign);
    await writeAll(fh, imaWavHeader(sampleRate, frames, blockAlign));
    for await (const chunk of source.samples()) await writeAll(fh, enc.encode(chunk));
    await writeAll(fh, enc.finish());
    return;
  }
  await writeAll(fh, wavHeader(format, sampleRate, format === 'pcm16' ? frames * 2 : frames));
  for await (const chunk of source.samples()) {
    if (format === 'pcm16') await writeAll(fh, new Uint8Array(pcm16le(chunk)));
    else await writeAll(fh, format === 'alaw' ? alawEncode(chunk) : ulawEncode(chunk));
  }
}

/** Little-endian bytes of the samples (a view on little-endian hosts). */
function pcm16le(samples: Int16Array): Buffer {
  const view = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return view;
  const copy = Buffer.from(view);
  return copy.swap16();
}

async function encodeWithWorker(source: WavSource, fh: fs.FileHandle, kbps: number): Promise<void> {
  const encoder = Mp3WorkerEncoder.start(source.info.sampleRate, kbps);
  try {
    for await (const chunk of source.samples()) await writeAll(fh, await encoder.encode(chunk));
    await writeAll(fh, await encoder.finish());
  } finally {
    await encoder.close();
  }
}
