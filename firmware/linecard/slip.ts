/**
 * SLIP framing (RFC 1055) with an END byte before and after every frame, so a
 * receiver resynchronises on the next END after line noise.
 *
 * The decoder is pure and keeps its state between chunks: frames split across
 * chunks, several frames in one chunk and garbage between frames are all
 * handled. It reuses one buffer and never grows past `maxFrameBytes` (an
 * over-long run is dropped and counted).
 */
export const SLIP_END = 0xc0;
export const SLIP_ESC = 0xdb;
export const SLIP_ESC_END = 0xdc;
export const SLIP_ESC_ESC = 0xdd;

export function slipEncode(payload: Uint8Array): Buffer {
  const src = Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  let extra = 0;
  for (let at = src.indexOf(SLIP_END); at >= 0; at = src.indexOf(SLIP_END, at + 1)) extra++;
  for (let at = src.indexOf(SLIP_ESC); at >= 0; at = src.indexOf(SLIP_ESC, at + 1)) extra++;
  const out = Buffer.allocUnsafe(src.length + extra + 2);
  let o = 0;
  out[o++] = SLIP_END;
  let i = 0;
  let nextEnd = -1;
  let nextEsc = -1;
  while (i < src.length) {
    if (nextEnd < i) nextEnd = indexOrLength(src, SLIP_END, i);
    if (nextEsc < i) nextEsc = indexOrLength(src, SLIP_ESC, i);
    const stop = Math.min(nextEnd, nextEsc);
    o += src.copy(out, o, i, stop);
    if (stop === src.length) break;
    out[o++] = SLIP_ESC;
    out[o++] = src[stop] === SLIP_END ? SLIP_ESC_END : SLIP_ESC_ESC;
    i = stop + 1;
  }
  out[o++] = SLIP_END;
  return out;
}

function indexOrLength(buf: Buffer, byte: number, from: number): number {
  const at = buf.indexOf(byte, from);
  return at < 0 ? buf.length : at;
}

export interface SlipStats {
  frames: number;
  /** Frames dropped for a bad escape sequence or for exceeding the size limit. */
  malformed: number;
}

export class SlipDecoder {
  private readonly buf: Buffer;
  private len = 0;
  private escaped = false;
  private broken = false;
  readonly stats: SlipStats = { frames: 0, malformed: 0 };

  constructor(private readonly maxFrameBytes = 4096) {
    this.buf = Buffer.allocUnsafe(maxFrameBytes);
  }

  /** Feeds a chunk; calls `onFrame` with a copy of each complete frame's payload. */
  push(chunk: Uint8Array, onFrame: (frame: Buffer) => void): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let i = 0;
    // Where the next END and ESC are, searched again only once passed (native scans, not byte by byte).
    let nextEnd = -1;
    let nextEsc = -1;
    while (i < buf.length) {
      // Plain bytes up to the next END or ESC are copied in one go (audio rarely holds either).
      if (!this.escaped && !this.broken) {
        if (nextEnd < i) nextEnd = indexOrLength(buf, SLIP_END, i);
        if (nextEsc < i) nextEsc = indexOrLength(buf, SLIP_ESC, i);
        const stop = Math.min(nextEnd, nextEsc);
        const run = stop - i;
        if (run > 0) {
          if (this.len + run > this.maxFrameBytes) {
            this.broken = true;
          } else {
            buf.copy(this.buf, this.len, i, stop);
            this.len += run;
          }
          i = stop;
          continue;
        }
      }
      let b = buf[i++]!;
      if (b === SLIP_END) {
        if (this.broken) this.stats.malformed++;
        else if (this.len > 0) {
          this.stats.frames++;
          onFrame(Buffer.from(this.buf.subarray(0, this.len)));
        }
        this.len = 0;
        this.escaped = false;
        this.broken = false;
        continue;
      }
      if (this.broken) continue;
      if (this.escaped) {
        this.escaped = false;
        if (b === SLIP_ESC_END) b = SLIP_END;
        else if (b === SLIP_ESC_ESC) b = SLIP_ESC;
        else {
          this.broken = true;
          continue;
        }
      } else if (b === SLIP_ESC) {
        this.escaped = true;
        continue;
      }
      if (this.len === this.maxFrameBytes) {
        this.broken = true;
        continue;
      }
      this.buf[this.len++] = b;
    }
  }

  reset(): void {
    this.len = 0;
    this.escaped = false;
    this.broken = false;
  }
}
