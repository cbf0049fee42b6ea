/**
 * One received RTP stream (one party, or a phone's mixed stream) with its
 * jitter buffer and playout. Time is counted in output positions: samples
 * at 8 kHz since the call started, on the box's wall clock, so the two
 * parties of a call are placed on the same time line and never drift apart.
 *
 * - A packet's position is its timestamp mapped through an anchor set by
 *   the first packet (its arrival position), so it plays `delay` samples
 *   after it arrived; the playout cursor runs `delay` behind wall time.
 * - Packets are kept by sequence number (64 slots), played in order;
 *   duplicates are dropped, a packet missing when its turn comes is lost and
 *   its time filled with silence (counted), one arriving after its turn is
 *   late (counted, dropped).
 * - A new SSRC, a sequence jump or an in-order packet whose time lies
 *   outside [cursor, arrival + delay] (timestamp jump, sender clock drift)
 *   re-anchors the stream: a packet already due plays at once, one too far
 *   ahead at its arrival plus the delay.
 * - Telephone events (RFC 4733) take their slot in the sequence and become
 *   the stream's digits.
 * Counters follow RFC 3550 (interarrival jitter, A.8). Pure: no I/O, no
 * allocation per packet once the slots have grown to the payload size.
 */
import { readRtpHeader, seqDelta, tsDelta, emptyRtpHeader, type RtpHeader } from './rtp-header.ts';
import { payloadDecoder, type AudioCodecName, type CodecName, type PayloadDecoder } from './payload-codec.ts';
import { TelephoneEvents } from './telephone-events.ts';
import { JitterSlots, SLOTS } from './jitter-slots.ts';

/**
 * The header of the packet being taken, shared by every stream: it is only
 * read during one `receive` call, and one object stays in the CPU's cache
 * where a thousand streams' own would not.
 */
const header: RtpHeader = emptyRtpHeader();
const SEEN = 1024;
/** Largest payload kept (a 60 ms G.711 packet is 480 bytes). */
export const MAX_PAYLOAD = 1400;

export interface StreamCounters {
  packets: number;
  bytes: number;
  /** Packets missing when their turn came (their time is silence). */
  lost: number;
  /** Packets arriving after their turn (dropped). */
  late: number;
  duplicates: number;
  /** Datagrams from an address other than the stream's sender (dropped; counted by the socket owner). */
  foreign: number;
  /** Datagrams that are not RTP, or too long. */
  malformed: number;
  /** Payload types not offered. */
  unknownPayload: number;
  ssrcChanges: number;
  /** Re-anchors on a timestamp or sequence jump. */
  jumps: number;
  /** Samples of silence played for lost packets and gaps. */
  silenceSamples: number;
}

export class RtpStream {
  readonly counters: StreamCounters = {
    packets: 0, bytes: 0, lost: 0, late: 0, duplicates: 0, foreign: 0, malformed: 0, unknownPayload: 0, ssrcChanges: 0, jumps: 0, silenceSamples: 0,
  };
  /** Interarrival jitter in timestamp units (RFC 3550 A.8), scaled by 16. */
  private jitter16 = 0;
  private lastTransit = 0;
  private haveTransit = false;
  readonly events = new TelephoneEvents();
  private readonly slots = new JitterSlots();
  private readonly seen = new Int32Array(SEEN).fill(-1);
  /** Codec and decoder by payload type (0..127), looked up for every packet. */
  private codecOf: (CodecName | undefined)[] = [];
  private readonly decoders: (PayloadDecoder | undefined)[] = [];
  private started = false;
  private ssrc = 0;
  private anchorTs = 0;
  private anchorPos = 0;
  private nextSeq = 0;
  private highestSeq = 0;
  private buffered = 0;
  /** Output position up to which audio was produced. */
  private played = 0;
  private cur = new Int16Array(1024);
  private curIdx = 0;
  private curLen = 0;
  /** Last payload type seen (the codec in use). */
  lastCodec: CodecName | null = null;
  lastPacketPos = -1;

