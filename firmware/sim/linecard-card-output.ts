/**
 * The transmit side of the simulated line card: encodes and SLIP-frames
 * messages, injects the configured faults, and sends everything queued in one
 * card step as one write. Nothing goes out while muted or without a link.
 */
import type { ByteLink } from '../host/host.ts';
import { alawEncode, ulawEncode } from '../dsp/g711.ts';
import { AudioCodec, decodeMessage, encodeMessage, isDecodeFailure, type AudioCodecId, type CardMessage } from '../linecard/messages.ts';
import { SLIP_END, slipEncode } from '../linecard/slip.ts';

export interface CardFaults {
  /** Corrupt the CRC of every Nth frame sent. */
  crcErrorEvery?: number;
  /** Send a burst of 3-16 random bytes after every Nth frame. */
  garbageEvery?: number;
  /** On each channel, skip sending every Nth audio block (its seq is used up). */
  dropAudioEvery?: number;
}

/**
 * What the card sent: frames by type; `lineStatusChanges` counts the frames
 * with only changed channels; `suppressed` the frames not sent because the
 * card was muted or had no link.
 */
export type CardSentCounters = Record<
  | 'frames' | 'bytes' | 'hello' | 'lineStatus' | 'lineStatusChanges' | 'audio' | 'ack' | 'crcCorrupted' | 'garbageBursts' | 'audioDropped' | 'suppressed'
  | 'e1Audio' | 'e1Status',
  number
>;

export class CardOutput {
  readonly sent: CardSentCounters = {
    frames: 0, bytes: 0, hello: 0, lineStatus: 0, lineStatusChanges: 0, audio: 0, ack: 0,
    crcCorrupted: 0, garbageBursts: 0, audioDropped: 0, suppressed: 0, e1Audio: 0, e1Status: 0,
  };
  link: ByteLink | null = null;
  muted = false;
  private queue: Buffer[] = [];
  private frameCount = 0;
  private rng: number;

  constructor(
    private readonly faults: CardFaults,
    seed: number,
  ) {
    this.rng = seed >>> 0 || 1;
  }

  /** Queues a frame for the next flush; false when the card is muted or has no link. */
  send(m: CardMessage): boolean {
    if (!this.link || this.muted) {
      this.sent.suppressed++;
      return false;
    }
    const frame = encodeMessage(m);
    const n = ++this.frameCount;
    const { crcErrorEvery, garbageEvery } = this.faults;
    if (crcErrorEvery && crcErrorEvery > 0 && n % crcErrorEvery === 0) {
      frame[frame.length - 1]! ^= 0x5a;
      this.sent.crcCorrupted++;
    }
    this.queue.push(slipEncode(frame));
    if (garbageEvery && garbageEvery > 0 && n % garbageEvery === 0) {
      this.queue.push(this.garbage());
      this.sent.garbageBursts++;
    }
    this.sent.frames++;
    this.sent[m.type]++;
    return true;
  }

  /** Writes the queued frames in one chunk. */
  flush(): void {
    if (this.queue.length === 0) return;
    const data = this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue);
    this.queue = [];
    if (!this.link || this.muted) return;
    this.sent.bytes += data.length;
    this.link.write(data);
  }

  /** 3-16 random bytes, never a SLIP END, never a valid frame. */
  private garbage(): Buffer {
    const len = 3 + (this.random() % 14);
    const b = Buffer.alloc(len);
    for (let i = 0; i < len; i++) {
      const v = this.random() & 0xff;
      b[i] = v === SLIP_END ? v + 1 : v;
    }
    if (!isDecodeFailure(decodeMessage(b))) b[len - 1] ^= 0x01;
    return b;
  }

  /** xorshift32 */
  private random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
}

/** Applies the channel gain and encodes a block: A-law / µ-law one byte per sample, linear 16-bit little-endian. */
export function encodeAudioBlock(pcm: Int16Array, codec: AudioCodecId, gainDb: number): Buffer {
  if (gainDb !== 0) {
    const k = Math.pow(10, gainDb / 20);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.max(-32768, Math.min(32767, Math.round(pcm[i]! * k)));
  }
  if (codec === AudioCodec.Alaw) return Buffer.from(alawEncode(pcm).buffer);
  if (codec === AudioCodec.Ulaw) return Buffer.from(ulawEncode(pcm).buffer);
  const b = Buffer.allocUnsafe(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) b.writeInt16LE(pcm[i]!, i * 2);
  return b;
}
