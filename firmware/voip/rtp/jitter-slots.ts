/**
 * The packets a jitter buffer holds, by sequence number: 64 slots kept in
 * flat typed arrays (sequence, payload type and length; position; payload
 * bytes at one stride, grown to the largest payload seen) rather than an
 * object and a buffer per slot, so taking or playing a packet touches a few
 * cache lines of its stream and no object is made per packet. Pure.
 */
export const SLOTS = 64;
const MASK = SLOTS - 1;
/** Fields per slot in `meta`. */
const SEQ = 0;
const PT = 1;
const LEN = 2;
const FIELDS = 4;

export class JitterSlots {
  /** Per slot: sequence (-1: empty), payload type, payload length (-1: a telephone event, no audio). */
  private readonly meta = new Int32Array(SLOTS * FIELDS);
  /** Per slot: the output position of the packet's first sample. */
  private readonly positions = new Float64Array(SLOTS);
  /** Payload bytes, slot i at i * stride. */
  bytes = new Uint8Array(0);
  stride = 0;

  constructor() {
    this.clear();
  }

  /** The slot of a sequence number (its packet or an older one that shares it). */
  slotOf(seq: number): number {
    return seq & MASK;
  }

  /** Whether packet `seq` is held. */
  holds(seq: number): boolean {
    return this.meta[(seq & MASK) * FIELDS + SEQ] === seq;
  }

  seqAt(slot: number): number {
    return this.meta[slot * FIELDS + SEQ]!;
  }

  ptAt(slot: number): number {
    return this.meta[slot * FIELDS + PT]!;
  }

  lengthAt(slot: number): number {
    return this.meta[slot * FIELDS + LEN]!;
  }

  positionAt(slot: number): number {
    return this.positions[slot]!;
  }

  /** Index in `bytes` of a slot's payload. */
  offsetAt(slot: number): number {
    return slot * this.stride;
  }

  /** Keeps packet `seq`: `length` bytes of `src` from `from` (length -1: a telephone event, nothing kept). */
  put(seq: number, position: number, pt: number, src: Uint8Array, from: number, length: number): void {
    if (length > this.stride) this.grow(length);
    const slot = seq & MASK;
    const m = slot * FIELDS;
    this.meta[m + SEQ] = seq;
    this.meta[m + PT] = pt;
    this.meta[m + LEN] = length;
    this.positions[slot] = position;
    if (length <= 0) return;
    // A view and a native copy: far fewer instructions than a loop over the bytes.
    this.bytes.set(new Uint8Array(src.buffer, src.byteOffset + from, length), slot * this.stride);
  }

  /** Empties a slot. */
  release(slot: number): void {
    this.meta[slot * FIELDS + SEQ] = -1;
  }

  clear(): void {
    for (let i = 0; i < SLOTS; i++) this.meta[i * FIELDS + SEQ] = -1;
  }

  /** A larger stride for payloads of `length` bytes; the payloads held move with it. */
  private grow(length: number): void {
    const stride = (length + 255) & ~255;
    const bytes = new Uint8Array(SLOTS * stride);
    for (let slot = 0; slot < SLOTS; slot++) {
      const len = this.lengthAt(slot);
      if (this.seqAt(slot) !== -1 && len > 0) bytes.set(this.bytes.subarray(slot * this.stride, slot * this.stride + len), slot * stride);
    }
    this.bytes = bytes;
    this.stride = stride;
  }
}
