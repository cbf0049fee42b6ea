/**
 * Writes one recording incrementally: audio is buffered in memory and flushed
 * to the file every `flushMs` together with an updated header, so a killed
 * process leaves a valid WAV that lacks at most the last flush interval.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytesPerSample, wavHeader, wavHeaderSize, type WavCodec } from '../audio/wav.ts';
import { linearToAlaw, linearToUlaw } from '../dsp/g711.ts';

export const FLUSH_MS = 500;

export class WavWriter {
  private fd: number;
  private readonly pending: Buffer;
  private pendingLen = 0;
  private dataBytes = 0;
  private lastFlushAt: number;
  private closed = false;

  constructor(
    readonly filePath: string,
    readonly codec: WavCodec,
    readonly sampleRate: number,
    now: number,
    /** 1, or 2 for a stereo file with one party per channel. */
    readonly channels = 1,
  ) {
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    this.fd = fs.openSync(filePath, 'w');
    fs.writeSync(this.fd, wavHeader(codec, sampleRate, 0, channels), 0, undefined, 0);
    // One second of audio plus headroom; larger bursts are flushed at once.
    this.pending = Buffer.allocUnsafe(sampleRate * bytesPerSample(codec) * channels * 2);
    this.lastFlushAt = now;
  }

  get bytesWritten(): number {
    return this.dataBytes + this.pendingLen;
  }

  get durationMs(): number {
    return Math.round((this.bytesWritten / (bytesPerSample(this.codec) * this.channels) / this.sampleRate) * 1000);
  }

  append(data: Uint8Array, now: number): void {
    if (this.closed) return;
    if (this.pendingLen + data.length > this.pending.length) this.flush(now);
    if (data.length > this.pending.length) {
      writeAll(this.fd, data, data.length, this.headerSize() + this.dataBytes);
      this.dataBytes += data.length;
    } else if (this.pendingLen + data.length > this.pending.length) {
      // The disk refused the last flush (full?): this block is lost, the file stays consistent.
      throw new Error(`recording buffer full: ${this.filePath} cannot be written`);
    } else {
      this.pending.set(data, this.pendingLen);
      this.pendingLen += data.length;
    }
    if (now - this.lastFlushAt >= FLUSH_MS) this.flush(now);
  }

  /**
   * Appends the first `count` of `samples`, encoded in the file's codec
   * straight into the buffer of what is to be written.
   */
  appendPcm(samples: Int16Array, count: number, now: number): void {
    if (this.closed) return;
    const size = count * bytesPerSample(this.codec);
    if (this.pendingLen + size > this.pending.length) this.flush(now);
    if (this.pendingLen + size > this.pending.length) {
      // Larger than the buffer, or the disk refused the last flush: the general path decides.
      const bytes = Buffer.allocUnsafe(size);
      this.encode(samples, count, bytes, 0);
      this.append(bytes, now);
      return;
    }
    this.encode(samples, count, this.pending, this.pendingLen);
    this.pendingLen += size;
    if (now - this.lastFlushAt >= FLUSH_MS) this.flush(now);
  }

  /** Flushes if the last flush is at least FLUSH_MS old (for channels whose audio paused). */
  flushIfDue(now: number): void {
    if (now < this.lastFlushAt) this.lastFlushAt = now; // the clock was set back
    if (now - this.lastFlushAt >= FLUSH_MS) this.flush(now);
  }

  /** Writes buffered audio and the header sizes that match it. */
  flush(now: number): void {
    if (this.closed) return;
    this.lastFlushAt = now;
    if (this.pendingLen === 0) return;
    writeAll(this.fd, this.pending, this.pendingLen, this.headerSize() + this.dataBytes);
    this.dataBytes += this.pendingLen;
    this.pendingLen = 0;
    fs.writeSync(this.fd, wavHeader(this.codec, this.sampleRate, this.dataBytes, this.channels), 0, undefined, 0);
  }

  /**
   * Writes the last audio and the final header, then syncs to the disk and
   * closes without blocking the event loop (a TF card or HDD sync can take tens
   * of milliseconds, during which line-card bytes would pile up). Resolves with
   * the final audio size in bytes once the file is durable.
   */
  close(now: number): Promise<number> {
    if (this.closed) return Promise.resolve(this.dataBytes);
    this.flush(now);
    fs.writeSync(this.fd, wavHeader(this.codec, this.sampleRate, this.dataBytes, this.channels), 0, undefined, 0);
    this.closed = true;
    const fd = this.fd;
    const bytes = this.dataBytes;
    return new Promise((resolve, reject) => {
      fs.fdatasync(fd, (syncError) => {
        fs.close(fd, (closeError) => {
          const error = syncError ?? closeError;
          if (error) reject(error);
          else resolve(bytes);
        });
      });
    });
  }

  /** Closes and removes the file (a recording shorter than the minimum length). */
  discard(): void {
    if (!this.closed) {
      fs.closeSync(this.fd);
      this.closed = true;
    }
    fs.rmSync(this.filePath, { force: true });
  }

  private encode(samples: Int16Array, count: number, out: Buffer, at: number): void {
    if (this.codec === 'alaw') for (let i = 0; i < count; i++) out[at + i] = linearToAlaw(samples[i]!);
    else if (this.codec === 'ulaw') for (let i = 0; i < count; i++) out[at + i] = linearToUlaw(samples[i]!);
    // 16-bit PCM as the samples lie in memory (little-endian, as fromPcm gives them).
    else out.set(new Uint8Array(samples.buffer, samples.byteOffset, count * 2), at);
  }

  private headerSize(): number {
    return wavHeaderSize(this.codec);
  }
}

/** Writes `length` bytes at `position`, continuing after short writes; throws when the disk refuses. */
function writeAll(fd: number, data: Uint8Array, length: number, position: number): void {
  let done = 0;
  while (done < length) done += fs.writeSync(fd, data, done, length - done, position + done);
}