  /**
   * @param codecs payload type → codec of the offer
   * @param delay playout delay in samples (8 kHz)
   * @param startPos the output position at which the stream was added (nothing is played before it)
   */
  constructor(codecs: ReadonlyMap<number, CodecName>, readonly delay: number, startPos = 0) {
    this.played = startPos;
    this.codecOf = codecTable(codecs);
  }

  /** New payload types (an updated offer); the decoders of types no longer offered are dropped. */
  setCodecs(codecs: ReadonlyMap<number, CodecName>): void {
    this.codecOf = codecTable(codecs);
    for (let pt = 0; pt < this.decoders.length; pt++) {
      if (this.decoders[pt] !== undefined && this.codecOf[pt] !== this.decoders[pt]!.codec) this.decoders[pt] = undefined;
    }
  }

  get jitter(): number {
    return this.jitter16 / 16;
  }

  get ssrcInUse(): number | null {
    return this.started ? this.ssrc : null;
  }

  /** Takes one datagram (already checked to come from the stream's sender) that arrived at output position `arrival`. */
  receive(data: Uint8Array, arrival: number): void {
    const h = header;
    const c = this.counters;
    if (data.length > MAX_PAYLOAD + 60 || !readRtpHeader(data, h)) {
      c.malformed++;
      return;
    }
    const codec = this.codecOf[h.payloadType];
    if (codec === undefined) {
      c.unknownPayload++;
      return;
    }
    c.packets++;
    c.bytes += h.payloadLength;
    const isEvent = codec === 'telephone-event';
    if (!this.started || h.ssrc !== this.ssrc) {
      if (this.started) c.ssrcChanges++;
      this.restart(h, arrival);
    } else {
      const ahead = seqDelta(this.nextSeq, h.sequence);
      if (ahead < 0 || (ahead < SLOTS && this.slots.holds(h.sequence))) {
        if (this.seen[h.sequence & (SEEN - 1)] === h.sequence) c.duplicates++;
        else c.late++;
        return;
      }
      if (ahead >= SLOTS) {
        c.jumps++;
        this.restart(h, arrival);
      }
    }
    let pos = this.anchorPos + tsDelta(this.anchorTs, h.timestamp);
    if (!isEvent && seqDelta(this.highestSeq, h.sequence) > 0) {
      // In order: a time outside [cursor, arrival + delay] is a timestamp jump or drift. A packet
      // already due plays at once (the sender fell behind: no gap added); one too far ahead waits
      // the jitter delay from its arrival.
      if (pos + h.payloadLength <= this.played || pos > arrival + this.delay) {
        c.jumps++;
        const at = pos > arrival ? arrival : this.played;
        this.anchorTs = h.timestamp;
        this.anchorPos = at;
        pos = at;
      }
    } else if (!isEvent && pos + h.payloadLength <= this.played) {
      c.late++;
      return;
    }
    if (seqDelta(this.highestSeq, h.sequence) > 0) this.highestSeq = h.sequence;
    this.seen[h.sequence & (SEEN - 1)] = h.sequence;
    this.updateJitter(arrival, h.timestamp);
    this.lastPacketPos = arrival;
    if (isEvent) {
      this.events.take(data.subarray(h.payloadOffset, h.payloadOffset + h.payloadLength), h.timestamp);
      this.store(h, pos, -1, data);
      return;
    }
    this.lastCodec = codec;
    this.store(h, pos, h.payloadLength, data);
  }

  private store(h: RtpHeader, pos: number, len: number, data: Uint8Array): void {
    this.slots.put(h.sequence, pos, h.payloadType, data, h.payloadOffset, len);
    this.buffered++;
  }

  private restart(h: RtpHeader, arrival: number): void {
    this.slots.clear();
    this.buffered = 0;
    this.started = true;
    this.ssrc = h.ssrc;
    this.anchorTs = h.timestamp;
    this.anchorPos = Math.max(arrival, this.played);
    this.nextSeq = h.sequence;
    this.highestSeq = (h.sequence - 1) & 0xffff;
    this.haveTransit = false;
    this.curLen = this.curIdx = 0;
  }

