/**
 * HDLC deframer for the ISDN PRI D-channel carried in E1 timeslot 16
 * (ISO/IEC 13239 as used by Q.921): flags 0x7E, a zero inserted after five
 * ones, seven or more ones an abort, FCS-16 (CRC-CCITT reflected, x^16 + x^12
 * + x^5 + 1, initial 0xFFFF, ones' complement, sent low octet first; a good
 * frame leaves the residue 0xF0B8).
 *
 * Bit order: G.704 sends each timeslot octet most significant bit first, and
 * HDLC sends each data octet least significant bit first; so by default the
 * TS16 octet is read MSB first and data octets are built LSB first. A line
 * card that delivers the octet bit-reversed sets `lineBitOrder: 'lsb-first'`.
 *
 * The deframer starts hunting for a flag, and hunts again after an abort, an
 * over-long frame or garbage; frames are not octet-aligned to the TS16 octets
 * and may share flags (one flag closing a frame and opening the next, or a
 * zero shared between two flags). For every frame closed by a flag it reports
 * the stream octet that holds the closing flag's last bit (and the one that
 * holds the frame's first bit), the octets without
 * the FCS and whether the FCS was good. Frames shorter than 3 octets plus FCS
 * or not a whole number of octets are counted and dropped, not reported.
 */

export interface HdlcFrame {
  /** Offset, in octets since the deframer started, of the octet holding the closing flag's last bit. */
  closingFlagOctet: number;
  /** Offset of the octet holding the frame's first bit (after the opening flag). */
  firstOctet: number;
  /** The frame from the address field on, without the FCS. */
  bytes: Uint8Array;
  fcsOk: boolean;
}

export interface HdlcDeframerStats {
  octets: number;
  flags: number;
  frames: number;
  fcsErrors: number;
  aborts: number;
  /** Frames under the minimum or not a whole number of octets. */
  shortFrames: number;
  tooLong: number;
}

export interface HdlcDeframerOptions {
  lineBitOrder?: 'msb-first' | 'lsb-first';
  /** Longest frame accepted, octets with the FCS (default 512; Q.921 N201 is 260 octets of information). */
  maxFrameOctets?: number;
}

const FCS_GOOD_RESIDUE = 0xf0b8;
const MIN_FRAME_OCTETS = 3 + 2;

const FCS_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let b = 0; b < 8; b++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** FCS-16 register over `data` (initial 0xFFFF, not complemented). */
export function fcs16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ FCS_TABLE[(crc ^ data[i]!) & 0xff]!;
  return crc;
}

/** The two FCS octets to append to `data`, low octet first. */
export function fcsOctets(data: Uint8Array): [number, number] {
  const fcs = ~fcs16(data) & 0xffff;
  return [fcs & 0xff, fcs >>> 8];
}

export class HdlcDeframer {
  private readonly msbFirst: boolean;
  private readonly maxOctets: number;
  private buf: Uint8Array;
  /** Data bits collected since the last flag (includes the flag's own first seven bits until it completes). */
  private bits = 0;
  private ones = 0;
  private hunting = true;
  private octet = 0;
  private frameStart = 0;
  private readonly counters: HdlcDeframerStats = { octets: 0, flags: 0, frames: 0, fcsErrors: 0, aborts: 0, shortFrames: 0, tooLong: 0 };

  constructor(options: HdlcDeframerOptions = {}) {
    this.msbFirst = (options.lineBitOrder ?? 'msb-first') === 'msb-first';
    this.maxOctets = options.maxFrameOctets ?? 512;
    this.buf = new Uint8Array(this.maxOctets + 2);
  }

  stats(): HdlcDeframerStats {
    return { ...this.counters };
  }

  /** Octet offset of the next octet pushed. */
  get position(): number {
    return this.octet;
  }

  /** Offset of the first octet of a frame still being received, or -1 between frames. */
  get openFrameOctet(): number {
    return !this.hunting && this.bits > 7 ? this.frameStart : -1;
  }

  push(octets: Uint8Array, onFrame: (frame: HdlcFrame) => void): void {
    for (let i = 0; i < octets.length; i++) {
      const v = octets[i]!;
      for (let k = 0; k < 8; k++) {
        const bit = this.msbFirst ? (v >>> (7 - k)) & 1 : (v >>> k) & 1;
        this.bit(bit, onFrame);
      }
      this.octet++;
    }
    this.counters.octets += octets.length;
  }

  private bit(bit: number, onFrame: (frame: HdlcFrame) => void): void {
    if (bit === 1) {
      this.ones++;
      if (this.ones === 7) {
        if (!this.hunting && this.bits > 7) this.counters.aborts++;
        this.hunting = true;
        this.bits = 0;
      }
      if (!this.hunting) this.store(1);
      return;
    }
    const ones = this.ones;
    this.ones = 0;
    if (ones === 6) {
      this.flag(onFrame);
      return;
    }
    if (ones === 5 || this.hunting) return; // inserted zero, or still hunting
    this.store(0);
  }

  private store(bit: number): void {
    const byte = this.bits >>> 3;
    if (byte >= this.buf.length) {
      this.counters.tooLong++;
      this.hunting = true;
      this.bits = 0;
      return;
    }
    if (this.bits === 0) this.frameStart = this.octet;
    if ((this.bits & 7) === 0) this.buf[byte] = 0;
    if (bit) this.buf[byte]! |= 1 << (this.bits & 7);
    this.bits++;
  }

  private flag(onFrame: (frame: HdlcFrame) => void): void {
    this.counters.flags++;
    const wasHunting = this.hunting;
    this.hunting = false;
    const frameBits = this.bits - 7; // the flag's leading zero and six ones were stored as data
    this.bits = 0;
    if (wasHunting || frameBits <= 0) return;
    const n = frameBits >>> 3;
    if ((frameBits & 7) !== 0 || n < MIN_FRAME_OCTETS) {
      this.counters.shortFrames++;
      return;
    }
    if (n > this.maxOctets) {
      this.counters.tooLong++;
      return;
    }
    const fcsOk = fcs16(this.buf, 0, n) === FCS_GOOD_RESIDUE;
    if (fcsOk) this.counters.frames++;
    else this.counters.fcsErrors++;
    onFrame({ closingFlagOctet: this.octet, firstOctet: this.frameStart, bytes: this.buf.slice(0, n - 2), fcsOk });
  }
}
