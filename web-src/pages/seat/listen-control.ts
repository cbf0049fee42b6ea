/**
 * Starting and stopping live listening over a socket (the seat page's own,
 * or the administrator's live connection): asks the box for a stream, opens
 * a LivePlayer for it and feeds it the stream's frames.
 */
import { signal } from '@preact/signals';
import { LivePlayer, players, streamOf } from './live-player.ts';

export interface SocketIo {
  send(msg: object): void;
  onMessage(fn: (m: any) => void): () => void;
  onBinary(fn: (b: ArrayBuffer) => void): () => void;
}

export class ListenError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export class ListenControl {
  /** Channels being listened to, by reference. */
  readonly active = signal<ReadonlyMap<string, LivePlayer>>(new Map());
  private readonly off: Array<() => void> = [];

  constructor(private readonly io: SocketIo) {
    this.off.push(io.onBinary((b) => players.get(streamOf(b))?.push(b)));
  }

  async listen(ref: string, mode: 'mixed' | 'separate' = 'mixed'): Promise<LivePlayer> {
    const answer = await new Promise<any>((resolve) => {
      const off = this.io.onMessage((m) => {
        if ((m.type === 'listening' || m.type === 'error') && m.ref === ref) {
          off();
          resolve(m);
        }
      });
      this.io.send({ type: 'listen', ref, mode });
    });
    if (answer.type === 'error') throw new ListenError(answer.code, answer.message);
    const player = new LivePlayer(answer.stream, ref);
    players.set(player.stream, player);
    this.active.value = new Map([...this.active.value, [ref, player]]);
    await player.start();
    return player;
  }

  async stop(ref: string): Promise<void> {
    const p = this.active.value.get(ref);
    if (!p) return;
    this.io.send({ type: 'unlisten', stream: p.stream });
    players.delete(p.stream);
    const next = new Map(this.active.value);
    next.delete(ref);
    this.active.value = next;
    await p.stop();
  }

  async close(): Promise<void> {
    for (const ref of [...this.active.value.keys()]) await this.stop(ref);
    for (const f of this.off) f();
  }
}
