/**
 * A phone's local recording file (its USB recording, "Record_<time>"): a
 * header `char codec[64]; int32 rtpLen; int32 increment; uint32 dataSize`
 * (little-endian, as the phones' ARM CPUs write it) followed by `dataSize`
 * bytes of RTP packets of `rtpLen` bytes each (header and payload), their
 * timestamps advancing by `increment` per packet. Read as a stream: each
 * chunk yields the audio it completes, decoded to 8 kHz. A gap in
 * timestamps (a pause of the recording) up to 2 s is kept as silence; a
 * longer one is left out. Pure.
 */
import { emptyRtpHeader, readRtpHeader, tsDelta } from '../rtp/rtp-header.ts';
import { payloadDecoder, type AudioCodecName, type PayloadDecoder } from '../rtp/payload-codec.ts';

export const LOCAL_HEADER_BYTES = 76;
const MAX_GAP_SAMPLES = 16000;

export interface LocalRecordingHeader {
  codec: AudioCodecName;
  rtpLen: number;
  increment: number;
  dataSize: number;
}

export class LocalRecordingError extends Error {}

export function parseLocalHeader(b: Uint8Array): LocalRecordingHeader {
  if (b.length < LOCAL_HEADER_BYTES) throw new LocalRecordingError('file shorter than its header');
  const nul = b.subarray(0, 64).indexOf(0);
  const name = Buffer.from(b.subarray(0, nul < 0 ? 64 : nul)).toString('latin1').trim().toUpperCase();
  const codec = name === 'PCMA' || name === 'G711A' || name === 'G711A-LAW' ? 'PCMA'
    : name === 'PCMU' || name === 'G711U' || name === 'G711U-LAW' ? 'PCMU'
      : name === 'G722' ? 'G722' : null;
  if (!codec) throw new LocalRecordingError(`codec '${name.slice(0, 20)}' not supported (PCMA, PCMU, G722)`);
  const v = new DataView(b.buffer, b.byteOffset + 64, 12);
  const rtpLen = v.getInt32(0, true);
  const increment = v.getInt32(4, true);
  const dataSize = v.getUint32(8, true);
  if (rtpLen < 13 || rtpLen > 1500) throw new LocalRecordingError(`rtpLen ${rtpLen} out of range`);
  if (increment <= 0 || increment > 8000) throw new LocalRecordingError(`increment ${increment} out of range`);
  return { codec, rtpLen, increment, dataSize };
}

export class LocalRecordingReader {
  header: LocalRecordingHeader | null = null;
  private buf = Buffer.alloc(0);
  private taken = 0;
  private decoder: PayloadDecoder | null = null;
  private readonly h = emptyRtpHeader();
  private lastTs: number | null = null;
  private pcm = new Int16Array(2048);
  readonly counters = { packets: 0, malformed: 0, samples: 0, silence: 0 };

  /** Takes the next bytes of the file; returns the audio they complete (8 kHz, valid until the next call). */
  push(chunk: Uint8Array): Int16Array {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    if (!this.header) {
      if (this.buf.length < LOCAL_HEADER_BYTES) return this.pcm.subarray(0, 0);
      this.header = parseLocalHeader(this.buf);
      this.decoder = payloadDecoder(this.header.codec);
      this.buf = this.buf.subarray(LOCAL_HEADER_BYTES);
    }
    const { rtpLen, dataSize } = this.header;
    let n = 0;
    while (this.buf.length >= rtpLen && this.taken + rtpLen <= dataSize) {
      const packet = this.buf.subarray(0, rtpLen);
      this.buf = this.buf.subarray(rtpLen);
      this.taken += rtpLen;
      n = this.packet(packet, n);
    }
    if (this.taken + rtpLen > dataSize) this.buf = Buffer.alloc(0); // trailing bytes past dataSize
    return this.pcm.subarray(0, n);
  }

  /** After the last chunk: whether the file held everything its header announced. */
  get complete(): boolean {
    return this.header !== null && this.header.dataSize - this.taken < this.header.rtpLen;
  }

  private packet(p: Uint8Array, n: number): number {
    const h = this.h;
    if (!readRtpHeader(p, h)) {
      this.counters.malformed++;
      return n;
    }
    this.counters.packets++;
    const inc = this.header!.increment;
    if (this.lastTs !== null) {
      const gap = tsDelta(this.lastTs, h.timestamp) - inc;
      if (gap > 0 && gap <= MAX_GAP_SAMPLES) {
        n = this.reserve(n, gap);
        this.pcm.fill(0, n, n + gap);
        n += gap;
        this.counters.silence += gap;
      }
    }
    this.lastTs = h.timestamp;
    n = this.reserve(n, h.payloadLength * 2);
    const got = this.decoder!.decode(p.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength), this.pcm.subarray(n));
    this.counters.samples += got;
    return n + got;
  }

  private reserve(n: number, more: number): number {
    if (n + more > this.pcm.length) {
      const next = new Int16Array(Math.max(this.pcm.length * 2, n + more));
      next.set(this.pcm.subarray(0, n));
      this.pcm = next;
    }
    return n;
  }
}
