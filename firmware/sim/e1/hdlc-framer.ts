/**
 * HDLC framing of a D-channel for the simulated E1 card (ISO/IEC 13239 as
 * Q.921 uses it): frames between 0x7E flags, a 0 inserted after five
 * consecutive 1s, data octets sent least significant bit first, FCS-16
 * (CRC-16/X-25: x^16+x^12+x^5+1, initial 0xFFFF, ones' complement, low octet
 * first), back-to-back flags while idle. The serial bits are packed into
 * TS16 octets most significant bit first (G.704: bit 1 is sent first), one
 * octet per 125 µs frame.
 */
const FLAG_BITS = [0, 1, 1, 1, 1, 1, 1, 0];

/** CRC-16/X-25 as sent: the ones' complement of the reflected CRC (check value of "123456789" is 0x906E). */
export function hdlcFcs(data: Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < data.length; i++) {
    crc ^= data[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return ~crc & 0xffff;
}

export class HdlcFramer {
  /** Serial bits waiting to be sent (one per element). */
  private bits: number[] = [];
  private readPos = 0;
  readonly stats = { frames: 0, octets: 0 };

  /** Queues a frame (address, control, information); the FCS and flags are added here. */
  send(frame: Uint8Array): void {
    const fcs = hdlcFcs(frame);
    const body = new Uint8Array(frame.length + 2);
    body.set(frame);
    body[frame.length] = fcs & 0xff;
    body[frame.length + 1] = fcs >>> 8;
    this.compact();
    this.bits.push(...FLAG_BITS);
    let ones = 0;
    for (const octet of body) {
      for (let b = 0; b < 8; b++) {
        const bit = (octet >>> b) & 1;
        this.bits.push(bit);
        if (bit) {
          if (++ones === 5) {
            this.bits.push(0);
            ones = 0;
          }
        } else ones = 0;
      }
    }
    this.bits.push(...FLAG_BITS);
    this.stats.frames++;
  }

  /** Whether frames are still waiting to go out. */
  get busy(): boolean {
    return this.readPos < this.bits.length;
  }

  /** Fills `out` with the next TS16 octets: queued frames, else flags. */
  fill(out: Uint8Array): void {
    for (let i = 0; i < out.length; i++) {
      let octet = 0;
      for (let b = 0; b < 8; b++) {
        if (this.readPos >= this.bits.length) {
          this.bits.length = 0;
          this.readPos = 0;
          this.bits.push(...FLAG_BITS);
        }
        octet = (octet << 1) | this.bits[this.readPos++]!;
      }
      out[i] = octet;
    }
    this.stats.octets += out.length;
  }

  private compact(): void {
    if (this.readPos > 4096) {
      this.bits = this.bits.slice(this.readPos);
      this.readPos = 0;
    }
  }
}
