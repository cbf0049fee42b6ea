/**
 * Live listening over the WebSocket: `{"type":"listen","ref","mode"}` starts
 * a stream of the channel's audio (mixed, or each party of a two-party call
 * separately), answered `{"type":"listening","stream","ref","mode"}` or
 * `{"type":"error","code","message"}`; `{"type":"unlisten","stream"}` stops
 * it. Audio goes in binary frames, 20 ms each:
 *
 *   0  u8   1 (audio)
 *   1  u8   lane: separate: 0 leg A (or the one party), 1 leg B; mixed: 2
 *   2  u16  stream
 *   4  u32  sequence number within the stream
 *   8  f64  time of the block's first sample (ms since the epoch)
 *   16 u32  sample rate
 *   20 i16… samples, little-endian
 *
 * A socket that falls behind (more than its send buffer) loses frames,
 * never delays the channel.
 */
import type { WebSocket } from 'ws';
import type { Services } from '../../app/services.ts';
import type { LiveListen, ListenMode, MixedBlock } from '../../app/listen-service.ts';
import type { Principal } from '../../app/principal.ts';
import { parseRefKey } from '../../app/vocabulary.ts';
import { isRecorderError } from '../../errors.ts';

export const AUDIO_HEADER = 20;
const MAX_STREAMS_PER_SOCKET = 8;
const MAX_AUDIO_BUFFERED = 256 * 1024;

export function audioFrame(stream: number, seq: number, b: MixedBlock): Buffer {
  const out = Buffer.allocUnsafe(AUDIO_HEADER + b.samples.length * 2);
  out[0] = 1;
  out[1] = b.lane;
  out.writeUInt16LE(stream, 2);
  out.writeUInt32LE(seq >>> 0, 4);
  out.writeDoubleLE(b.at, 8);
  out.writeUInt32LE(b.sampleRate, 16);
  for (let i = 0; i < b.samples.length; i++) out.writeInt16LE(b.samples[i]!, AUDIO_HEADER + 2 * i);
  return out;
}

export class SocketListens {
  private readonly streams = new Map<number, LiveListen>();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly services: Services,
    private readonly principal: Principal,
    private readonly send: (msg: object) => void,
  ) {}

  async handle(m: { type?: unknown; ref?: unknown; mode?: unknown; stream?: unknown }): Promise<void> {
    if (m.type === 'unlisten') {
      const l = this.streams.get(Number(m.stream));
      if (l) {
        this.streams.delete(l.id);
        await l.stop();
        this.send({ type: 'unlistened', stream: l.id });
      }
      return;
    }
    const ref = typeof m.ref === 'string' ? parseRefKey(m.ref) : null;
    const mode: ListenMode = m.mode === 'separate' ? 'separate' : 'mixed';
    if (!ref) return this.send({ type: 'error', code: 'BAD_REQUEST', message: 'listen needs a channel reference such as analog-0-7' });
    if (this.streams.size >= MAX_STREAMS_PER_SOCKET) return this.send({ type: 'error', code: 'listeners_full', message: `at most ${MAX_STREAMS_PER_SOCKET} streams on one connection` });
    let listen: LiveListen;
    try {
      listen = await this.services.listen.start(this.principal, ref, mode);
    } catch (e) {
      const code = isRecorderError(e) ? e.code : 'INTERNAL';
      return this.send({ type: 'error', code, message: (e as Error).message, ref: m.ref });
    }
    if (this.closed) {
      // The socket went while the listen was starting: give its place back at once.
      await listen.stop();
      return;
    }
    this.streams.set(listen.id, listen);
    this.send({ type: 'listening', stream: listen.id, ref: m.ref, mode });
    void this.pump(listen);
  }

  private async pump(l: LiveListen): Promise<void> {
    let seq = 0;
    for (;;) {
      const blocks = await l.next();
      if (blocks === null) return;
      if (this.ws.readyState !== this.ws.OPEN) {
        this.streams.delete(l.id);
        await l.stop();
        return;
      }
      for (const b of blocks) {
        // A block the socket has no room for is skipped; its sequence number shows the gap.
        const n = seq++;
        if (this.ws.bufferedAmount > MAX_AUDIO_BUFFERED) continue;
        this.ws.send(audioFrame(l.id, n, b));
      }
    }
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const all = [...this.streams.values()];
    this.streams.clear();
    for (const l of all) await l.stop();
  }
}