  private updateJitter(arrival: number, ts: number): void {
    const transit = (arrival - ts) | 0;
    if (this.haveTransit) {
      let d = (transit - this.lastTransit) | 0;
      if (d < 0) d = -d;
      this.jitter16 += d - ((this.jitter16 + 8) >> 4);
    }
    this.lastTransit = transit;
    this.haveTransit = true;
  }

  /**
   * Produces the stream's audio for output positions [played, target) into
   * `out` from index 0 (silence where nothing is due); returns the count.
   */
  pull(target: number, out: Int16Array): number {
    const n = target - this.played;
    if (n <= 0) return 0;
    let w = 0;
    while (this.played < target) {
      if (this.curIdx < this.curLen) {
        const k = Math.min(this.curLen - this.curIdx, target - this.played);
        const cur = this.cur;
        const from = this.curIdx;
        for (let i = 0; i < k; i++) out[w + i] = cur[from + i]!;
        this.curIdx += k;
        w += k;
        this.played += k;
        continue;
      }
      const slots = this.slots;
      const s = slots.slotOf(this.nextSeq);
      if (slots.seqAt(s) === this.nextSeq) {
        const pos = slots.positionAt(s);
        if (pos > this.played) {
          const k = Math.min(pos, target) - this.played;
          this.silence(out, w, k);
          w += k;
          continue;
        }
        slots.release(s);
        this.buffered--;
        this.nextSeq = (this.nextSeq + 1) & 0xffff;
        const len = slots.lengthAt(s);
        if (len < 0) continue;
        if (pos === this.played && len <= target - this.played) {
          // The whole packet is due now: decoded straight into the output.
          const k = this.decode(s, out, w);
          w += k;
          this.played += k;
          continue;
        }
        // A packet partly in the past (overlap after a re-anchor) is trimmed.
        this.curLen = this.decode(s, this.cur, 0);
        this.curIdx = this.played - pos;
        continue;
      }
      if (this.buffered === 0) {
        this.silence(out, w, target - this.played);
        w = n;
        break;
      }
      // The packet due now is missing and later ones are here: it is lost.
      let ahead = 1;
      while (ahead < SLOTS && !this.slots.holds((this.nextSeq + ahead) & 0xffff)) ahead++;
      if (ahead >= SLOTS) {
        // Only stale slots: forget them.
        this.slots.clear();
        this.buffered = 0;
        continue;
      }
      this.counters.lost += ahead;
      this.nextSeq = (this.nextSeq + ahead) & 0xffff;
    }
    return w;
  }

  private silence(out: Int16Array, at: number, k: number): void {
    out.fill(0, at, at + k);
    this.played += k;
    if (this.started) this.counters.silenceSamples += k;
  }

  /** Decodes a slot's payload into `out` from `at` (`this.cur` is grown when it is the target). */
  private decode(slot: number, out: Int16Array, at: number): number {
    const slots = this.slots;
    const pt = slots.ptAt(slot);
    const codec = this.codecOf[pt];
    if (codec === undefined || codec === 'telephone-event') return 0;
    let d = this.decoders[pt];
    if (!d || d.codec !== codec) {
      d = payloadDecoder(codec as AudioCodecName);
      this.decoders[pt] = d;
    }
    const len = slots.lengthAt(slot);
    if (out === this.cur && this.cur.length < len) out = this.cur = new Int16Array(len * 2);
    return d.decode(slots.bytes, out, len, at, slots.offsetAt(slot));
  }
}

/** Codec by payload type (0..127) of an offer. */
function codecTable(codecs: ReadonlyMap<number, CodecName>): (CodecName | undefined)[] {
  const t = new Array<CodecName | undefined>(128).fill(undefined);
  for (const [pt, c] of codecs) if (pt >= 0 && pt < 128) t[pt] = c;
  return t;
}
