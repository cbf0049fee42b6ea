/**
 * Playing recordings in a browser (录音播放) and their waveform: every stored
 * WAV (A-law, µ-law, IMA ADPCM, PCM; mono or one party per stereo channel) is
 * served as 16-bit PCM WAV, transcoded block by block for the byte range
 * asked; MP3 passes through. A view operation: every signed-in role may use
 * it; a seat only on the channels its fetch right reaches.
 */
import { decodedFrames, playableLayout, playableRange, type PlayableLayout } from '../audio/playable-wav.ts';
import { PeakMeter, type Peaks } from '../audio/waveform-peaks.ts';
import { parseAnyWavHeader, type AnyWavInfo } from '../audio/wav.ts';
import { RecorderError } from '../errors.ts';
import type { RecordEntry } from '../recording/record-entry.ts';
import type { RecordingReader } from '../recording/sealed-file.ts';
import { downloadName } from './download-name.ts';
import type { Principal } from './principal.ts';
import type { AudioRange, OpenedAudio, RecordService } from './record-service.ts';

export type { Peaks } from '../audio/waveform-peaks.ts';

export const DEFAULT_PEAK_POINTS = 1000;
export const MAX_PEAK_POINTS = 10_000;
/** Waveforms kept: recomputing one is a single pass over the file. */
const PEAK_CACHE = 32;
const HEADER_BYTES = 4096;

interface Playable {
  entry: RecordEntry;
  reader: RecordingReader;
  info: AnyWavInfo;
  layout: PlayableLayout;
}

export class PlaybackService {
  private readonly peakCache = new Map<string, Peaks>();

  constructor(private readonly records: RecordService) {}

  /** The recording as a browser plays it, or a byte range of it (`range` as in RecordService.openAudio). */
  async play(principal: Principal, id: string, range?: (size: number) => AudioRange | null): Promise<OpenedAudio> {
    // The file as it is read (the box's, or the object store's copy when the box's is gone) decides the codec.
    const opened = await this.records.openFile(principal, id);
    if (opened.entry.codec === 'mp3') {
      await opened.reader.close();
      return { ...(await this.records.openAudio(principal, id, range)), fileName: downloadName(opened.entry) };
    }
    const p = await this.openPlayable(principal, id, opened);
    let r: AudioRange | null;
    try {
      r = range ? range(p.layout.size) : null;
    } catch (e) {
      await p.reader.close();
      throw e;
    }
    const served = r ?? { start: 0, end: p.layout.size - 1 };
    const stream = playableRange(p.info, p.layout, served.start, served.end, (s, e) => p.reader.stream(s, e));
    stream.once('close', () => void p.reader.close().catch(() => undefined));
    return { contentType: 'audio/wav', fileName: downloadName({ ...p.entry, codec: 'pcm16' }), size: p.layout.size, range: served, partial: r !== null, stream };
  }

  /** Lowest and highest sample of `points` equal spans, per party; computed in one pass. */
  async peaks(principal: Principal, id: string, points = DEFAULT_PEAK_POINTS): Promise<Peaks> {
    const n = Math.max(1, Math.min(MAX_PEAK_POINTS, Math.floor(points)));
    const entry = await this.records.get(principal, id);
    this.records.access.check(principal, 'fetch', entry);
    if (entry.codec === 'mp3') throw new RecorderError('RECORD_FORMAT_UNSUPPORTED', `recording ${id} is archived as MP3; its waveform is not available`);
    const key = `${entry.id}|${entry.sha256 ?? entry.sizeBytes}|${n}`;
    const hit = this.peakCache.get(key);
    if (hit) {
      this.peakCache.delete(key);
      this.peakCache.set(key, hit);
      return hit;
    }
    const p = await this.openPlayable(principal, id);
    try {
      const meter = new PeakMeter(p.layout.frames, p.layout.channels, n);
      for await (const samples of decodedFrames(p.info, p.layout.channels, 0, p.layout.frames, (s, e) => p.reader.stream(s, e))) meter.add(samples);
      const result = meter.result(p.layout.sampleRate);
      this.peakCache.set(key, result);
      if (this.peakCache.size > PEAK_CACHE) this.peakCache.delete(this.peakCache.keys().next().value!);
      return result;
    } catch (e) {
      throw damaged(id, e);
    } finally {
      await p.reader.close().catch(() => undefined);
    }
  }

  private async openPlayable(principal: Principal, id: string, opened?: { entry: RecordEntry; reader: RecordingReader }): Promise<Playable> {
    const { entry, reader } = opened ?? (await this.records.openFile(principal, id));
    try {
      const head = await readHead(reader);
      let info: AnyWavInfo;
      try {
        info = parseAnyWavHeader(head, reader.size);
      } catch (e) {
        throw damaged(id, e);
      }
      if (info.channels < 1 || info.channels > 2 || info.sampleRate < 4000 || info.sampleRate > 48000) {
        throw new RecorderError('RECORD_FILE_DAMAGED', `recording ${id}: ${info.channels} channels at ${info.sampleRate} Hz is not a recording`);
      }
      return { entry, reader, info, layout: playableLayout(info) };
    } catch (e) {
      await reader.close().catch(() => undefined);
      throw e;
    }
  }
}

async function readHead(reader: RecordingReader): Promise<Buffer> {
  if (reader.size === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const piece of reader.stream(0, Math.min(reader.size, HEADER_BYTES) - 1)) parts.push(piece as Buffer);
  return Buffer.concat(parts);
}

/** A decoding failure as a clear error; the box's own errors (sealed file damaged, missing) as they are. */
function damaged(id: string, e: unknown): Error {
  if (e instanceof RecorderError) return e;
  return new RecorderError('RECORD_FILE_DAMAGED', `recording ${id} cannot be decoded: ${(e as Error).message}`);
}
