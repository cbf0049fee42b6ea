/**
 * RTP fixed header (RFC 3550 5.1), read by hand into a reused object: the
 * receive path parses every packet of up to a thousand calls, so it makes no
 * allocation per packet. CSRC list, header extension and padding are
 * skipped; what is left is the payload. Pure: no I/O.
 */
export interface RtpHeader {
  payloadType: number;
  marker: boolean;
  sequence: number;
  timestamp: number;
  ssrc: number;
  /** Payload bounds within the datagram. */
  payloadOffset: number;
  payloadLength: number;
}

export function emptyRtpHeader(): RtpHeader {
  return { payloadType: 0, marker: false, sequence: 0, timestamp: 0, ssrc: 0, payloadOffset: 0, payloadLength: 0 };
}

/**
 * Reads the header of `b` into `into`; false when the datagram is not an
 * RTP version 2 packet with a consistent length (RTCP payload types 200..204
 * on the same port are refused too).
 */
export function readRtpHeader(b: Uint8Array, into: RtpHeader): boolean {
  const len = b.length;
  if (len < 12) return false;
  const b0 = b[0]!;
  if (b0 >> 6 !== 2) return false;
  const b1 = b[1]!;
  const pt = b1 & 0x7f;
  if (pt >= 72 && pt <= 76) return false; // RTCP (RFC 5761 4)
  let offset = 12 + (b0 & 0x0f) * 4;
  if ((b0 & 0x10) !== 0) {
    if (offset + 4 > len) return false;
    offset += 4 + ((b[offset + 2]! << 8) | b[offset + 3]!) * 4;
  }
  let end = len;
  if ((b0 & 0x20) !== 0) {
    const pad = b[len - 1]!;
    if (pad === 0) return false;
    end -= pad;
  }
  if (offset > end) return false;
  into.payloadType = pt;
  into.marker = (b1 & 0x80) !== 0;
  into.sequence = (b[2]! << 8) | b[3]!;
  into.timestamp = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  into.ssrc = ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0;
  into.payloadOffset = offset;
  into.payloadLength = end - offset;
  return true;
}

/** Distance from sequence number `a` to `b` in the 16-bit space (-32768..32767). */
export function seqDelta(a: number, b: number): number {
  return (((b - a) & 0xffff) << 16) >> 16;
}

/** Distance from timestamp `a` to `b` in the 32-bit space (signed). */
export function tsDelta(a: number, b: number): number {
  return (b - a) | 0;
}
