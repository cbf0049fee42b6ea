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
  let extra = 0;
  for (let i = 0; i < payload.length; i++) if (payload[i] === SLIP_END || payload[i] === SLIP_ESC) extra++;
  const out = Buffer.allocUnsafe(payload.length + extra + 2);
  let o = 0;
  out[o++] = SLIP_END;
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i]!;
    if (b === SLIP_END) {
      out[o++] = SLIP_ESC;
      out[o++] = SLIP_ESC_END;
    } else if (b === SLIP_ESC) {
      out[o++] = SLIP_ESC;
      out[o++] = SLIP_ESC_ESC;
    } else out[o++] = b;
  }
  out[o++] = SLIP_END;
  return out;
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
    for (let i = 0; i < chunk.length; i++) {
      let b = chunk[i]!;
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
